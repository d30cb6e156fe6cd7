/**
 * Real-process topologies for the tsentinel interop tests: real redis-server 7.0 nodes (a master and replicas),
 * tsentinels started in this process (each with its own config file, registry and logger, listening on an
 * ephemeral port), and optionally real redis-sentinel processes, all watching `mymaster`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createLogger } from '../../src/common/logger.js';
import { startSentinel, type SentinelHandle } from '../../src/sentinel/main.js';
import { allocPort } from '../helpers/ports.js';
import { startRedisSentinel, startRedisServer, tempDir, type Proc } from '../helpers/processes.js';

export interface ClusterOptions {
  tsentinels: number;
  redisSentinels?: number;
  replicas?: number;
  quorum?: number;
  downAfter?: number;
  failoverTimeout?: number;
  /** Extra redis.conf lines per replica index (0-based). */
  replicaConf?: Record<number, string[]>;
  /** Extra lines for every node. */
  nodeConf?: string[];
  /** requirepass of the nodes (the harness AUTHs with it when talking to them). */
  nodePassword?: string;
  /** Data nodes: real redis-server processes (default) or tredis nodes started in this process. */
  nodeKind?: 'redis-server' | 'tredis';
}

/** What the harness needs from a data node, whichever kind it is. */
export interface NodeProc {
  kill(signal?: NodeJS.Signals): Promise<unknown>;
}

/** A tredis node in this process on a fixed port with a config file in `dir`; `kill` closes it abruptly. */
export async function startTredis(port: number, dir: string, directives: string[]): Promise<NodeProc> {
  const { loadConfig } = await import('../../src/common/config/index.js');
  const { defaultNodeConfig } = await import('../../src/node/config/node-config.js');
  const { nodeConfigTable } = await import('../../src/node/config/table.js');
  const { startNode } = await import('../../src/node/main.js');
  const file = join(dir, `tredis-${port}.conf`);
  writeFileSync(file, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `dbfilename dump-${port}.rdb`, 'save ""', 'appendonly no', ...directives, ''].join('\n'));
  const loaded = loadConfig(nodeConfigTable(), defaultNodeConfig(), { file });
  if (loaded.errors.length > 0) throw new Error(`tredis config: ${JSON.stringify(loaded.errors)}`);
  const config = loaded.config;
  config.configFile = file;
  const logger = createLogger({ role: 'master', format: 'json', level: 'warning', sink: { write: () => {} } }).logger;
  const handle = await startNode(config, { logger, configLines: loaded.lines, exit: () => {} });
  return { kill: () => handle.close() };
}

export interface SentinelRef {
  readonly kind: 'tsentinel' | 'redis-sentinel';
  readonly port: number;
  readonly handle?: SentinelHandle;
  readonly proc?: Proc;
  readonly logs: string[];
}

export class Cluster {
  readonly dir: string;
  readonly cleanupDir: () => void;
  readonly nodes = new Map<number, Proc | NodeProc>();
  masterPort = 0;
  replicaPorts: number[] = [];
  readonly sentinels: SentinelRef[] = [];
  readonly clients: Redis[] = [];

  constructor(readonly opts: ClusterOptions) {
    const t = tempDir('tsentinel-it-');
    this.dir = t.dir;
    this.cleanupDir = t.cleanup;
  }

  get downAfter(): number {
    return this.opts.downAfter ?? 1000;
  }

  async startNodes(): Promise<void> {
    this.masterPort = allocPort();
    const pw = this.opts.nodePassword;
    const base = ['repl-diskless-sync-delay 0', 'appendonly no', ...(pw !== undefined ? [`requirepass ${pw}`, `masterauth ${pw}`] : []), ...(this.opts.nodeConf ?? [])];
    this.nodes.set(this.masterPort, await this.#startNode(this.masterPort, base));
    for (let i = 0; i < (this.opts.replicas ?? 2); i++) {
      const p = allocPort();
      this.replicaPorts.push(p);
      this.nodes.set(p, await this.#startNode(p, [...base, `replicaof 127.0.0.1 ${this.masterPort}`, ...(this.opts.replicaConf?.[i] ?? [])]));
    }
    await until(async () => (await this.cmd(this.masterPort, 'INFO', 'replication')).includes(`connected_slaves:${this.replicaPorts.length}`), 10_000, 'replicas connected');
  }

  sentinelLines(): string[] {
    return [
      `sentinel monitor mymaster 127.0.0.1 ${this.masterPort} ${this.opts.quorum ?? 2}`,
      `sentinel down-after-milliseconds mymaster ${this.downAfter}`,
      `sentinel failover-timeout mymaster ${this.opts.failoverTimeout ?? 10_000}`,
    ];
  }

  async startTsentinel(extra: string[] = []): Promise<SentinelRef> {
    const i = this.sentinels.length;
    const file = join(this.dir, `tsentinel-${i}.conf`);
    writeFileSync(file, ['port 0', 'bind 127.0.0.1', ...this.sentinelLines(), ...extra, ''].join('\n'));
    const logs: string[] = [];
    const logger = createLogger({ role: 'sentinel', format: 'json', level: 'debug', sink: { write: (l) => void logs.push(l) } });
    const handle = await startSentinel(file, { logger, exit: () => {} });
    const ref: SentinelRef = { kind: 'tsentinel', port: handle.port, handle, logs };
    this.sentinels.push(ref);
    return ref;
  }

  async startRedisSentinel(extra: string[] = []): Promise<SentinelRef> {
    const port = allocPort();
    const proc = await startRedisSentinel(port, this.dir, [...this.sentinelLines(), ...extra]);
    const ref: SentinelRef = { kind: 'redis-sentinel', port, proc, logs: [] };
    this.sentinels.push(ref);
    return ref;
  }

  async start(): Promise<void> {
    await this.startNodes();
    for (let i = 0; i < this.opts.tsentinels; i++) await this.startTsentinel();
    for (let i = 0; i < (this.opts.redisSentinels ?? 0); i++) await this.startRedisSentinel();
  }

  client(port: number): Redis {
    const isNode = this.nodes.has(port);
    const password = isNode ? this.opts.nodePassword : undefined;
    const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, protocol: 2, ...(password !== undefined ? { password } : {}) });
    c.on('error', () => {});
    this.clients.push(c);
    return c;
  }

  /** One command on a fresh connection; errors come back as `ERR:` strings, connection failures as 'DOWN'. */
  async cmd(port: number, ...args: string[]): Promise<string> {
    const c = this.client(port);
    try {
      await c.connect();
      const r = await c.call(args[0]!, ...args.slice(1));
      return Array.isArray(r) ? JSON.stringify(r) : String(r);
    } catch (e) {
      return e instanceof Error && e.name === 'ReplyError' ? `ERR:${e.message}` : 'DOWN';
    } finally {
      c.disconnect();
    }
  }

  async role(port: number): Promise<string> {
    const r = await this.cmd(port, 'ROLE');
    if (r === 'DOWN' || r.startsWith('ERR:')) return r;
    return (JSON.parse(r) as string[])[0]!;
  }

  async masterAddr(s: SentinelRef): Promise<string> {
    const r = await this.cmd(s.port, 'SENTINEL', 'get-master-addr-by-name', 'mymaster');
    if (!r.startsWith('[')) return r;
    const [h, p] = JSON.parse(r) as [string, string];
    return `${h}:${p}`;
  }

  /** Every sentinel knows the replicas and every other sentinel. */
  async waitDiscovery(timeoutMs = 30_000): Promise<void> {
    const n = this.sentinels.length;
    const r = this.replicaPorts.length;
    const last: string[] = [];
    await until(
      async () => {
        for (const s of this.sentinels) {
          const m = await this.cmd(s.port, 'SENTINEL', 'master', 'mymaster');
          if (!m.startsWith('[')) return false;
          const a = JSON.parse(m) as string[];
          const f = (k: string): string => a[a.indexOf(k) + 1] ?? '';
          last[this.sentinels.indexOf(s)] = `${s.kind}:${s.port} slaves=${f('num-slaves')} sentinels=${f('num-other-sentinels')} flags=${f('flags')}`;
          if (Number(f('num-slaves')) < r || Number(f('num-other-sentinels')) < n - 1) return false;
        }
        return true;
      },
      timeoutMs,
      'sentinel discovery',
    ).catch((e: unknown) => {
      const logs = this.sentinels.map((x) => x.logs.slice(-15).map((l) => (JSON.parse(l) as { msg: string }).msg).join('\n'));
      throw new Error(`${String(e)}: ${last.join(' | ')}\n${logs.join('\n----\n')}`);
    });
  }

  async killNode(port: number): Promise<void> {
    await this.nodes.get(port)?.kill('SIGKILL');
  }

  #startNode(port: number, directives: string[]): Promise<Proc | NodeProc> {
    return this.opts.nodeKind === 'tredis' ? startTredis(port, this.dir, directives) : startRedisServer(port, this.dir, directives);
  }

  async restartNode(port: number, extra: string[] = []): Promise<void> {
    this.nodes.set(port, await this.#startNode(port, ['repl-diskless-sync-delay 0', 'appendonly no', ...(this.opts.nodeConf ?? []), ...extra]));
  }

  /** Wait until every sentinel reports an address other than `old`; returns it (they must agree). */
  async waitNewMaster(old: string, timeoutMs = 30_000): Promise<string> {
    let addr = '';
    await until(
      async () => {
        const all = await Promise.all(this.sentinels.map((s) => this.masterAddr(s)));
        if (all.some((a) => a === old || !a.includes(':'))) return false;
        addr = all[0]!;
        return all.every((a) => a === addr);
      },
      timeoutMs,
      `all sentinels to report a master other than ${old}`,
    );
    return addr;
  }

  async close(): Promise<void> {
    for (const c of this.clients.splice(0)) c.disconnect();
    for (const s of this.sentinels) await s.handle?.close();
    if (this.opts.nodeKind === 'tredis') for (const n of this.nodes.values()) await n.kill();
    this.cleanupDir();
  }
}

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Event names in a tsentinel's JSON log, in order. */
export function eventsOf(s: SentinelRef): string[] {
  return s.logs.map((l) => (JSON.parse(l) as { msg: string }).msg).filter((m) => /^[+-][a-z]/.test(m));
}
