/**
 * Replication lag under write load: a master and one replica on loopback, redis-benchmark writing to the master
 * (SET with random keys, -c 50, pipelined), while the replica's and the master's master_repl_offset are sampled
 * every 10 ms (both INFO requests sent at once, each answered by its own event loop). Prints the largest and
 * the 99th-percentile difference in bytes for tredis → tredis and redis-server → redis-server, and the write
 * throughput each master sustained. Target: tredis's replica always within 1 MB of its master.
 *
 * tredis runs as the real bin (dist/cli/tredis.js: `npm run build` first).
 *
 * Run (from the repository root; needs redis-server and redis-benchmark on PATH and a built dist/):
 *   npm run bench:build && node .tmp/bench/bench/replication-lag.js [requests=1000000] [pipeline=16]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { allocPort } from '../test/helpers/ports.js';
import { BenchClient, NodeProcesses, waitFor } from './replication-util.js';
import { machineLine } from './machine.js';

const REQUESTS = Number(process.argv[2] ?? 1_000_000);
const PIPELINE = Number(process.argv[3] ?? 16);
const nodes = new NodeProcesses('repl-lag-');

interface LagResult {
  maxLag: number;
  p99Lag: number;
  samples: number;
  opsPerSec: number;
}

async function measure(startNode: (port: number) => Promise<ChildProcess>): Promise<LagResult> {
  const mPort = allocPort();
  const rPort = allocPort();
  const master = await startNode(mPort);
  const replica = await startNode(rPort);
  const m = await BenchClient.connect(mPort);
  const r = await BenchClient.connect(rPort);
  await r.call('REPLICAOF', '127.0.0.1', String(mPort));
  await waitFor(async () => (await r.info()).includes('master_link_status:up'), 60_000, 10);
  const lags: number[] = [];
  let running = true;
  const sampler = (async () => {
    while (running) {
      const [ro, mo] = await Promise.all([r.offset(), m.offset()]);
      lags.push(Math.max(0, mo - ro));
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const b = spawn('redis-benchmark', ['-p', String(mPort), '-t', 'set', '-n', String(REQUESTS), '-c', '50', '-P', String(PIPELINE), '-r', '1000000', '-q'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    b.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-benchmark exited ${code}`))));
  });
  const secs = (performance.now() - t0) / 1000;
  // let the replica catch up, keep sampling meanwhile
  await waitFor(async () => (await r.offset()) === (await m.offset()), 60_000, 10);
  running = false;
  await sampler;
  m.close();
  r.close();
  await nodes.stop(replica);
  await nodes.stop(master);
  const sorted = [...lags].sort((a, b) => a - b);
  return { maxLag: sorted.at(-1) ?? 0, p99Lag: sorted[Math.floor(sorted.length * 0.99)] ?? 0, samples: lags.length, opsPerSec: REQUESTS / secs };
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
console.log(machineLine());
try {
  const rr = await measure((p) => nodes.redis(p));
  const tr = await measure((p) => nodes.tredis(p));
  console.log(`replication lag under redis-benchmark SET -n ${REQUESTS} -c 50 -P ${PIPELINE} (loopback)`);
  for (const [name, x] of [['redis-server', rr], ['tredis      ', tr]] as const) {
    console.log(`  ${name}: max ${kb(x.maxLag)}, p99 ${kb(x.p99Lag)} over ${x.samples} samples; master ${Math.round(x.opsPerSec)} SET/s`);
  }
  console.log(`  tredis max lag ${tr.maxLag <= 1024 * 1024 ? 'within' : 'ABOVE'} 1 MB`);
  console.log(machineLine('end'));
} finally {
  await nodes.stopAll();
}
