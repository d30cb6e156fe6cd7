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
 *   npm run bench:build && node .tmp/bench/bench/replication-sync.js [keys=1000000] [runs=3]
 */
import type { ChildProcess } from 'node:child_process';
import { allocPort } from '../test/helpers/ports.js';
import { BenchClient, NodeProcesses, populate, waitFor } from './replication-util.js';
import { machineLine } from './machine.js';

const KEYS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 3);
const nodes = new NodeProcesses('repl-bench-');

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
  await nodes.stop(p);
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

console.log(machineLine());
try {
  const rPort = allocPort();
  const rMaster = await nodes.redis(rPort);
  await populate(rPort, KEYS);
  const redisRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) redisRuns.push(await timeSync(rPort, (p) => nodes.redis(p)));
  await nodes.stop(rMaster);

  const tPort = allocPort();
  const tMaster = await nodes.tredis(tPort);
  await populate(tPort, KEYS);
  const tredisRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) tredisRuns.push(await timeSync(tPort, (p) => nodes.tredis(p)));
  await nodes.stop(tMaster);

  const fmt = (xs: number[]): string => xs.map((x) => `${(x / 1000).toFixed(2)}s`).join(' ');
  console.log(`full sync of ${KEYS} keys, ${RUNS} runs each (diskless, delay 0, loopback)`);
  console.log(`  redis-server → redis-server: ${fmt(redisRuns)}  median ${(median(redisRuns) / 1000).toFixed(2)}s`);
  console.log(`  tredis       → tredis:       ${fmt(tredisRuns)}  median ${(median(tredisRuns) / 1000).toFixed(2)}s`);
  console.log(`  ratio tredis/redis: ${(median(tredisRuns) / median(redisRuns)).toFixed(2)}x (target ≤ 2x)`);
  console.log(machineLine('end'));
} finally {
  await nodes.stopAll();
}
