/**
 * Full-sync time of a new replica: 1M keys (`key:<i>` → `value:<i>`), tredis → tredis vs redis-server →
 * redis-server, both diskless with no delay (repl-diskless-sync-delay 0), separate processes on loopback. The
 * clock runs from REPLICAOF until the replica reports master_link_status:up (its dataset loaded). Prints each run,
 * the medians and the ratio (target ≤ 2×).
 *
 * tredis runs as the real bin (dist/cli/tredis.js: `npm run build` first). Both masters are filled the same way
 * (pipelined SETs).
 *
 * Run (from the repository root; needs redis-server on PATH and a built dist/):
 *   npx tsc --ignoreConfig --rootDir . --outDir .tmp/bench --target ES2022 --module NodeNext --moduleResolution NodeNext \
 *     --types node --skipLibCheck --strict bench/replication-sync.ts src/common/buffer-latin1.d.ts \
 *   && node .tmp/bench/bench/replication-sync.js [keys=1000000] [runs=3]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocPort } from '../test/helpers/ports.js';
import { BenchClient, populate, waitFor } from './replication-util.js';

const KEYS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 3);
const TREDIS = join(process.cwd(), 'dist/cli/tredis.js');
const dir = mkdtempSync(join(tmpdir(), 'repl-bench-'));
const procs: ChildProcess[] = [];

function start(cmd: string, args: string[], readyText: string): Promise<ChildProcess> {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
  procs.push(p);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (out.includes(readyText)) resolve(p);
    };
    p.stdout!.on('data', onData);
    p.stderr!.on('data', onData);
    p.once('exit', (code) => reject(new Error(`${cmd} exited (${code}): ${out}`)));
  });
}

function stop(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGKILL');
  });
}

async function redis(port: number, extra: string[] = []): Promise<ChildProcess> {
  return start(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', `d${port}.rdb`,
      '--repl-diskless-sync-delay', '0', ...extra],
    'Ready to accept connections',
  );
}

async function tredis(port: number): Promise<ChildProcess> {
  return start(
    process.execPath,
    [TREDIS, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', `d${port}.rdb`,
      '--repl-diskless-sync-delay', '0'],
    'ready to accept connections',
  );
}

async function timeSync(masterPort: number, startReplica: (port: number) => Promise<ChildProcess>): Promise<number> {
  const port = allocPort();
  const p = await startReplica(port);
  const c = await BenchClient.connect(port);
  const t0 = performance.now();
  await c.call('REPLICAOF', '127.0.0.1', String(masterPort));
  await waitFor(async () => (await c.info()).includes('master_link_status:up'), 600_000, 5);
  const ms = performance.now() - t0;
  const keys = Number(await c.call('DBSIZE'));
  if (keys !== KEYS) throw new Error(`replica has ${keys} keys, expected ${KEYS}`);
  c.close();
  await stop(p);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const rPort = allocPort();
  const rMaster = await redis(rPort);
  await populate(rPort, KEYS);
  const redisRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) redisRuns.push(await timeSync(rPort, (p) => redis(p)));
  await stop(rMaster);

  const tPort = allocPort();
  const tMaster = await tredis(tPort);
  await populate(tPort, KEYS);
  const tredisRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) tredisRuns.push(await timeSync(tPort, (p) => tredis(p)));
  await stop(tMaster);

  const fmt = (xs: number[]): string => xs.map((x) => `${(x / 1000).toFixed(2)}s`).join(' ');
  console.log(`full sync of ${KEYS} keys, ${RUNS} runs each (diskless, delay 0, loopback)`);
  console.log(`  redis-server → redis-server: ${fmt(redisRuns)}  median ${(median(redisRuns) / 1000).toFixed(2)}s`);
  console.log(`  tredis       → tredis:       ${fmt(tredisRuns)}  median ${(median(tredisRuns) / 1000).toFixed(2)}s`);
  console.log(`  ratio tredis/redis: ${(median(tredisRuns) / median(redisRuns)).toFixed(2)}x (target ≤ 2x)`);
} finally {
  await Promise.all(procs.map(stop));
  rmSync(dir, { recursive: true, force: true });
}
