/**
 * A node's replication history: which stream it is on (replid), which earlier stream it can still serve
 * (replid2 up to second_repl_offset), how many bytes of the stream it holds (master_repl_offset), and the backlog
 * of recent bytes. Shared by both roles: a replica re-feeds exactly the bytes it applied, so in a healthy chain every
 * node shows the same replid and offset (spec §0).
 *
 * Pure state with the id rules of replication.c (changeReplicationId, clearReplicationId2, shiftReplicationId,
 * createReplicationBacklog, feedReplicationBuffer). Randomness is injected.
 */
import type { Random } from '../../common/random.js';
import { Backlog } from './primary/backlog.js';
import { NULL_REPLID, REPLID_LEN } from './wire.js';

export interface HistorySnapshot {
  readonly replid: string;
  readonly replid2: string;
  readonly secondReplOffset: number;
  readonly masterReplOffset: number;
  readonly backlog: { readonly firstByteOffset: number; readonly histlen: number; readonly size: number } | null;
}

export class ReplicationHistory {
  replid: string;
  replid2: string = NULL_REPLID;
  secondReplOffset = -1;
  /** Bytes ever appended to this node's stream. Moves only while a backlog exists (feedReplicationBuffer). */
  masterReplOffset = 0;
  backlog: Backlog | null = null;
  readonly #random: Random;

  constructor(random: Random) {
    this.#random = random;
    this.replid = random.hex(REPLID_LEN);
  }

  /** changeReplicationId: a fresh random history name. */
  changeReplid(): void {
    this.replid = this.#random.hex(REPLID_LEN);
  }

  /** clearReplicationId2 */
  clearReplid2(): void {
    this.replid2 = NULL_REPLID;
    this.secondReplOffset = -1;
  }

  /**
   * shiftReplicationId, used on promotion (REPLICAOF NO ONE, PSYNC … FAILOVER): the old history stays servable up
   * to the current offset, so former siblings and the demoted master continue with `+CONTINUE <new id>`.
   */
  shiftReplid(): void {
    this.replid2 = this.replid;
    this.secondReplOffset = this.masterReplOffset + 1;
    this.changeReplid();
  }

  /**
   * createReplicationBacklog as done in syncCommand when the first replica arrives on a master without a backlog:
   * new replid (the stream before it was not recorded), replid2 cleared, backlog starting right after the current
   * offset (the offset itself is not reset).
   */
  createBacklogForFirstReplica(size: number): void {
    this.changeReplid();
    this.clearReplid2();
    this.createBacklog(size);
  }

  createBacklog(size: number): void {
    this.backlog = new Backlog(size, this.masterReplOffset);
  }

  /** freeReplicationBacklog (backlog TTL expiry on a master changes the id too; see expireBacklog). */
  freeBacklog(): void {
    this.backlog = null;
  }

  /**
   * repl-backlog-ttl elapsed on a master with no replicas (replicationCron): free the backlog and change the id so
   * a stale former replica cannot PSYNC across writes that were never recorded.
   */
  expireBacklog(): void {
    this.freeBacklog();
    this.changeReplid();
    this.clearReplid2();
  }

  /** Append stream bytes: counted only while a backlog exists (no backlog and no replicas = nothing to feed). */
  append(data: Buffer): boolean {
    if (this.backlog === null) return false;
    this.backlog.append(data);
    this.masterReplOffset += data.length;
    return true;
  }

  /**
   * After a full sync as a replica (readSyncBulkPayload / replicationCreateMasterClient): adopt the master's
   * history at the snapshot offset, forget replid2, and start a fresh empty backlog there.
   */
  adoptMasterHistory(replid: string, offset: number, backlogSize: number): void {
    this.replid = replid;
    this.masterReplOffset = offset;
    this.clearReplid2();
    this.createBacklog(backlogSize);
  }

  /**
   * `+CONTINUE <newid>` with an id different from the cached one (slaveTryPartialResynchronization): the old id
   * stays servable up to the current offset.
   */
  switchToMasterReplid(newReplid: string): void {
    this.replid2 = this.replid;
    this.secondReplOffset = this.masterReplOffset + 1;
    this.replid = newReplid;
  }

  /**
   * Start-up from an RDB that carries repl-id/repl-offset, as a master (rdbPopulateSaveInfo / loadDataFromDisk):
   * a new id, the saved one kept as replid2 so former replicas get `+CONTINUE`.
   */
  restoreAsMaster(savedReplid: string, savedOffset: number, backlogSize: number): void {
    this.changeReplid();
    this.replid2 = savedReplid;
    this.secondReplOffset = savedOffset + 1;
    this.masterReplOffset = savedOffset;
    this.createBacklog(backlogSize);
  }

  snapshot(): HistorySnapshot {
    const b = this.backlog;
    return {
      replid: this.replid,
      replid2: this.replid2,
      secondReplOffset: this.secondReplOffset,
      masterReplOffset: this.masterReplOffset,
      backlog: b === null ? null : { firstByteOffset: b.firstByteOffset, histlen: b.histlen, size: b.size },
    };
  }
}
