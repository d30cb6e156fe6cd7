/**
 * Deterministic multi-sentinel simulation in the style of etcd-raft's `network` (raft_test.go): real SentinelCores,
 * fake nodes, a simulated network with latency, cut/isolate/drop(p)/heal, virtual time, and a seeded Random. Every
 * effect a core returns is executed here the way the real driver would: connections, commands and replies,
 * persistence into a per-sentinel "disk" (the real config rewrite), events into a trace.
 *
 * Invariant checked on every reply a sentinel sends: a vote it reveals is already on its disk.
 */
import { seededRandom, type Random } from '../../../src/common/random.js';
import { splitArgs } from '../../../src/common/split-args.js';
import { isMasterDownByAddr, publishHello } from '../../../src/sentinel/core/admin.js';
import { SentinelCore } from '../../../src/sentinel/core/core.js';
import { currentMasterAddr } from '../../../src/sentinel/core/instances.js';
import type { ConnKind, Effect, Input } from '../../../src/sentinel/core/io.js';
import type { Timing, Tuning } from '../../../src/sentinel/core/timing.js';
import { loadSentinelDirectives, type SentinelDirective } from '../../../src/sentinel/config/directives.js';
import { rewriteSentinelConfigText } from '../../../src/sentinel/config/rewrite.js';
import type { Reply } from '../../../src/sentinel/protocol/reply.js';
import { EventQueue } from './event-queue.js';
import { FakeNode, type NodeConn } from './fake-node.js';

export interface TraceEntry {
  readonly t: number;
  readonly type: string;
  readonly payload: string;
}

export interface WorldOptions {
  seed: number;
  sentinels?: number;
  replicas?: number;
  quorum?: number;
  downAfter?: number;
  failoverTimeout?: number;
  tuning?: Partial<Tuning>;
  timing?: Partial<Timing>;
  /** One-way latency range in ms. */
  latency?: [number, number];
  /** Extra config lines for every sentinel. */
  extraConfig?: string[];
}

export class SimSentinel {
  core!: SentinelCore;
  alive = true;
  disk = '';
  readonly trace: TraceEntry[] = [];
  readonly logs: string[] = [];
  readonly scripts: (readonly string[])[] = [];
  tickGen = 0;
  /** Event loop blocked until this virtual time (inputs wait, like a stalled process). */
  stalledUntil = 0;
  /** Votes revealed in replies: [master, epoch]. */
  readonly revealed: { epoch: number; diskEpoch: number }[] = [];

  constructor(
    readonly index: number,
    readonly host: string,
    readonly port: number,
  ) {}

  get addr(): string {
    return `${this.host}:${this.port}`;
  }

  events(type?: string): TraceEntry[] {
    return type === undefined ? this.trace : this.trace.filter((e) => e.type === type);
  }
}

interface SimConn {
  readonly id: number;
  readonly s: SimSentinel;
  readonly link: number;
  readonly kind: ConnKind;
  readonly target: string;
  open: boolean;
  readonly nodeConn: NodeConn;
  lastOut: number;
  lastBack: number;
}

export class World {
  readonly q = new EventQueue();
  readonly random: Random;
  readonly nodes: FakeNode[] = [];
  readonly sentinels: SimSentinel[] = [];
  readonly conns = new Map<string, SimConn>();
  readonly cuts = new Set<string>();
  dropP = 0;
  /** Optional filter: return false to drop a pub/sub message or sentinel PUBLISH (hello) before delivery. */
  helloFilter: ((to: SimSentinel, payload: string) => boolean) | null = null;
  #connSeq = 0;
  readonly opts: Required<Omit<WorldOptions, 'tuning' | 'timing' | 'extraConfig'>> & WorldOptions;
  readonly violations: string[] = [];

  constructor(opts: WorldOptions) {
    this.opts = {
      sentinels: 3,
      replicas: 2,
      quorum: 2,
      downAfter: 1000,
      failoverTimeout: 10_000,
      latency: [0.2, 1.0],
      ...opts,
    };
    this.random = seededRandom(opts.seed);
    const hooks = {
      node: (h: string, p: number) => this.nodes.find((n) => n.host === h && n.port === p) ?? null,
      reachable: (a: string, b: string) => this.reachable(a, b),
      now: () => this.q.now,
      after: (ms: number, fn: () => void) => this.q.after(ms, fn),
      publish: (n: FakeNode, ch: string, payload: string) => this.#publishOnNode(n, ch, payload),
      killClients: (n: FakeNode, type: 'normal' | 'pubsub', except: unknown) => this.#killClients(n, type, except),
      random: this.random,
    };
    for (let i = 0; i <= this.opts.replicas; i++) this.nodes.push(new FakeNode(`10.0.0.${i + 1}`, 6379, hooks));
    const master = this.nodes[0]!;
    for (const r of this.nodes.slice(1)) {
      r.becomeReplicaOf(master.host, master.port);
      r.persistedReplicaOf = { host: master.host, port: master.port };
      r.linkUp = true;
      r.replId = master.replId;
    }
    for (let i = 0; i < this.opts.sentinels; i++) {
      const s = new SimSentinel(i, `10.0.1.${i + 1}`, 26379);
      s.disk = [
        `port 26379`,
        `sentinel monitor mymaster ${master.host} ${master.port} ${this.opts.quorum}`,
        `sentinel down-after-milliseconds mymaster ${this.opts.downAfter}`,
        `sentinel failover-timeout mymaster ${this.opts.failoverTimeout}`,
        ...(this.opts.extraConfig ?? []),
        '',
      ].join('\n');
      this.sentinels.push(s);
      this.#boot(s, this.random.hex(40));
    }
  }

  // ---- topology -------------------------------------------------------------------------------------------

  reachable(a: string, b: string): boolean {
    const ha = a.split(':')[0]!;
    const hb = b.split(':')[0]!;
    return !this.cuts.has(`${ha}|${hb}`) && !this.cuts.has(`${hb}|${ha}`);
  }

  /** Cut the network between two processes (by host or host:port). */
  cut(a: string, b: string): void {
    this.cuts.add(`${a.split(':')[0]}|${b.split(':')[0]}`);
    this.#refreshNodes();
  }

  isolate(a: string): void {
    for (const x of [...this.nodes.map((n) => n.host), ...this.sentinels.map((s) => s.host)]) if (x !== a.split(':')[0]) this.cut(a, x);
  }

  heal(): void {
    this.cuts.clear();
    this.#refreshNodes();
  }

  #refreshNodes(): void {
    for (const n of this.nodes) if (n.alive) n.refreshLink();
  }

  node(i: number): FakeNode {
    return this.nodes[i]!;
  }

  nodeAt(addr: string): FakeNode | undefined {
    return this.nodes.find((n) => n.addr === addr);
  }

  killNode(n: FakeNode): void {
    n.kill();
    for (const c of [...this.conns.values()]) if (c.target === n.addr && c.open) this.#closeFromRemote(c, 'connection reset by peer');
    this.#refreshNodes();
  }

  restartNode(n: FakeNode): void {
    n.restart();
    this.#refreshNodes();
  }

  /** A client write on whatever node `addr` is; returns whether the node accepted it. */
  write(addr: string, id: number): boolean {
    const n = this.nodeAt(addr);
    return n !== undefined && n.write(id, this.nodes);
  }

  // ---- sentinels ------------------------------------------------------------------------------------------

  #boot(s: SimSentinel, myid: string | null): void {
    s.core = new SentinelCore({
      random: this.random,
      now: this.q.now,
      ...(myid !== null ? { myid } : {}),
      config: { port: s.port },
      ...(this.opts.timing !== undefined ? { timing: this.opts.timing } : {}),
      ...(this.opts.tuning !== undefined ? { tuning: this.opts.tuning } : {}),
    });
    const directives: SentinelDirective[] = [];
    s.disk.split('\n').forEach((line, i) => {
      const args = splitArgs(line);
      if (args !== null && args.length > 1 && args[0]!.toLowerCase() === 'sentinel') directives.push({ args: args.slice(1), line: i + 1, text: line });
    });
    loadSentinelDirectives(s.core, this.q.now, directives, { isExecutable: () => true });
    if (s.core.state.myid === '') s.core.state.myid = this.random.hex(40);
    this.#persist(s);
    s.alive = true;
    this.#scheduleTick(s, this.q.now + this.random.next() * 50);
  }

  killSentinel(s: SimSentinel): void {
    s.alive = false;
    s.tickGen++;
    for (const c of [...this.conns.values()]) {
      if (c.s === s && c.open) this.#close(c);
      else if (c.target === s.addr && c.open) this.#closeFromRemote(c, 'connection reset by peer');
    }
  }

  /** Restart from what is on disk (the rewritten config). */
  restartSentinel(s: SimSentinel): void {
    this.#boot(s, null);
  }

  /** Block a sentinel's event loop for `ms` (GC pause, VM stall): nothing it receives is processed meanwhile. */
  stall(s: SimSentinel, ms: number): void {
    s.stalledUntil = this.q.now + ms;
  }

  masterAddr(s: SimSentinel, name = 'mymaster'): string {
    const m = s.core.state.masters.get(name);
    if (m === undefined) return '';
    const a = currentMasterAddr(m);
    return `${a.ip}:${a.port}`;
  }

  /** Feed one input to a sentinel and execute its effects. */
  input(s: SimSentinel, input: Input): void {
    if (!s.alive) return;
    if (this.q.now < s.stalledUntil) {
      this.q.at(s.stalledUntil, () => this.input(s, input));
      return;
    }
    this.#exec(s, s.core.handle(input, this.q.now));
    this.#scheduleTick(s, s.core.nextDeadline(this.q.now));
  }

  #scheduleTick(s: SimSentinel, t: number): void {
    const gen = ++s.tickGen;
    this.q.at(t, () => {
      if (gen === s.tickGen && s.alive) this.input(s, { type: 'tick' });
    });
  }

  /** Run admin-level effects (from admin.ts calls) for a sentinel. */
  execEffects(s: SimSentinel, effects: readonly Effect[]): void {
    this.#exec(s, effects);
    this.#scheduleTick(s, s.core.nextDeadline(this.q.now));
  }

  #persist(s: SimSentinel): void {
    s.disk = rewriteSentinelConfigText(s.disk, s.core.state);
  }

  #exec(s: SimSentinel, effects: readonly Effect[]): void {
    for (const e of effects) {
      if (!s.alive) return;
      switch (e.type) {
        case 'connect':
          this.#connect(s, e.link, e.conn, `${e.ip}:${e.port}`);
          break;
        case 'disconnect': {
          const c = this.conns.get(`${s.index}:${e.link}:${e.conn}`);
          if (c !== undefined) this.#close(c);
          break;
        }
        case 'send':
          this.#send(s, e.link, e.conn, e.req, e.args);
          break;
        case 'persist':
          this.#persist(s);
          break;
        case 'event':
          s.trace.push({ t: this.q.now, type: e.event.type, payload: e.event.payload });
          break;
        case 'script':
          s.scripts.push([e.path, ...e.args]);
          break;
        case 'log':
          s.logs.push(e.msg);
          break;
        case 'resolve':
          this.q.after(1, () => this.input(s, { type: 'resolved', host: e.host, ip: null }));
          break;
        case 'exit':
          s.trace.push({ t: this.q.now, type: 'exit', payload: String(e.code) });
          this.killSentinel(s);
          return;
      }
    }
  }

  #latency(): number {
    const [a, b] = this.opts.latency;
    return a + this.random.next() * (b - a);
  }

  #endpointAlive(addr: string): boolean {
    const n = this.nodeAt(addr);
    if (n !== undefined) return n.alive;
    const s = this.sentinels.find((x) => x.addr === addr);
    return s !== undefined && s.alive;
  }

  #connect(s: SimSentinel, link: number, kind: ConnKind, target: string): void {
    const key = `${s.index}:${link}:${kind}`;
    const old = this.conns.get(key);
    if (old !== undefined) old.open = false;
    const c: SimConn = {
      id: ++this.#connSeq,
      s,
      link,
      kind,
      target,
      open: false,
      nodeConn: { authed: false, inMulti: false, queued: [], subscribed: false, name: '' },
      lastOut: 0,
      lastBack: 0,
    };
    this.conns.set(key, c);
    const reachable = this.reachable(s.addr, target);
    const alive = this.#endpointAlive(target);
    if (reachable && alive) {
      this.q.after(this.#latency() * 2, () => {
        if (this.conns.get(key) !== c || !s.alive) return;
        if (!this.#endpointAlive(target) || !this.reachable(s.addr, target)) {
          this.input(s, { type: 'link-down', link, conn: kind, reason: 'connection refused' });
          return;
        }
        c.open = true;
        this.input(s, { type: 'link-up', link, conn: kind, localIp: s.host });
      });
    } else {
      this.q.after(reachable ? this.#latency() * 2 : 1000, () => {
        if (this.conns.get(key) !== c) return;
        this.input(s, { type: 'link-down', link, conn: kind, reason: reachable ? 'connection refused' : 'connect timeout' });
      });
    }
  }

  #close(c: SimConn): void {
    c.open = false;
    if (this.conns.get(`${c.s.index}:${c.link}:${c.kind}`) === c) this.conns.delete(`${c.s.index}:${c.link}:${c.kind}`);
  }

  #closeFromRemote(c: SimConn, reason: string): void {
    this.#close(c);
    this.q.after(this.#latency(), () => this.input(c.s, { type: 'link-down', link: c.link, conn: c.kind, reason }));
  }

  #send(s: SimSentinel, link: number, kind: ConnKind, req: number, args: readonly string[]): void {
    const c = this.conns.get(`${s.index}:${link}:${kind}`);
    if (c === undefined || !c.open) return;
    const arrive = Math.max(this.q.now + this.#latency(), c.lastOut);
    c.lastOut = arrive;
    const arrival = (): void => {
      if (!c.open || !this.reachable(s.addr, c.target)) return;
      const target = this.sentinels.find((x) => x.addr === c.target);
      if (target !== undefined && this.q.now < target.stalledUntil) {
        this.q.at(target.stalledUntil, arrival); // a stalled process serves nothing until it runs again
        return;
      }
      if (this.dropP > 0 && this.random.next() < this.dropP) return;
      const reply = this.#serve(c, args);
      if (reply === null) return;
      const back = Math.max(this.q.now + this.#latency(), c.lastBack);
      c.lastBack = back;
      this.q.at(back, () => {
        if (!c.open || !this.reachable(s.addr, c.target)) return;
        if (req !== 0) this.input(s, { type: 'reply', link, req, reply });
      });
    };
    this.q.at(arrive, arrival);
  }

  /** The target of a connection executes a command. */
  #serve(c: SimConn, args: readonly string[]): Reply | null {
    const n = this.nodeAt(c.target);
    if (n !== undefined) return n.alive ? n.exec(args, c.nodeConn, () => this.nodes) : null;
    const t = this.sentinels.find((x) => x.addr === c.target);
    if (t === undefined || !t.alive) return null;
    const cmd = (args[0] ?? '').toUpperCase();
    if (cmd === 'PING') return { kind: 'string', value: 'PONG' };
    if (cmd === 'AUTH' || cmd === 'CLIENT') return { kind: 'string', value: 'OK' };
    if (cmd === 'PUBLISH') {
      if (args[1] !== '__sentinel__:hello') return { kind: 'error', message: 'ERR Only HELLO messages are accepted by Sentinel instances.' };
      if (this.helloFilter !== null && !this.helloFilter(t, args[2] ?? '')) return { kind: 'int', value: 1 };
      const r = publishHello(t.core, this.q.now, args[2] ?? '');
      this.execEffects(t, r.effects);
      return { kind: 'int', value: 1 };
    }
    if (cmd === 'SENTINEL' && (args[1] ?? '').toLowerCase() === 'is-master-down-by-addr') {
      const r = isMasterDownByAddr(t.core, this.q.now, args[2] ?? '', args[3] ?? '', args[4] ?? '', args[5] ?? '');
      this.execEffects(t, r.effects);
      if (r.error !== undefined || r.value === undefined) return { kind: 'error', message: r.error ?? 'ERR' };
      const v = r.value;
      if (v.leader !== null) {
        const m = /sentinel leader-epoch mymaster (\d+)/.exec(t.disk);
        const diskEpoch = m === null ? -1 : Number(m[1]);
        t.revealed.push({ epoch: v.leaderEpoch, diskEpoch });
        if (diskEpoch < v.leaderEpoch) this.violations.push(`sentinel ${t.index} revealed vote epoch ${v.leaderEpoch} with ${diskEpoch} on disk`);
      }
      return {
        kind: 'array',
        items: [
          { kind: 'int', value: v.down ? 1 : 0 },
          { kind: 'string', value: v.leader ?? '*' },
          { kind: 'int', value: v.leaderEpoch },
        ],
      };
    }
    return { kind: 'error', message: `ERR unknown command '${args[0] ?? ''}'` };
  }

  #publishOnNode(n: FakeNode, channel: string, payload: string): number {
    let count = 0;
    for (const c of this.conns.values()) {
      if (c.target !== n.addr || !c.open || !c.nodeConn.subscribed || channel !== '__sentinel__:hello') continue;
      count++;
      const back = Math.max(this.q.now + this.#latency(), c.lastBack);
      c.lastBack = back;
      this.q.at(back, () => {
        if (!c.open || !this.reachable(c.s.addr, n.addr)) return;
        if (this.helloFilter !== null && !this.helloFilter(c.s, payload)) return;
        this.input(c.s, { type: 'message', link: c.link, channel, payload });
      });
    }
    return count;
  }

  #killClients(n: FakeNode, type: 'normal' | 'pubsub', except: unknown): void {
    for (const c of [...this.conns.values()]) {
      if (c.target !== n.addr || !c.open || c.nodeConn === except) continue;
      if ((type === 'pubsub') !== c.nodeConn.subscribed) continue;
      this.#closeFromRemote(c, 'killed by CLIENT KILL');
    }
  }

  // ---- running ---------------------------------------------------------------------------------------------

  run(ms: number): void {
    this.q.runUntil(this.q.now + ms);
  }

  runUntil(cond: () => boolean, limit: number): boolean {
    return this.q.runUntilCond(cond, limit);
  }

  /** All sentinels (alive) report `addr` as the master. */
  allAgree(addr: string): boolean {
    return this.sentinels.every((s) => !s.alive || this.masterAddr(s) === addr);
  }
}

/** Event types in order, optionally only those in `keep`. */
export function types(trace: readonly TraceEntry[], keep?: readonly string[]): string[] {
  return trace.map((e) => e.type).filter((t) => keep === undefined || keep.includes(t));
}
