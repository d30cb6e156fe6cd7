/**
 * The per-command guard hooks of a real tredis node (startNode's guardWrites + guardState: OOM, MISCONF,
 * NOREPLICAS/READONLY, MASTERDOWN and the replica keyspace guard), called as the dispatcher calls them for every
 * command, on a plain master, on a master with min-replicas-to-write and on a replica (its master unreachable,
 * serving stale data). Prints ns per GET/SET and the young-generation GCs per million calls — the allocation
 * the guards cause, since nothing else runs in the loop.
 *
 * Run (from the repository root):
 *   npm run bench:build && node .tmp/bench/bench/node-guards.js [calls=5000000]
 */
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { defaultNodeConfig, type NodeConfig } from '../src/node/config/node-config.js';
import { startNode } from '../src/node/main.js';
import type { CommandContext } from '../src/server/types.js';
import { machineLine } from './machine.js';

console.log(machineLine());

const CALLS = Number(process.argv[2] ?? 5_000_000);

let minorGcs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minorGcs++;
  }
}).observe({ entryTypes: ['gc'] });

async function measure(label: string, tune: (c: NodeConfig) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'guard-bench-'));
  const cfg = defaultNodeConfig();
  cfg.server.port = 0;
  cfg.server.bind = ['127.0.0.1'];
  cfg.persistence.dir = dir;
  cfg.persistence.savePoints = [];
  tune(cfg);
  const node = await startNode(cfg, { logger: pino({ level: 'silent' }), ephemeralPort: true, exit: () => {} });
  try {
    const hooks = node.server.hooks;
    const session = { id: 1, kind: 'normal', db: 0, multiQueue: [] };
    for (const [name, args] of [['get', ['GET', 'k']], ['set', ['SET', 'k', 'v']]] as const) {
      const command = node.server.registry.lookup(name)!.spec;
      const ctx = { session, command, reply: null } as unknown as CommandContext;
      const argv = [...args];
      let refused = 0;
      const round = (): number => {
        const t0 = performance.now();
        for (let i = 0; i < CALLS; i++) {
          if (hooks.guardWrites!(ctx, argv) !== null || hooks.guardState!(ctx, argv) !== null) refused++;
        }
        return performance.now() - t0;
      };
      round(); // warm-up: let the JIT settle
      const gc0 = minorGcs;
      const ms = round();
      await new Promise((r) => setImmediate(r)); // GC entries are delivered asynchronously
      const gcs = ((minorGcs - gc0) * 1e6) / CALLS;
      console.log(
        `  ${label.padEnd(28)} ${name}: ${((ms * 1e6) / CALLS).toFixed(1).padStart(6)} ns/call, ${gcs.toFixed(2).padStart(6)} minor GCs per 1M calls${refused > 0 ? ` (refused ${refused / 2 / CALLS})` : ''}`,
      );
    }
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`guard hooks per command, ${CALLS} calls each`);
await measure('plain master', () => {});
await measure('master, min-replicas-to-write', (c) => {
  c.replication.minReplicasToWrite = 1;
  c.replication.minReplicasMaxLag = 10;
});
// port 1 on loopback: nothing listens, the link stays down and the replica serves stale data
await measure('replica (link down)', (c) => {
  c.replication.replicaof = { host: '127.0.0.1', port: 1 };
});
process.exit(0);
