/**
 * A fake Redis node for simulations: role, replication link and offsets, run id and replication ids, INFO text in
 * the 7.0 format, and the commands a sentinel sends (PING, INFO, AUTH, CLIENT, SUBSCRIBE, PUBLISH, MULTI/EXEC,
 * SLAVEOF, CONFIG REWRITE, SCRIPT KILL, FAILOVER TO). Replication is modelled, not simulated byte by byte: a
 * linked replica has its master's offset unless it is told to lag.
 */
import type { Random } from '../../../src/common/random.js';
import type { Reply } from '../../../src/sentinel/protocol/reply.js';

export interface NodeHooks {
  /** Find the node at host:port (null: nothing there or dead). */
  node(host: string, port: number): FakeNode | null;
  /** Can `a` reach `b` (network partitions)? */
  reachable(a: string, b: string): boolean;
  now(): number;
  after(ms: number, fn: () => void): void;
  /** Deliver a pub/sub message to every subscriber of `channel` on this node. */
  publish(node: FakeNode, channel: string, payload: string): number;
  /** CLIENT KILL TYPE normal|pubsub: close those connections, except `except`. */
  killClients(node: FakeNode, type: 'normal' | 'pubsub', except: unknown): void;
  random: Random;
}

export class FakeNode {
  alive = true;
  runid: string;
  replId: string;
  replId2 = '0000000000000000000000000000000000000000';
  secondOffset = -1;
  role: 'master' | 'slave' = 'master';
  masterHost: string | null = null;
  masterPort = 0;
  linkUp = false;
  linkDownSince = 0;
  offset = 0;
  priority = 100;
  announced = true;
  loading = false;
  /** Does not receive writes even when linked (to model a lagging replica). */
  lagging = false;
  requirePass: string | null = null;
  /** What CONFIG REWRITE persisted: restarts come back with this role. */
  persistedReplicaOf: { host: string; port: number } | null = null;
  /** Writes accepted while master (for write-loss accounting): offset at each write id. */
  readonly writes = new Map<number, number>();
  /** Set by a coordinated FAILOVER TO until it completes. */
  failoverTarget: FakeNode | null = null;
  syncDelay = 20;
  #syncGen = 0;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly hooks: NodeHooks,
  ) {
    this.runid = hooks.random.hex(40);
    this.replId = hooks.random.hex(40);
  }

  get addr(): string {
    return `${this.host}:${this.port}`;
  }

  /** The node this one replicates from, if the link could be up. */
  upstream(): FakeNode | null {
    if (this.role !== 'slave' || this.masterHost === null) return null;
    const m = this.hooks.node(this.masterHost, this.masterPort);
    if (m === null || !m.alive || m.role !== 'master' || !this.hooks.reachable(this.addr, m.addr)) return null;
    return m;
  }

  /** Re-evaluate the replication link (after kills, partitions, role changes). */
  refreshLink(): void {
    if (this.role !== 'slave') {
      this.linkUp = false;
      return;
    }
    const up = this.upstream();
    if (up === null) {
      if (this.linkUp) {
        this.linkUp = false;
        this.linkDownSince = this.hooks.now();
      }
      return;
    }
    if (!this.linkUp) {
      const gen = ++this.#syncGen;
      this.hooks.after(this.syncDelay, () => {
        if (gen !== this.#syncGen || !this.alive) return;
        const m = this.upstream();
        if (m === null) return;
        this.linkUp = true;
        // a synced replica shares its master's replication id (PSYNC2), which a promotion keeps as replid2
        this.replId = m.replId;
        if (!this.lagging) this.offset = m.offset;
      });
    }
  }

  replicas(all: Iterable<FakeNode>): FakeNode[] {
    const out: FakeNode[] = [];
    for (const n of all) {
      if (n !== this && n.alive && n.role === 'slave' && n.masterHost === this.host && n.masterPort === this.port && n.linkUp) out.push(n);
    }
    return out;
  }

  /** A client write on this master (acknowledged by the node itself). */
  write(id: number, all: Iterable<FakeNode>): boolean {
    if (!this.alive || this.role !== 'master' || this.failoverTarget !== null) return false;
    this.offset += 10;
    this.writes.set(id, this.offset);
    for (const r of this.replicas(all)) if (!r.lagging) r.offset = this.offset;
    return true;
  }

  becomeMaster(): void {
    if (this.role === 'master') return;
    this.role = 'master';
    this.replId2 = this.replId;
    this.secondOffset = this.offset + 1;
    this.replId = this.hooks.random.hex(40);
    this.masterHost = null;
    this.masterPort = 0;
    this.linkUp = false;
  }

  becomeReplicaOf(host: string, port: number): void {
    if (this.role === 'slave' && this.masterHost === host && this.masterPort === port) return;
    this.role = 'slave';
    this.masterHost = host;
    this.masterPort = port;
    this.linkUp = false;
    this.linkDownSince = this.hooks.now();
    this.refreshLink();
  }

  /** Process death (kill -9): state that was not persisted is gone. */
  kill(): void {
    this.alive = false;
    this.linkUp = false;
  }

  /** Restart: new run id, role from the persisted config, offset kept (as if loaded from RDB). */
  restart(): void {
    this.alive = true;
    this.runid = this.hooks.random.hex(40);
    this.replId = this.hooks.random.hex(40);
    this.replId2 = '0000000000000000000000000000000000000000';
    this.failoverTarget = null;
    if (this.persistedReplicaOf !== null) {
      this.role = 'master';
      this.becomeReplicaOf(this.persistedReplicaOf.host, this.persistedReplicaOf.port);
    } else {
      this.role = 'master';
      this.masterHost = null;
      this.linkUp = false;
    }
  }

  info(all: Iterable<FakeNode>): string {
    const now = this.hooks.now();
    const lines = ['# Server', 'redis_version:7.0.15', 'redis_mode:standalone', `run_id:${this.runid}`, `tcp_port:${this.port}`, ''];
    lines.push('# Persistence', `loading:${this.loading ? 1 : 0}`, '');
    lines.push('# Replication', `role:${this.role}`);
    if (this.role === 'slave') {
      lines.push(
        `master_host:${this.masterHost ?? ''}`,
        `master_port:${this.masterPort}`,
        `master_link_status:${this.linkUp ? 'up' : 'down'}`,
        `master_last_io_seconds_ago:${this.linkUp ? 0 : -1}`,
        'master_sync_in_progress:0',
        `slave_read_repl_offset:${this.offset}`,
        `slave_repl_offset:${this.offset}`,
      );
      if (!this.linkUp) lines.push(`master_link_down_since_seconds:${Math.floor((now - this.linkDownSince) / 1000)}`);
      lines.push(`slave_priority:${this.priority}`, 'slave_read_only:1', `replica_announced:${this.announced ? 1 : 0}`);
    }
    const reps = this.role === 'master' ? this.replicas(all) : [];
    lines.push(`connected_slaves:${reps.length}`);
    reps.forEach((r, i) => lines.push(`slave${i}:ip=${r.host},port=${r.port},state=online,offset=${r.offset},lag=0`));
    lines.push(
      `master_failover_state:${this.failoverTarget !== null ? 'waiting-for-sync' : 'no-failover'}`,
      `master_replid:${this.replId}`,
      `master_replid2:${this.replId2}`,
      `master_repl_offset:${this.offset}`,
      `second_repl_offset:${this.secondOffset}`,
    );
    return lines.join('\r\n') + '\r\n';
  }

  /** Execute one command (already authenticated checks done by the caller's connection state). */
  exec(args: readonly string[], conn: NodeConn, all: () => Iterable<FakeNode>): Reply {
    const cmd = (args[0] ?? '').toUpperCase();
    if (this.requirePass !== null && !conn.authed && cmd !== 'AUTH') return err('NOAUTH Authentication required.');
    if (conn.inMulti && cmd !== 'EXEC' && cmd !== 'MULTI') {
      conn.queued.push(args);
      return ok('QUEUED');
    }
    switch (cmd) {
      case 'AUTH': {
        const pass = args[args.length - 1];
        if (this.requirePass === null) return err('ERR AUTH <password> called without any password configured for the default user.');
        if (pass !== this.requirePass) return err('WRONGPASS invalid username-password pair or user is disabled.');
        conn.authed = true;
        return ok('OK');
      }
      case 'PING':
        if (this.loading) return err('LOADING Redis is loading the dataset in memory');
        return ok('PONG');
      case 'INFO':
        return ok(this.info(all()));
      case 'CLIENT': {
        const sub = (args[1] ?? '').toUpperCase();
        if (sub === 'SETNAME') {
          conn.name = args[2] ?? '';
          return ok('OK');
        }
        if (sub === 'KILL') {
          this.hooks.killClients(this, (args[3] ?? '').toLowerCase() === 'pubsub' ? 'pubsub' : 'normal', conn);
          return { kind: 'int', value: 0 };
        }
        return err('ERR unknown subcommand');
      }
      case 'SUBSCRIBE':
        conn.subscribed = true;
        return { kind: 'array', items: [ok('subscribe'), ok(args[1] ?? ''), { kind: 'int', value: 1 }] };
      case 'PUBLISH':
        return { kind: 'int', value: this.hooks.publish(this, args[1] ?? '', args[2] ?? '') };
      case 'MULTI':
        conn.inMulti = true;
        conn.queued = [];
        return ok('OK');
      case 'EXEC': {
        if (!conn.inMulti) return err('ERR EXEC without MULTI');
        conn.inMulti = false;
        const q = conn.queued;
        conn.queued = [];
        return { kind: 'array', items: q.map((a) => this.exec(a, conn, all)) };
      }
      case 'SLAVEOF':
      case 'REPLICAOF': {
        const h = args[1] ?? '';
        const p = args[2] ?? '';
        if (h.toUpperCase() === 'NO' && p.toUpperCase() === 'ONE') {
          this.becomeMaster();
          for (const n of all()) n.refreshLink();
        } else {
          this.becomeReplicaOf(h, Number(p));
        }
        return ok('OK');
      }
      case 'CONFIG':
        if ((args[1] ?? '').toUpperCase() === 'REWRITE') {
          this.persistedReplicaOf = this.role === 'slave' && this.masterHost !== null ? { host: this.masterHost, port: this.masterPort } : null;
          return ok('OK');
        }
        return err('ERR unknown subcommand');
      case 'SCRIPT':
        return err('NOTBUSY No scripts in execution right now.');
      case 'FAILOVER': {
        // FAILOVER TO host port TIMEOUT ms: pause writes, wait for the target to catch up, then swap roles.
        const target = this.hooks.node(args[2] ?? '', Number(args[3] ?? '0'));
        if (this.role !== 'master') return err('ERR FAILOVER is not valid when server is a replica.');
        if (target === null || !this.replicas(all()).includes(target)) return err('ERR FAILOVER target HOST and PORT is not a replica.');
        this.failoverTarget = target;
        this.hooks.after(5, () => {
          if (!this.alive || this.failoverTarget !== target || !target.alive) {
            this.failoverTarget = null;
            return;
          }
          target.offset = this.offset;
          target.becomeMaster();
          this.failoverTarget = null;
          this.becomeReplicaOf(target.host, target.port);
          for (const n of all()) n.refreshLink();
        });
        return ok('OK');
      }
      default:
        return err(`ERR unknown command '${args[0] ?? ''}'`);
    }
  }
}

export interface NodeConn {
  authed: boolean;
  inMulti: boolean;
  queued: (readonly string[])[];
  subscribed: boolean;
  name: string;
}

function ok(value: string): Reply {
  return { kind: 'string', value };
}

function err(message: string): Reply {
  return { kind: 'error', message };
}
