/**
 * CPU cost of the two halves of a full sync, in-process and without sockets, so a change to either can be judged
 * on a loaded machine (CPU time of this process, not wall time): producing the snapshot of N string keys
 * (`key:<i>` → `value:<i>`, the replication-sync data) into a sink that drops the chunks, and loading that RDB
 * into fresh Maps in 64 KB pushes (as a replica receives it).
 *
 *   npm run bench:build && node .tmp/bench/bench/persistence-snapshot-cpu.js [keys=1000000] [runs=5]
 */
import { systemClock } from '../src/common/clock.js';
import { Keyspace } from '../src/node/keyspace/keyspace.js';
import { DEFAULT_ENCODING_LIMITS } from '../src/node/persistence/rdb-constants.js';
import { RdbLoader } from '../src/node/persistence/rdb-loader.js';
import { Snapshot } from '../src/node/persistence/snapshot.js';
import { machineLine } from './machine.js';

const N = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 5);
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const ks = new Keyspace({ databases: 16, clock: systemClock });
const db = ks.db(0);
for (let i = 0; i < N; i++) db.set(`key:${i}`, `value:${i}`);

async function snapshot(): Promise<{ cpu: number; rdb: Buffer }> {
  const chunks: Buffer[] = [];
  const t = cpuMs();
  const snap = new Snapshot(ks, { write: (c) => chunks.push(c), backpressure: () => null }, {
    compression: true,
    checksum: true,
    limits: DEFAULT_ENCODING_LIMITS,
    aux: { ctime: Math.floor(Date.now() / 1000), usedMem: 0, repl: { replId: '0'.repeat(40), offset: 0, streamDb: 0 } },
    clock: systemClock,
    yieldFn: () => Promise.resolve(),
  });
  await snap.run();
  return { cpu: cpuMs() - t, rdb: Buffer.concat(chunks) };
}

function load(rdb: Buffer): number {
  const t = cpuMs();
  const l = new RdbLoader({ databases: 16, dropExpiredBefore: null });
  for (let p = 0; p < rdb.length; p += 65536) l.push(rdb.subarray(p, Math.min(rdb.length, p + 65536)));
  const r = l.finish();
  if (r.keysLoaded !== N) throw new Error(`loaded ${r.keysLoaded} keys, expected ${N}`);
  return cpuMs() - t;
}

console.log(machineLine());
const snaps: number[] = [];
const loads: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const s = await snapshot();
  snaps.push(s.cpu);
  loads.push(load(s.rdb));
}
const fmt = (xs: number[]): string => `${xs.map((x) => x.toFixed(0)).join(' ')} ms, median ${[...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(0)} ms`;
console.log(`${N} keys, CPU time per run (${process.execArgv.join(' ') || 'default flags'})`);
console.log(`  snapshot: ${fmt(snaps)}`);
console.log(`  load:     ${fmt(loads)}`);
console.log(machineLine('end'));
