/**
 * The replica's connection to its master: dials, runs the link protocol over the socket, loads the payload into a
 * new dataset while the old one keeps serving, applies the stream, ACKs once a second, and reconnects with the
 * cached master (replication.c connectWithMaster, syncWithMaster, readSyncBulkPayload, replicationCron,
 * replicationCacheMaster / replicationResurrectCachedMaster).
 *
 * A failed or corrupt transfer never touches the dataset: the payload is parsed into fresh Maps and installed
 * only once it is complete and its checksum verified.
 */
import type { Socket } from 'node:net';
import type { Clock } from '../../../common/clock.js';
import { RdbLoader, type LoadResult } from '../../persistence/rdb-loader.js';
import type { RoleLinkState } from '../info.js';
import type { HandshakeConfig, PsyncOutcome } from './handshake.js';
import { ReplicaLinkProtocol, type ReplicaLinkSink } from './link-protocol.js';

/** The cached master: what the next PSYNC asks for, and the db the stream continues in. */
export interface CachedMaster {
  readonly replid: string;
  /** Last applied offset (PSYNC asks for offset + 1). */
  readonly offset: number;
  readonly db: number;
}

/** What the link needs from the rest of the replica. */
export interface MasterLinkHost {
  readonly clock: Clock;
  dial(host: string, port: number): Socket;
  /** Handshake settings read at each attempt (announce ip/port, masterauth may change). */
  handshakeSettings(): Omit<HandshakeConfig, 'cached' | 'failover'>;
  readonly databases: number;
  readonly replTimeoutMs: () => number;
  /** PSYNC … FAILOVER for this attempt (FAILOVER in progress on this, the old master). */
  readonly failoverHandover: () => boolean;
  /** +FULLRESYNC/SYNC: sub-replicas must full-sync too and our backlog is void (syncWithMaster). */
  fullSyncStarting(): void;
  /** +CONTINUE: stream continues; `newReplid` when the master's id changed. */
  partialSyncAccepted(newReplid: string | null): void;
  /** The payload loaded: install it and adopt the master's history at `offset`. */
  installDataset(result: LoadResult, replid: string | null, offset: number): void;
  /** Execute one command from the master (SELECT/MULTI/EXEC included); replies are discarded. */
  runMasterCommand(argv: string[]): void;
  /** The db the master client has selected. */
  masterDb(): number;
  /** The node's replid (the history the stream belongs to). */
  currentReplid(): string;
  setMasterDb(db: number): void;
  /** Credited stream bytes: into our backlog and to sub-replicas, byte-identical. */
  streamApplied(raw: Buffer, offset: number): void;
  /** The PSYNC outcome ended a FAILOVER hand-over (accepted, or rejected). */
  psyncOutcome(outcome: PsyncOutcome): void;
  linkUp(): void;
  linkDown(): void;
  /** A connection attempt failed before the link came up. */
  attemptFailed(reason: string): void;
  log(msg: string): void;
}

export class MasterLink {
  readonly host: string;
  readonly port: number;
  readonly #h: MasterLinkHost;
  #state: RoleLinkState = 'connect';
  #socket: Socket | null = null;
  #proto: ReplicaLinkProtocol | null = null;
  #loader: RdbLoader | null = null;
  #full: { replid: string | null; offset: number } | null = null;
  /** Monotonic ms of the last byte from the master (lastinteraction / repl_transfer_lastio). */
  #lastIo = 0;
  /** Monotonic ms the link went down, or null if it was never up (master_link_down_since_seconds -1). */
  #downSince: number | null = null;
  #cached: CachedMaster | null;
  #closed = false;
  #attempt = 0;

  constructor(host: string, port: number, cached: CachedMaster | null, h: MasterLinkHost) {
    this.host = host;
    this.port = port;
    this.#cached = cached;
    this.#h = h;
  }

  get state(): RoleLinkState {
    return this.#state;
  }

  get cached(): CachedMaster | null {
    return this.#cached;
  }

  /** The live master client (link up and streaming), for ROLE's offset and master_last_io_seconds_ago. */
  get live(): boolean {
    return this.#state === 'connected';
  }

  get lastIo(): number {
    return this.#lastIo;
  }

  get downSince(): number | null {
    return this.#downSince;
  }

  /** slave_read_repl_offset / slave_repl_offset from the live or cached master; null when there is neither. */
  offsets(): { read: number; applied: number } | null {
    const s = this.#proto?.stream;
    if (s !== null && s !== undefined && this.#state === 'connected') return { read: s.readOffset, applied: s.appliedOffset };
    if (this.#cached !== null) return { read: this.#cached.offset, applied: this.#cached.offset };
    return null;
  }

  transfer(): { totalBytes: number; readBytes: number; lastIo: number } | null {
    const t = this.#proto?.transfer ?? null;
    return t === null || this.#state !== 'sync' ? null : { ...t, lastIo: this.#lastIo };
  }

  /** Start (or restart) a connection attempt now. */
  connect(): void {
    if (this.#closed || this.#state !== 'connect') return;
    const attempt = ++this.#attempt;
    this.#state = 'connecting';
    this.#lastIo = this.#h.clock.monotonic();
    const sock = this.#h.dial(this.host, this.port);
    this.#socket = sock;
    sock.setNoDelay(true);
    sock.on('connect', () => {
      if (attempt !== this.#attempt) return;
      this.#startProtocol();
    });
    sock.on('data', (d: Buffer) => {
      if (attempt !== this.#attempt) return;
      this.#lastIo = this.#h.clock.monotonic();
      this.#proto?.feed(d);
    });
    const lost = (why: string): void => {
      if (attempt !== this.#attempt) return;
      this.#drop(`Connection with master lost (${why})`, false);
    };
    sock.on('error', (e: Error) => lost(e.message));
    sock.on('close', () => lost('closed'));
  }

  /** Once a second: ACK, timeouts, reconnects (replicationCron). */
  cron(): void {
    if (this.#closed) return;
    const now = this.#h.clock.monotonic();
    if (this.#state === 'connect') {
      this.connect();
      return;
    }
    if (now - this.#lastIo > this.#h.replTimeoutMs()) {
      this.#drop(this.#state === 'connected' ? 'MASTER timeout: no data nor PING received' : 'Timeout connecting to the MASTER', false);
      return;
    }
    if (this.#state === 'connected') this.sendAck();
  }

  /** REPLCONF ACK with the applied offset (only once streaming, never to a SYNC-era master). */
  sendAck(): void {
    const ack = this.#proto?.ack() ?? null;
    if (ack !== null) this.#socket?.write(ack);
  }

  /** Kill the master connection (CLIENT KILL TYPE master): cache it and reconnect at once. */
  kill(): void {
    if (this.#state === 'connected') this.#drop('killed', true);
  }

  /** Stop for good (REPLICAOF NO ONE / another master); returns the cached master for demotion bookkeeping. */
  close(): CachedMaster | null {
    this.#closed = true;
    this.#attempt++;
    if (this.#state === 'connected') this.#cacheCurrent();
    this.#teardown();
    this.#state = 'connect';
    return this.#cached;
  }

  /** Forget the cached master (a full sync is needed, e.g. after our id changed). */
  discardCached(): void {
    this.#cached = null;
  }

  #startProtocol(): void {
    const settings = this.#h.handshakeSettings();
    const cfg: HandshakeConfig = {
      ...settings,
      cached: this.#cached === null ? null : { replid: this.#cached.replid, offset: this.#cached.offset },
      failover: this.#h.failoverHandover(),
    };
    this.#state = 'handshake';
    this.#proto = new ReplicaLinkProtocol(cfg, this.#sink());
    this.#proto.start();
  }

  #sink(): ReplicaLinkSink {
    const sock = this.#socket!;
    return {
      send: (data) => sock.write(data),
      psyncOutcome: (o) => this.#onPsync(o),
      payloadStart: () => {
        this.#loader = new RdbLoader({ databases: this.#h.databases, dropExpiredBefore: null });
      },
      payloadData: (chunk) => {
        try {
          this.#loader?.push(chunk);
        } catch (e) {
          this.#drop(`Failed trying to load the MASTER synchronization DB: ${String(e)}`, false);
        }
      },
      payloadEnd: () => this.#onPayloadEnd(),
      abort: (reason) => this.#drop(reason, false),
      command: (argv) => this.#onCommand(argv),
      applied: (raw, offset) => this.#h.streamApplied(raw, offset),
      error: (reason) => {
        // a corrupt stream means the cached master cannot be trusted either (freeClient of a desynced master)
        this.#cached = null;
        this.#drop(reason, false, true);
      },
    };
  }

  #onPsync(o: PsyncOutcome): void {
    this.#h.psyncOutcome(o);
    // an aborted FAILOVER hand-over closed this link from inside that call: nothing more to do here
    if (this.#closed) return;
    switch (o.kind) {
      case 'try-later':
        this.#drop(`Master is currently unable to PSYNC but should be in the future: ${o.reply}`, false);
        return;
      case 'continue':
        this.#h.log('MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.');
        this.#h.partialSyncAccepted(o.newReplid);
        if (this.#cached !== null) this.#h.setMasterDb(this.#cached.db);
        this.#up();
        return;
      case 'full':
      case 'not-supported':
        this.#cached = null;
        this.#full = o.kind === 'full' ? { replid: o.replid, offset: o.offset } : { replid: null, offset: -1 };
        this.#state = 'sync';
        this.#h.fullSyncStarting();
        return;
    }
  }

  #onPayloadEnd(): void {
    const loader = this.#loader;
    this.#loader = null;
    if (loader === null || this.#full === null) return;
    let result: LoadResult;
    try {
      result = loader.finish();
    } catch (e) {
      this.#drop(`Failed trying to load the MASTER synchronization DB: ${String(e)}`, false);
      return;
    }
    const { replid, offset } = this.#full;
    this.#full = null;
    this.#h.installDataset(result, replid, Math.max(offset, 0));
    this.#h.setMasterDb(result.repl.streamDb ?? 0);
    this.#h.log(`MASTER <-> REPLICA sync: Finished with success (${result.keysLoaded} keys)`);
    this.#up();
    this.#proto?.payloadLoaded();
  }

  #onCommand(argv: string[]): void {
    const name = argv[0]!.toLowerCase();
    if (name === 'replconf') {
      // GETACK: answer with the offset before this command; other REPLCONFs from a master are ignored
      if (argv[1]?.toLowerCase() === 'getack') this.sendAck();
      return;
    }
    if (name === 'ping') return;
    this.#h.runMasterCommand(argv);
  }

  #up(): void {
    this.#state = 'connected';
    this.#downSince = null;
    this.#h.linkUp();
  }

  #cacheCurrent(): void {
    const s = this.#proto?.stream;
    if (s === null || s === undefined || this.#proto?.preSync === true) return;
    // the stream belongs to the node's current replid (adopted at the sync, or from +CONTINUE <newid>)
    this.#cached = { replid: this.#h.currentReplid(), offset: s.appliedOffset, db: this.#h.masterDb() };
  }

  #drop(reason: string, reconnectNow: boolean, forgetCache = false): void {
    if (this.#closed) return;
    const wasUp = this.#state === 'connected';
    if (wasUp && !forgetCache) this.#cacheCurrent();
    this.#attempt++;
    this.#teardown();
    this.#state = 'connect';
    if (wasUp) {
      this.#downSince = this.#h.clock.monotonic();
      this.#h.linkDown();
    }
    this.#h.log(reason);
    if (!wasUp) this.#h.attemptFailed(reason);
    // a link that was streaming reconnects at once (so the backlog is not recycled meanwhile); failed attempts
    // wait for the next cron tick
    if (wasUp || reconnectNow) this.connect();
  }

  #teardown(): void {
    this.#proto?.close();
    this.#proto = null;
    this.#loader = null;
    this.#full = null;
    const s = this.#socket;
    this.#socket = null;
    if (s !== null) {
      s.removeAllListeners('data');
      s.on('error', () => {});
      s.destroy();
    }
  }
}
