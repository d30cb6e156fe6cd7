/**
 * Feeding the replication stream (replication.c feedReplicationBuffer / replicationFeedSlaves): every byte goes
 * into the history (offset + backlog) synchronously, and to the attached replicas:
 *
 * - online replicas receive it, coalesced per event-loop turn (a pipeline of 100 writes is one socket write);
 * - replicas waiting for their snapshot hold it (Redis keeps it in their output buffer) and get it right after
 *   the payload; after an `$EOF:` payload the held bytes wait for the replica's first ACK, because a 7.0 replica
 *   detects the end of the payload by the mark being the last bytes it read;
 * - a replica holding more than the replica output-buffer hard limit is disconnected (it will PSYNC again).
 *
 * With neither a backlog nor replicas nothing is recorded and the offset does not move.
 */
import type { ReplicationHistory } from '../history.js';
import type { ReplicaLinkState } from '../info.js';
import { isGoodReplica, recordAck, type ReplconfInfo, type ReplicaRecord } from './replica-records.js';

/** The connection of one replica, as the feeder needs it. */
export interface ReplicaConnection {
  readonly id: number;
  /** Peer address without `::ffff:`. */
  readonly peerIp: string;
  /** Raw bytes, in order after anything already queued on the connection. */
  write(data: Buffer): void;
  close(reason: string): void;
}

interface Attached {
  readonly conn: ReplicaConnection;
  readonly record: ReplicaRecord;
  /** False while the replica waits for a snapshot to start (WAIT_BGSAVE_START): it is not fed at all. */
  fed: boolean;
  /** Stream bytes held back (waiting for the payload, or for the first ACK after an EOF payload); null = live. */
  held: Buffer[] | null;
  heldBytes: number;
  holdUntilAck: boolean;
}

export interface FeederOptions {
  /** Run `fn` once the current event-loop turn's work is done (setImmediate in production). */
  readonly schedule: (fn: () => void) => void;
  /** Monotonic ms. */
  readonly now: () => number;
  /** client-output-buffer-limit replica hard limit (bytes); 0 = none. */
  readonly heldLimit: () => number;
}

export class ReplicaFeeder {
  readonly #history: ReplicationHistory;
  readonly #opts: FeederOptions;
  readonly #replicas = new Map<number, Attached>();
  #out: Buffer[] = [];
  #flushScheduled = false;

  constructor(history: ReplicationHistory, opts: FeederOptions) {
    this.#history = history;
    this.#opts = opts;
  }

  get count(): number {
    return this.#replicas.size;
  }

  records(): ReplicaRecord[] {
    return [...this.#replicas.values()].map((a) => a.record);
  }

  /** countGoodReplicas over the attached replicas without copying them (the per-command min-replicas check). */
  countGood(now: number, maxLagSec: number): number {
    let n = 0;
    for (const a of this.#replicas.values()) if (isGoodReplica(a.record, now, maxLagSec)) n++;
    return n;
  }

  record(id: number): ReplicaRecord | null {
    return this.#replicas.get(id)?.record ?? null;
  }

  connection(id: number): ReplicaConnection | null {
    return this.#replicas.get(id)?.conn ?? null;
  }

  /** Append stream bytes (a propagated unit, a PING, a GETACK, or the bytes a replica applied from its master). */
  feed(data: Buffer): void {
    if (data.length === 0) return;
    if (!this.#history.append(data)) return;
    if (this.#replicas.size === 0) return;
    this.#out.push(data);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      this.#opts.schedule(() => this.flush());
    }
  }

  /** Deliver what was fed since the last flush. Called before any replica attaches, so none sees bytes twice. */
  flush(): void {
    this.#flushScheduled = false;
    if (this.#out.length === 0) return;
    const data = this.#out.length === 1 ? this.#out[0]! : Buffer.concat(this.#out);
    this.#out = [];
    const limit = this.#opts.heldLimit();
    for (const a of this.#replicas.values()) {
      if (!a.fed) continue;
      if (a.held === null) {
        a.conn.write(data);
        continue;
      }
      a.held.push(data);
      a.heldBytes += data.length;
      if (limit > 0 && a.heldBytes > limit) this.drop(a.record.id, 'replica output buffer hard limit reached');
    }
  }

  /**
   * A replica that continues (+CONTINUE already written with the backlog bytes): online at once. The caller
   * must `flush()` before computing the backlog bytes it writes.
   */
  attachOnline(conn: ReplicaConnection, conf: ReplconfInfo): ReplicaRecord {
    return this.#attach(conn, conf, 'online', true, false);
  }

  /** A replica that will get a full sync: not fed until its snapshot starts (`startHolding`). */
  attachWaiting(conn: ReplicaConnection, conf: ReplconfInfo, preSync: boolean): ReplicaRecord {
    return this.#attach(conn, conf, 'wait_bgsave', false, preSync);
  }

  /**
   * Its snapshot starts now: hold every stream byte from here on (after `initial`, the bytes between an earlier
   * snapshot's start and now when joining it). The caller flushes first.
   */
  startHolding(id: number, initial: Buffer[] = []): void {
    const a = this.#replicas.get(id);
    if (a === undefined) return;
    a.fed = true;
    a.held = [...initial];
    a.heldBytes = initial.reduce((n, b) => n + b.length, 0);
  }

  /** Backlog bytes from `offset` through the end (null if no longer held). */
  backlogFrom(offset: number): Buffer | null {
    return this.#history.backlog?.bytesFrom(offset) ?? null;
  }

  setState(id: number, state: ReplicaLinkState): void {
    const a = this.#replicas.get(id);
    if (a !== undefined) a.record.state = state;
  }

  /**
   * The payload has been written: the replica is online. After a `$len` payload the held stream follows
   * immediately; after an `$EOF:` one it waits for the first ACK (replicaStartCommandStream on ACK).
   */
  payloadSent(id: number, holdUntilAck: boolean): void {
    const a = this.#replicas.get(id);
    if (a === undefined) return;
    this.flush();
    a.record.state = 'online';
    a.record.ackTime = this.#opts.now();
    if (holdUntilAck) a.holdUntilAck = true;
    else this.#release(a);
  }

  /** REPLCONF ACK: record it; the first ACK after an EOF payload releases the held stream. */
  ack(id: number, offset: number): ReplicaRecord | null {
    const a = this.#replicas.get(id);
    if (a === undefined) return null;
    recordAck(a.record, offset, this.#opts.now());
    if (a.holdUntilAck) {
      a.holdUntilAck = false;
      this.flush();
      this.#release(a);
    }
    return a.record;
  }

  /** An empty line from a replica: liveness only (refreshes the ACK time). */
  touch(id: number): void {
    const a = this.#replicas.get(id);
    if (a !== undefined) a.record.ackTime = this.#opts.now();
  }

  /** Forget a replica whose connection closed. */
  detach(id: number): boolean {
    return this.#replicas.delete(id);
  }

  /** Close a replica's connection and forget it. */
  drop(id: number, reason: string): void {
    const a = this.#replicas.get(id);
    if (a === undefined) return;
    this.#replicas.delete(id);
    a.conn.close(reason);
  }

  /** disconnectSlaves: drop every replica (promotion, full sync from our own master, id change). */
  dropAll(reason: string): void {
    for (const id of [...this.#replicas.keys()]) this.drop(id, reason);
  }

  #attach(conn: ReplicaConnection, conf: ReplconfInfo, state: ReplicaLinkState, online: boolean, preSync: boolean): ReplicaRecord {
    this.flush();
    // repl_ack_off starts at 0 until the replica's first ACK
    const record: ReplicaRecord = { id: conn.id, peerIp: conn.peerIp, conf, state, ackOffset: 0, ackTime: this.#opts.now(), preSync };
    this.#replicas.set(conn.id, { conn, record, fed: online, held: null, heldBytes: 0, holdUntilAck: false });
    return record;
  }

  #release(a: Attached): void {
    const held = a.held;
    a.held = null;
    a.heldBytes = 0;
    if (held !== null && held.length > 0) a.conn.write(held.length === 1 ? held[0]! : Buffer.concat(held));
  }
}
