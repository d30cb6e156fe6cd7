/**
 * Replication for one tredis node: its history, its replicas (master side) and its master link (replica side),
 * the role changes between them (PSYNC2 promotion/demotion), and the 1 Hz / 10 Hz cron. Commands (commands.ts)
 * and the node's execution wrapper call in here; sockets and the dataset are reached through the ports.
 */
import type { Socket } from 'node:net';
import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { LoadResult } from '../persistence/rdb-loader.js';
import type { PropagatedCommand } from '../propagation.js';
import { effectiveBacklogSize, type ReplicationConfig } from './config.js';
import { CLOSED_GATE, type GateState, type MutableGateState } from './gate.js';
import { ReplicationHistory } from './history.js';
import type { ReplicationView } from './info.js';
import { ReplicaFeeder } from './primary/feeder.js';
import { FullSyncs, type SnapshotProducer } from './primary/full-sync.js';
import { countAcked, minReplicasActive, replicaViews, timedOutReplicas } from './primary/replica-records.js';
import { StreamEncoder } from './primary/stream-encoder.js';
import { WaitQueue } from './primary/wait-queue.js';
import { FailoverControl } from './failover-control.js';
import { masterLinkHost, MasterClientSlot } from './replica/link-host.js';
import { MasterLink, type CachedMaster, type MasterLinkHost } from './replica/master-link.js';
import { GETACK_COMMAND, PING_COMMAND } from './wire.js';

export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

/** What replication needs from the node. */
export interface ReplicationPorts {
  readonly clock: Clock;
  readonly random: Random;
  log(level: LogLevel, msg: string): void;
  /** Live settings (CONFIG SET changes them in place or swaps the object: read through this every time). */
  config(): ReplicationConfig;
  readonly databases: number;
  /** Our client port (REPLCONF listening-port unless replica-announce-port is set). */
  ownPort(): number;
  readonly snapshots: SnapshotProducer;
  dial(host: string, port: number): Socket;
  /** Replace the whole dataset with a loaded one (full sync). */
  installDataset(result: LoadResult): void;
  /** A client for our master's stream (CLIENT LIST shows it, flags=M): runs commands with no reply, no checks. */
  openMasterClient(host: string, port: number): MasterClient;
  /** Pause/unpause writes of normal clients (FAILOVER, SHUTDOWN); `paused` covers any pause (CLIENT PAUSE too). */
  pauseWrites(owner: 'failover' | 'shutdown'): void;
  unpauseWrites(owner: 'failover' | 'shutdown'): void;
  writesPaused(): boolean;
  /** Run fn after the current event-loop turn (setImmediate). */
  schedule(fn: () => void): void;
  /** An EXEC is running its queue (WAIT inside a transaction answers at once, as with CLIENT_MULTI). */
  inExec?(): boolean;
  /** The node became a replica or a master (a replica stops expiring keys itself; HELLO's role). */
  roleChanged?(role: 'master' | 'replica'): void;
}

/** The replica's client for its master's stream. */
export interface MasterClient {
  /** The session id (CLIENT KILL TYPE master ends up in clientClosed with it). */
  readonly id: number;
  /** The db the stream is in (SELECT from the master changes it). */
  db: number;
  run(argv: string[]): void;
  close(): void;
}

const HZ_MS = 100;

export class ReplicationService {
  readonly ports: ReplicationPorts;
  readonly history: ReplicationHistory;
  readonly encoder = new StreamEncoder();
  readonly feeder: ReplicaFeeder;
  readonly syncs: FullSyncs;
  readonly waits = new WaitQueue();
  readonly failover: FailoverControl;
  #link: MasterLink | null = null;
  readonly #masterClient: MasterClientSlot;
  /** Offset right after each client's last command (WAIT's target). */
  readonly #clientOffsets = new Map<number, number>();
  #noReplicasSince: number;
  #lastPing: number;
  #timer: NodeJS.Timeout | null = null;
  #ticks = 0;
  #getackScheduled = false;

  constructor(ports: ReplicationPorts) {
    this.ports = ports;
    this.history = new ReplicationHistory(ports.random);
    const now = (): number => ports.clock.monotonic();
    this.#noReplicasSince = now();
    this.#lastPing = now();
    this.feeder = new ReplicaFeeder(this.history, { schedule: ports.schedule, now, heldLimit: () => 256 * 1024 * 1024 });
    this.syncs = new FullSyncs({
      feeder: this.feeder,
      snapshots: ports.snapshots,
      position: () => ({ replid: this.history.replid, offset: this.history.masterReplOffset }),
      streamDb: () => (this.#link !== null ? (this.#masterClient.current?.db ?? 0) : Math.max(this.encoder.currentDb, 0)),
      resetStreamDb: () => {
        if (this.#link === null) this.encoder.resetDb();
      },
      disklessSync: () => ports.config().replDisklessSync,
      disklessDelaySec: () => ports.config().replDisklessSyncDelay,
      disklessMaxReplicas: () => ports.config().replDisklessSyncMaxReplicas,
      now,
      random: () => ports.random.hex(40),
      log: (m) => ports.log('notice', m),
    });
    this.failover = new FailoverControl(this);
    this.#masterClient = new MasterClientSlot(() => ports.openMasterClient(this.#link?.host ?? '?', this.#link?.port ?? 0));
    this.#linkHost = masterLinkHost({
      ports,
      history: this.history,
      feeder: this.feeder,
      failover: this.failover,
      masterClient: this.#masterClient,
    });
  }

  readonly #linkHost: MasterLinkHost;

  // ---- lifecycle ----

  /** Begin as configured (`replicaof` in the config file makes this a replica at start-up). */
  start(): void {
    const r = this.ports.config().replicaof;
    // a replica from its config file has no cached master unless its RDB carried one (it does not PSYNC with
    // its own id as REPLICAOF on a running master does)
    if (r !== null) this.#setMaster(r.host, r.port, this.#pendingCached);
    this.#timer = setInterval(() => this.#tick(), HZ_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#link?.close();
    this.#masterClient.close();
    this.feeder.dropAll('server shutting down');
  }

  /**
   * Start-up from an RDB carrying repl-id/repl-offset (rdb.c rdbPopulateSaveInfo consumers): a master keeps the
   * saved history as replid2 so its former replicas continue; a replica uses it as its cached master.
   */
  restoreFromRdb(repl: { replId: string; offset: number; streamDb: number }): void {
    const size = effectiveBacklogSize(this.ports.config());
    if (this.ports.config().replicaof === null) {
      this.history.restoreAsMaster(repl.replId, repl.offset, size);
    } else {
      this.history.adoptMasterHistory(repl.replId, repl.offset, size);
      this.#pendingCached = { replid: repl.replId, offset: repl.offset, db: repl.streamDb };
    }
  }

  #pendingCached: CachedMaster | null = null;

  /**
   * rdbPopulateSaveInfo: the replication state an RDB saved now should carry (repl-stream-db/-id/-offset), so a
   * restart can resynchronise partially; undefined when the node is in no replication chain.
   */
  replInfo(): { streamDb: number; replId: string; offset: number } | undefined {
    const h = this.history;
    const at = (streamDb: number): { streamDb: number; replId: string; offset: number } => ({
      streamDb,
      replId: h.replid,
      offset: h.masterReplOffset,
    });
    if (this.#link === null) return h.backlog !== null ? at(Math.max(this.encoder.currentDb, 0)) : undefined;
    const mc = this.#masterClient.current;
    if (mc !== null && this.#link.state === 'connected') return at(mc.db);
    const cached = this.#link.cached;
    return cached !== null ? at(cached.db) : undefined;
  }

  // ---- role ----

  get isReplica(): boolean {
    return this.#link !== null;
  }

  get link(): MasterLink | null {
    return this.#link;
  }

  /** REPLICAOF host port (replicationSetMaster). Returns false if already following that master. */
  setMaster(host: string, port: number): boolean {
    const cur = this.#link;
    if (cur !== null && cur.host.toLowerCase() === host.toLowerCase() && cur.port === port) return false;
    this.#setMaster(host, port);
    return true;
  }

  #setMaster(host: string, port: number, fromConfig?: CachedMaster | null): void {
    const wasMaster = this.#link === null;
    let cached: CachedMaster | null = this.#link?.close() ?? null;
    this.#masterClient.close();
    if (fromConfig !== undefined) {
      cached = fromConfig;
      this.#pendingCached = null;
    } else if (wasMaster) {
      // replicationCacheMasterUsingMyself: PSYNC the new master with our own history
      cached = { replid: this.history.replid, offset: this.history.masterReplOffset, db: 0 };
      if (this.history.backlog === null) this.history.createBacklog(effectiveBacklogSize(this.ports.config()));
      this.waits.process(() => 0, Number.POSITIVE_INFINITY); // blocked WAITs are released (disconnectAllBlockedClients)
    }
    this.ports.config().replicaof = { host, port };
    if (wasMaster) this.ports.roleChanged?.('replica');
    this.ports.log('notice', `Connecting to MASTER ${host}:${port}`);
    const link = new MasterLink(host, port, cached, this.#linkHost);
    this.#link = link;
    link.connect();
  }

  /** REPLICAOF NO ONE (replicationUnsetMaster): keep the offset, shift the id, drop replicas so they re-PSYNC. */
  unsetMaster(reason: string): void {
    const link = this.#link;
    if (link === null) return;
    link.close();
    this.#link = null;
    this.#masterClient.close();
    this.ports.config().replicaof = null;
    this.history.shiftReplid();
    if (this.history.backlog === null) this.history.createBacklog(effectiveBacklogSize(this.ports.config()));
    this.feeder.dropAll('master mode enabled: replication id changed');
    this.encoder.resetDb();
    this.#noReplicasSince = this.ports.clock.monotonic();
    this.ports.roleChanged?.('master');
    this.ports.log('notice', `MASTER MODE enabled (${reason})`);
  }

  // ---- master side ----

  /** PropagationConsumer: a replica only forwards its master's bytes, never its own commands. */
  propagate(unit: readonly PropagatedCommand[]): void {
    if (this.#link !== null || this.history.backlog === null) return;
    this.feeder.feed(this.encoder.encodeUnit(unit));
  }

  /** Unwrapped units (active expiry, eviction): each op alone. */
  propagateUnwrapped(unit: readonly PropagatedCommand[]): void {
    if (this.#link !== null || this.history.backlog === null) return;
    this.feeder.feed(this.encoder.encodeUnit(unit, false));
  }

  /** After every command of a normal client: WAIT targets the offset right after it. */
  noteClientCommand(clientId: number): void {
    const off = this.history.masterReplOffset;
    // a node that never fed a backlog stays at offset 0, which clientOffset answers for absent clients anyway:
    // skip the Map write on every command of a standalone node
    if (off === 0 && this.#clientOffsets.size === 0) return;
    this.#clientOffsets.set(clientId, off);
  }

  clientOffset(clientId: number): number {
    return this.#clientOffsets.get(clientId) ?? 0;
  }

  /** The server core's session-close hook. */
  clientClosed(clientId: number): void {
    if (this.#masterClient.current?.id === clientId) {
      // CLIENT KILL TYPE master: drop the link (cached with the client's db) and reconnect at once
      this.#link?.kill();
      this.#masterClient.forget();
      return;
    }
    this.#clientOffsets.delete(clientId);
    for (const fn of this.#closeListeners) fn(clientId);
    if (this.feeder.detach(clientId)) this.#replicaGone(clientId);
  }

  onClientClosed(fn: (clientId: number) => void): void {
    this.#closeListeners.push(fn);
  }

  readonly #closeListeners: ((clientId: number) => void)[] = [];

  /** replicationCountAcksByOffset */
  countAcked(offset: number): number {
    return countAcked(this.feeder.records(), offset);
  }

  #replicaGone(id: number): void {
    this.syncs.forget(id);
    if (this.feeder.count === 0) this.#noReplicasSince = this.ports.clock.monotonic();
    this.failover.replicaGone();
  }

  /** A replica's ACK arrived: unblock WAITs and FAILOVER/SHUTDOWN checks (processClientsWaitingReplicas). */
  ackReceived(id: number, offset: number): void {
    // a replica still waiting for a diskless snapshot restarts its delay by talking (lastinteraction)
    this.syncs.interaction(id);
    this.feeder.ack(id, offset);
    this.waits.process((o) => countAcked(this.feeder.records(), o), this.ports.clock.monotonic());
    this.failover.check();
  }

  /**
   * A replica sent an empty line (it does, at most once a second, while it loads our payload): proof of life
   * like an ACK without an offset (processInlineBuffer sets repl_ack_time; the read sets lastinteraction).
   */
  replicaKeepalive(id: number): void {
    this.syncs.interaction(id);
    this.feeder.touch(id);
  }

  /** A WAIT blocked: ask every replica for an ACK, once per event-loop turn, unless clients are paused. */
  requestAcks(): void {
    if (this.#getackScheduled) return;
    this.#getackScheduled = true;
    this.ports.schedule(() => {
      this.#getackScheduled = false;
      if (this.#link === null && !this.ports.writesPaused()) this.feeder.feed(GETACK_COMMAND);
    });
  }

  /** Append `REPLCONF GETACK *` now (SHUTDOWN starting to wait). */
  getackNow(): void {
    if (this.#link === null) this.feeder.feed(GETACK_COMMAND);
  }

  goodReplicas(): number {
    return this.feeder.countGood(this.ports.clock.monotonic(), this.ports.config().minReplicasMaxLag);
  }

  /**
   * Whether any replication check can refuse a command of this kind of client right now: a plain master with
   * min-replicas off refuses nothing, so the per-command guards stay free on the hot path.
   */
  gateActive(kind: 'normal' | 'replica' | 'master'): boolean {
    if (kind === 'master') return false;
    if (this.#link !== null || kind === 'replica') return true;
    const c = this.ports.config();
    return minReplicasActive(c.minReplicasToWrite, c.minReplicasMaxLag);
  }

  /**
   * The gate's inputs, written into `into` (the per-command guards pass one object they reuse: nothing is
   * allocated per command).
   */
  gateState(into: MutableGateState = { ...CLOSED_GATE }): GateState {
    const c = this.ports.config();
    const active = minReplicasActive(c.minReplicasToWrite, c.minReplicasMaxLag);
    into.isReplica = this.#link !== null;
    into.linkUp = this.#link?.state === 'connected';
    into.readOnly = c.replicaReadOnly;
    into.serveStaleData = c.replicaServeStaleData;
    into.notEnoughGoodReplicas = active && this.#link === null && this.goodReplicas() < c.minReplicasToWrite;
    return into;
  }

  /** PSYNC from sub-replicas is refused while our own link is not up. */
  canServeSync(): boolean {
    return this.#link === null || this.#link.state === 'connected';
  }

  ensureBacklogForFirstReplica(): void {
    if (this.history.backlog === null && this.feeder.count === 0) {
      this.history.createBacklogForFirstReplica(effectiveBacklogSize(this.ports.config()));
      this.ports.log('notice', `Replication backlog created, my new replication IDs are '${this.history.replid}' and '${this.history.replid2}'`);
    }
  }

  /** CONFIG SET repl-backlog-size. */
  configChanged(): void {
    this.history.backlog?.resize(effectiveBacklogSize(this.ports.config()));
  }

  view(): ReplicationView {
    const now = this.ports.clock.monotonic();
    const c = this.ports.config();
    const link = this.#link;
    const secs = (since: number): number => Math.floor((now - since) / 1000);
    let master: ReplicationView['master'] = null;
    if (link !== null) {
      const off = link.offsets();
      const t = link.transfer();
      master = {
        host: link.host,
        port: link.port,
        roleState: link.state,
        lastIoSecondsAgo: link.live ? secs(link.lastIo) : -1,
        readOffset: off?.read ?? null,
        appliedOffset: off?.applied ?? null,
        liveOffset: link.live ? (off?.applied ?? -1) : -1,
        transfer: t === null ? null : { totalBytes: t.totalBytes, readBytes: t.readBytes, lastIoSecondsAgo: secs(t.lastIo) },
        downSinceSeconds: link.downSince === null ? -1 : secs(link.downSince),
      };
    }
    return {
      master,
      priority: c.replicaPriority,
      readOnly: c.replicaReadOnly,
      announced: c.replicaAnnounced,
      replicas: replicaViews(this.feeder.records(), now),
      goodReplicas: minReplicasActive(c.minReplicasToWrite, c.minReplicasMaxLag) ? this.goodReplicas() : null,
      failoverState: this.failover.state,
      history: this.history.snapshot(),
      // resizeReplicationBacklog clamps the configured size itself, so INFO shows at least 16 KB
      backlogSize: effectiveBacklogSize(c),
    };
  }

  // ---- cron ----

  #tick(): void {
    this.#ticks++;
    const now = this.ports.clock.monotonic();
    this.waits.process((o) => countAcked(this.feeder.records(), o), now);
    this.failover.tick(now);
    // replicationCron runs once a second (10 times a second while a FAILOVER waits)
    if (this.#ticks % 10 !== 0 && !this.failover.active) return;
    if (this.#ticks % 10 === 0) this.#cron(now);
  }

  #cron(now: number): void {
    const c = this.ports.config();
    this.#link?.cron();
    this.syncs.cron();
    // replicas (ours, also on an intermediate replica) silent for repl-timeout are dropped
    for (const r of timedOutReplicas(this.feeder.records(), now, c.replTimeout)) {
      this.ports.log('warning', `Disconnecting timedout replica (streaming sync): ${r.peerIp}:${r.conf.listeningPort}`);
      this.feeder.drop(r.id, 'timeout');
      this.#replicaGone(r.id);
    }
    if (this.#link !== null) return;
    // keepalive PING through the stream; not while a FAILOVER with TIMEOUT has writes paused
    if (this.feeder.count > 0 && now - this.#lastPing >= c.replPingReplicaPeriod * 1000) {
      this.#lastPing = now;
      if (!this.failover.suppressPings()) this.feeder.feed(PING_COMMAND);
    }
    // only a master frees its backlog: a replica needs it if it is promoted
    if (this.feeder.count > 0) this.#noReplicasSince = now;
    else if (c.replBacklogTtl > 0 && this.history.backlog !== null && now - this.#noReplicasSince > c.replBacklogTtl * 1000) {
      this.history.expireBacklog();
      this.ports.log('notice', `Replication backlog freed after ${c.replBacklogTtl} seconds without connected replicas.`);
    }
  }

}
