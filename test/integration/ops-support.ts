/**
 * Shared by the ops integration tests: a captured CliIo for running subcommands in-process, and a real
 * redis-server master + replicas + redis-sentinel trio on allocated ports (the admin commands are network clients of
 * any Sentinel-compatible server, so the reference implementation is what they are proven against first).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { CliIo } from '../../src/cli/commands/common.js';
import { allocPorts } from '../helpers/ports.js';
import { startRedisSentinel, startRedisServer, type Proc } from '../helpers/processes.js';

export interface CapturedIo extends CliIo {
  stdout(): string;
  stderr(): string;
  abort(): void;
}

export function captureIo(opts: { isTTY?: boolean } = {}): CapturedIo {
  let out = '';
  let err = '';
  const ac = new AbortController();
  return {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    isTTY: opts.isTTY ?? false,
    signal: ac.signal,
    now: () => Date.now(),
    stdout: () => out,
    stderr: () => err,
    abort: () => ac.abort(),
  };
}

/** Poll `cond` every 50 ms until it holds; throw with `what` after `timeoutMs`. */
export async function waitFor(what: string, cond: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A real redis-server master and replicas on the given ports; resolves once every replica's link is up. */
export async function startRealNodes(dir: string, masterPort: number, replicaPorts: readonly number[]): Promise<Map<number, Proc>> {
  const nodes = new Map<number, Proc>();
  // Diskless sync without its default 5 s batching delay, so replicas are in sync within a second.
  const fast = ['repl-diskless-sync-delay 0'];
  nodes.set(masterPort, await startRedisServer(masterPort, dir, fast));
  for (const p of replicaPorts) nodes.set(p, await startRedisServer(p, dir, [...fast, `replicaof 127.0.0.1 ${masterPort}`]));
  // Sentinels refresh a replica's INFO only every 10 s: start them once the replicas are linked, so their first
  // look already shows the links up.
  for (const p of replicaPorts) {
    const c = new Redis({ port: p, host: '127.0.0.1', lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
    await c.connect();
    await waitFor(`replica ${p} to sync`, async () => /master_link_status:up/.test(String(await c.call('INFO', ['replication']))));
    c.disconnect();
  }
  return nodes;
}

export interface RealCluster {
  masterPort: number;
  replicaPorts: number[];
  sentinelPorts: number[];
  nodes: Map<number, Proc>;
  sentinels: Map<number, Proc>;
}

/**
 * 1 master + `replicas` replicas (redis-server) and `sentinels` redis-sentinels monitoring `mymaster` with quorum 2;
 * resolves once every sentinel knows all replicas and all other sentinels.
 */
export async function startRealCluster(dir: string, opts: { replicas?: number; sentinels?: number; downAfterMs?: number } = {}): Promise<RealCluster> {
  const nReplicas = opts.replicas ?? 2;
  const nSentinels = opts.sentinels ?? 3;
  const [masterPort, ...rest] = allocPorts(1 + nReplicas + nSentinels) as [number, ...number[]];
  const replicaPorts = rest.slice(0, nReplicas);
  const sentinelPorts = rest.slice(nReplicas);
  const nodes = await startRealNodes(dir, masterPort, replicaPorts);
  const sentinels = new Map<number, Proc>();
  for (const p of sentinelPorts) {
    sentinels.set(
      p,
      await startRedisSentinel(p, dir, [
        `sentinel monitor mymaster 127.0.0.1 ${masterPort} 2`,
        `sentinel down-after-milliseconds mymaster ${opts.downAfterMs ?? 1000}`,
        'sentinel failover-timeout mymaster 10000',
      ]),
    );
  }
  for (const p of sentinelPorts) {
    const c = new Redis({ port: p, host: '127.0.0.1', lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0 });
    await c.connect();
    // Sentinels find each other through hellos on the master every 2 s, replicas through the master's INFO.
    await waitFor(`sentinel ${p} to discover its peers and replicas`, async () => {
      const s = (await c.call('SENTINEL', ['SENTINELS', 'mymaster'])) as unknown[];
      const r = (await c.call('SENTINEL', ['SLAVES', 'mymaster'])) as unknown[];
      return s.length === nSentinels - 1 && r.length === nReplicas && !JSON.stringify([s, r]).includes('disconnected');
    });
    c.disconnect();
  }
  return { masterPort, replicaPorts, sentinelPorts, nodes, sentinels };
}

/**
 * The built CLI entry for the ops subcommands (dist/cli/commands/run.js). Process-level tests run the compiled
 * JavaScript, as users do; `npm test` builds first (pretest). A stale build would test old code, so it is refused.
 */
export function builtOpsCli(): string {
  const root = join(import.meta.dirname, '..', '..');
  const entry = join(root, 'dist', 'cli', 'commands', 'run.js');
  if (!existsSync(entry)) throw new Error(`${entry} missing: run \`npm run build\` first`);
  for (const dir of ['src/ops', 'src/cli/commands']) {
    for (const f of readdirSync(join(root, dir)).filter((n) => n.endsWith('.ts'))) {
      const js = join(root, 'dist', dir.slice('src/'.length), f.replace(/\.ts$/, '.js'));
      if (!existsSync(js) || statSync(js).mtimeMs < statSync(join(root, dir, f)).mtimeMs) {
        throw new Error(`${js} is older than its source: run \`npm run build\` first`);
      }
    }
  }
  return entry;
}

/** Whether a pid still names a live (non-zombie) process. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
