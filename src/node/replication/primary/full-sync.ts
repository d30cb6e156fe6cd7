/**
 * Full resynchronisation on the master (replication.c syncCommand, startBgsaveForReplication,
 * replicationSetupSlaveForFullResync, updateSlavesWaitingBgsave, replicationStartPendingFork), with a fork-free
 * point-in-time snapshot instead of a child process:
 *
 * - Disk-style (`$<len>`), for replicas without `capa eof` or with `repl-diskless-sync no`: `+FULLRESYNC <id>
 *   <offset>` is written when the snapshot starts (offset = master_repl_offset at that instant), the RDB is
 *   produced into memory while `\n` keepalives go out once a second, then `$<len>\r\n<rdb>` and the held stream.
 *   A replica arriving while such a snapshot runs joins it: same offset, and the stream since then is taken from
 *   the backlog — several replicas served by one snapshot.
 * - Diskless (`$EOF:<mark>`): replicas wait `repl-diskless-sync-delay` seconds of silence (or until
 *   `repl-diskless-sync-max-replicas` wait) with `\n` keepalives, then one snapshot is streamed to all of them,
 *   framed by the mark; their stream is held until each one's first ACK. Later arrivals wait for the next one.
 *
 * Setting up a full sync forgets the stream's selected db, so the next propagated command carries a SELECT.
 */
import { fullResyncLine } from './psync-decision.js';
import type { ReplicaConnection, ReplicaFeeder } from './feeder.js';
import type { ReplconfInfo } from './replica-records.js';

/** Where the snapshot's chunks go; `backpressure` pauses the producer (persistence's SnapshotSink). */
export interface ChunkSink {
  write(chunk: Buffer): void;
  backpressure(): Promise<void> | null;
}

export interface RunningSnapshot {
  readonly done: Promise<void>;
  abort(): void;
}

/** Point-in-time RDB of the dataset, taken the moment `start` is called. */
export interface SnapshotProducer {
  start(aux: { readonly streamDb: number; readonly replId: string; readonly offset: number }, sink: ChunkSink): RunningSnapshot;
}

/** A replica connection that can also report socket backpressure. */
export interface SyncConnection extends ReplicaConnection {
  backpressure(): Promise<void> | null;
}

export interface FullSyncContext {
  readonly feeder: ReplicaFeeder;
  readonly snapshots: SnapshotProducer;
  /** Current replid and offset (the snapshot's point in time). */
  readonly position: () => { readonly replid: string; readonly offset: number };
  /** The db the stream is in, for the RDB aux repl-stream-db (an intermediate replica's master-link db). */
  readonly streamDb: () => number;
  /** Forget the stream's selected db (a master re-SELECTs; an intermediate replica never injects SELECTs). */
  readonly resetStreamDb: () => void;
  readonly disklessSync: () => boolean;
  readonly disklessDelaySec: () => number;
  readonly disklessMaxReplicas: () => number;
  readonly now: () => number;
  readonly random: () => string;
  readonly log: (msg: string) => void;
}

interface Member {
  readonly conn: SyncConnection;
  readonly rdbOnly: boolean;
  /** Asked with PSYNC (gets a +FULLRESYNC line) rather than SYNC. */
  readonly psync: boolean;
  /** Monotonic ms of the replica's last interaction (the diskless delay counts from it). */
  lastInteraction: number;
}

interface DiskJob {
  readonly offset: number;
  readonly replid: string;
  readonly members: Map<number, Member>;
  readonly chunks: Buffer[];
  bytes: number;
  running: RunningSnapshot | null;
}

interface EofJob {
  readonly members: Map<number, Member>;
  readonly mark: string;
  running: RunningSnapshot | null;
}

export class FullSyncs {
  readonly #ctx: FullSyncContext;
  #disk: DiskJob | null = null;
  #eof: EofJob | null = null;
  /** Diskless replicas waiting for the next snapshot (WAIT_BGSAVE_START). */
  readonly #waiting = new Map<number, Member>();
  /** Replicas that arrived too late for the running disk snapshot get the next one. */
  readonly #pendingDisk = new Map<number, Member>();

  constructor(ctx: FullSyncContext) {
    this.#ctx = ctx;
  }

  /** Whether a snapshot for replicas is being produced. */
  get inProgress(): boolean {
    return this.#disk !== null || this.#eof !== null;
  }

  /** Begin a full sync for a replica whose PSYNC could not continue (or that sent SYNC). */
  begin(conn: SyncConnection, conf: ReplconfInfo, opts: { readonly psync: boolean; readonly rdbOnly: boolean }): void {
    const { feeder } = this.#ctx;
    const member: Member = { conn, rdbOnly: opts.rdbOnly, psync: opts.psync, lastInteraction: this.#ctx.now() };
    feeder.attachWaiting(conn, conf, !opts.psync);
    if (this.#ctx.disklessSync() && conf.capaEof) {
      this.#waiting.set(conn.id, member);
      if (this.#ctx.disklessDelaySec() === 0) this.#startEof();
      return;
    }
    const job = this.#disk;
    if (job === null) {
      this.#startDisk(new Map([[conn.id, member]]));
      return;
    }
    // join the snapshot in progress: its offset, and the stream since then from the backlog
    feeder.flush();
    const since = feeder.backlogFrom(job.offset + 1);
    if (since === null) {
      // the running snapshot is older than the backlog: wait for the next one
      this.#pendingDisk.set(conn.id, member);
      return;
    }
    job.members.set(conn.id, member);
    feeder.startHolding(conn.id, [since]);
    if (opts.psync) conn.write(Buffer.from(fullResyncLine(job.replid, job.offset), 'latin1'));
    this.#ctx.log(`Replica ${conn.peerIp} joins the snapshot in progress at offset ${job.offset}`);
  }

  /** Something arrived from a waiting replica: the diskless delay restarts (it is idle time). */
  interaction(id: number): void {
    const m = this.#waiting.get(id);
    if (m !== undefined) m.lastInteraction = this.#ctx.now();
  }

  /** The replica's connection closed or it was dropped. */
  forget(id: number): void {
    this.#waiting.delete(id);
    this.#pendingDisk.delete(id);
    const d = this.#disk;
    if (d !== null && d.members.delete(id) && d.members.size === 0) {
      d.running?.abort();
      this.#disk = null;
    }
    const e = this.#eof;
    if (e !== null && e.members.delete(id) && e.members.size === 0) {
      e.running?.abort();
      this.#eof = null;
    }
  }

  /** Once a second (replicationCron): keepalives to replicas still waiting, and start a due diskless snapshot. */
  cron(): void {
    const nl = Buffer.from('\n');
    for (const m of this.#waiting.values()) m.conn.write(nl);
    for (const m of this.#pendingDisk.values()) m.conn.write(nl);
    if (this.#disk !== null) for (const m of this.#disk.members.values()) m.conn.write(nl);
    this.#maybeStartEof();
  }

  #maybeStartEof(): void {
    if (this.#waiting.size === 0 || this.#eof !== null) return;
    const now = this.#ctx.now();
    let maxIdle = 0;
    for (const m of this.#waiting.values()) maxIdle = Math.max(maxIdle, Math.floor((now - m.lastInteraction) / 1000));
    const max = this.#ctx.disklessMaxReplicas();
    if (maxIdle >= this.#ctx.disklessDelaySec() || (max > 0 && this.#waiting.size >= max)) this.#startEof();
  }

  #startDisk(members: Map<number, Member>): void {
    this.#ctx.feeder.flush();
    const { replid, offset } = this.#ctx.position();
    const job: DiskJob = { offset, replid, members, chunks: [], bytes: 0, running: null };
    this.#disk = job;
    for (const [id, m] of members) {
      this.#ctx.feeder.startHolding(id);
      if (m.psync) m.conn.write(Buffer.from(fullResyncLine(replid, offset), 'latin1'));
    }
    this.#ctx.resetStreamDb();
    this.#ctx.log(`Starting snapshot for replication at offset ${offset} (${members.size} replica(s), disk framing)`);
    const sink: ChunkSink = {
      write: (c) => {
        job.chunks.push(c);
        job.bytes += c.length;
      },
      backpressure: () => null,
    };
    job.running = this.#ctx.snapshots.start({ streamDb: this.#ctx.streamDb(), replId: replid, offset }, sink);
    job.running.done.then(
      () => this.#diskDone(job),
      (e: unknown) => {
        if (this.#disk !== job) return;
        this.#disk = null;
        this.#jobFailed(job.members, e);
        this.#startPendingDisk();
      },
    );
  }

  #diskDone(job: DiskJob): void {
    if (this.#disk !== job) return;
    this.#disk = null;
    const header = Buffer.from(`$${job.bytes}\r\n`, 'latin1');
    const payload = Buffer.concat([header, ...job.chunks]);
    for (const [id, m] of job.members) {
      this.#ctx.feeder.setState(id, 'send_bulk');
      m.conn.write(payload);
      this.#finished(id, m, false);
    }
    this.#ctx.log(`Synchronization with ${job.members.size} replica(s) succeeded (${job.bytes} bytes)`);
    this.#startPendingDisk();
  }

  #startPendingDisk(): void {
    if (this.#pendingDisk.size === 0) return;
    const pending = new Map(this.#pendingDisk);
    this.#pendingDisk.clear();
    this.#startDisk(pending);
  }

  #startEof(): void {
    if (this.#eof !== null || this.#waiting.size === 0) return;
    this.#ctx.feeder.flush();
    const { replid, offset } = this.#ctx.position();
    const members = new Map(this.#waiting);
    this.#waiting.clear();
    const mark = this.#ctx.random();
    const job: EofJob = { members, mark, running: null };
    this.#eof = job;
    const head = Buffer.from(`$EOF:${mark}\r\n`, 'latin1');
    for (const [id, m] of members) {
      const line = m.psync ? fullResyncLine(replid, offset) : '';
      // stays wait_bgsave while streaming, as 7.0 shows for a socket-target transfer
      this.#ctx.feeder.startHolding(id);
      m.conn.write(Buffer.concat([Buffer.from(line, 'latin1'), head]));
    }
    this.#ctx.resetStreamDb();
    this.#ctx.log(`Starting snapshot for replication at offset ${offset} (${members.size} replica(s), diskless)`);
    const sink: ChunkSink = {
      write: (c) => {
        for (const m of job.members.values()) m.conn.write(c);
      },
      backpressure: () => {
        const waits: Promise<void>[] = [];
        for (const m of job.members.values()) {
          const p = m.conn.backpressure();
          if (p !== null) waits.push(p);
        }
        return waits.length === 0 ? null : Promise.all(waits).then(() => undefined);
      },
    };
    job.running = this.#ctx.snapshots.start({ streamDb: this.#ctx.streamDb(), replId: replid, offset }, sink);
    job.running.done.then(
      () => {
        if (this.#eof !== job) return;
        this.#eof = null;
        const tail = Buffer.from(mark, 'latin1');
        for (const [id, m] of job.members) {
          m.conn.write(tail);
          this.#finished(id, m, true);
        }
        this.#ctx.log(`Diskless synchronization with ${job.members.size} replica(s) succeeded`);
        this.#maybeStartEof();
      },
      (e: unknown) => {
        if (this.#eof === job) this.#eof = null;
        this.#jobFailed(job.members, e);
      },
    );
  }

  #finished(id: number, m: Member, eof: boolean): void {
    if (m.rdbOnly) {
      // redis-cli --rdb: the connection only wanted the snapshot
      this.#ctx.feeder.drop(id, 'rdb-only transfer complete');
      return;
    }
    this.#ctx.feeder.payloadSent(id, eof);
  }

  #jobFailed(members: Map<number, Member>, e: unknown): void {
    for (const id of members.keys()) this.#ctx.feeder.drop(id, `snapshot for replication failed: ${String(e)}`);
  }
}
