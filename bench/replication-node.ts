/**
 * One tredis replication node as its own process, for the replication benchmarks: the RESP server core, NodeCore
 * (keyspace, data families, execution wrapper, propagation, transactions) and the replication module, wired as
 * the node's composition root does (wireReplication); INFO answers the `# Replication` section. It can
 * pre-populate `key:<i>` → `value:<i>` like `DEBUG POPULATE n key`.
 *
 * Usage: node .tmp/bench/bench/replication-node.js <port> [populate=0] [key=value replication settings…]
 *   e.g. `repl-diskless-sync-delay=0`.
 */
import { pino } from 'pino';
import { systemClock } from '../src/common/clock.js';
import { systemRandom } from '../src/common/random.js';
import { NodeCore } from '../src/node/core.js';
import { DEFAULT_ENCODING_LIMITS } from '../src/node/persistence/rdb-constants.js';
import { DEFAULT_REPLICATION_CONFIG, type ReplicationConfig } from '../src/node/replication/config.js';
import { wireReplication } from '../src/node/replication/server-wiring.js';
import { coreCommands } from '../src/server/commands/index.js';
import { RespServer } from '../src/server/server.js';
import { serverSettings } from '../src/server/settings.js';
import type { ServerHooks } from '../src/server/types.js';

const port = Number(process.argv[2]);
const populate = Number(process.argv[3] ?? 0);
const config: ReplicationConfig = structuredClone(DEFAULT_REPLICATION_CONFIG);
for (const kv of process.argv.slice(4)) {
  const [k, v] = kv.split('=') as [string, string];
  if (k === 'repl-diskless-sync-delay') config.replDisklessSyncDelay = Number(v);
  else if (k === 'repl-diskless-sync') config.replDisklessSync = v === 'yes';
  else if (k === 'repl-backlog-size') config.replBacklogSize = Number(v);
}

const logger = pino({ level: 'warn' });
const core = new NodeCore({ clock: systemClock, random: systemRandom });
let repl: ReturnType<typeof wireReplication> | null = null;
const hooks: ServerHooks = {
  guardWrites: (ctx) => repl?.hooks.guardWrites(ctx) ?? null,
  guardState: (ctx) => repl?.hooks.guardState(ctx) ?? null,
  execute: (ctx, args, run) => {
    const r = core.exec.execute(ctx, args, run);
    repl?.hooks.afterCommand(ctx.session);
    return r;
  },
  onSessionClose: (s) => repl?.hooks.sessionClosed(s),
};
const server = new RespServer({ logger, settings: serverSettings({ port, bind: ['127.0.0.1'] }), hooks });
server.register(
  ...coreCommands(server),
  ...core.commands({
    runQueued: (s, q, out) => server.runQueued(s, q, out),
    queue: (s) => s.multiQueue ?? [],
    resetMulti: (s) => server.discardTransaction(s),
  }),
  {
    name: 'info',
    arity: -1,
    flags: ['loading', 'stale'],
    categories: ['slow', 'dangerous'],
    handler: (ctx) => ctx.reply.verbatim(repl!.infoSection()),
  },
  // redis-benchmark asks CONFIG GET save/appendonly at start
  { name: 'config', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ['admin'], handler: (ctx) => ctx.reply.array(0) },
);
repl = wireReplication({
  server,
  core,
  logger,
  clock: systemClock,
  random: systemRandom,
  databases: 16,
  config: () => config,
  snapshot: () => ({ compression: true, checksum: true, limits: DEFAULT_ENCODING_LIMITS, usedMemory: () => 1_000_000 }),
});
const db = core.ks.db(0);
for (let i = 0; i < populate; i++) db.set(`key:${i}`, `value:${i}`);
await server.listen();
repl.start();
process.on('SIGTERM', () => process.exit(0));
process.stdout.write('ready\n');
