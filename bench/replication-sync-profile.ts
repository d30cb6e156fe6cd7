/**
 * One tredis → tredis full sync of N keys, timed in phases from the replica's side, for profiling: run with
 * `TREDIS_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` and both daemons are stopped with SIGTERM (not
 * SIGKILL) so node writes their profiles. The phases come from polling the replica's INFO replication every 2 ms:
 * REPLICAOF → master_sync_in_progress:1 (handshake), → first bytes read, → last byte read (master_sync_read_bytes
 * stops growing; transfer + parse overlap here), → master_link_status:up (finish: checksum, install).
 *
 * Run: npm run bench:build && node .tmp/bench/bench/replication-sync-profile.js [keys=1000000]
 */
import type { ChildProcess } from 'node:child_process';
import { allocPort } from '../test/helpers/ports.js';
import { BenchClient, NodeProcesses, populate } from './replication-util.js';
import { machineLine } from './machine.js';

const KEYS = Number(process.argv[2] ?? 1_000_000);
const nodes = new NodeProcesses('repl-prof-');

function term(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });
}

console.log(machineLine());
try {
  const mPort = allocPort();
  const master = await nodes.tredis(mPort);
  await populate(mPort, KEYS);
  const rPort = allocPort();
  const replica = await nodes.tredis(rPort);
  const c = await BenchClient.connect(rPort);
  const t0 = performance.now();
  await c.call('REPLICAOF', '127.0.0.1', String(mPort));
  const marks: string[] = [];
  let lastRead = -1;
  let lastReadAt = 0;
  let firstByteAt = 0;
  for (;;) {
    const info = await c.info();
    const now = performance.now() - t0;
    if (info.includes('master_link_status:up')) {
      marks.push(`link up ${now.toFixed(0)} ms`);
      break;
    }
    const read = Number(/master_sync_read_bytes:(\d+)/.exec(info)?.[1] ?? -1);
    if (read > 0 && firstByteAt === 0) firstByteAt = now;
    if (read !== lastRead) {
      lastRead = read;
      lastReadAt = now;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  marks.unshift(`first payload byte seen ${firstByteAt.toFixed(0)} ms`, `last read-bytes change ${lastReadAt.toFixed(0)} ms (${lastRead} bytes)`);
  console.log(`full sync of ${KEYS} keys: ${marks.join(', ')}`);
  c.close();
  await term(replica);
  await term(master);
  console.log(machineLine('end'));
} finally {
  await nodes.stopAll();
}
