/**
 * tredis replication nodes as separate processes (so tests can kill -9 and restart them), composed from the
 * compiled dist/ exactly like test/integration/replication-node.ts: server core, NodeCore, transactions,
 * replication through wireReplication, plus the minimum a sentinel needs besides — INFO with `# Server`
 * (redis_version, run_id, tcp_port) and `# Replication`, and CONFIG (sentinel's reconfiguration transaction
 * queues CONFIG REWRITE; with no config file it fails at EXEC time, as on redis-server without one).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startProcess, waitForPort, type Proc } from '../helpers/processes.js';

const DIST = resolve('dist');

export const distBuilt = ['node/core.js', 'node/replication/server-wiring.js', 'server/server.js'].every((f) => existsSync(join(DIST, f)));

const script = (): string => `
import { pino } from 'pino';
import { randomBytes } from 'node:crypto';
import { systemClock } from '${DIST}/common/clock.js';
import { systemRandom } from '${DIST}/common/random.js';
import { NodeCore } from '${DIST}/node/core.js';
import { DEFAULT_ENCODING_LIMITS } from '${DIST}/node/persistence/rdb-constants.js';
import { DEFAULT_REPLICATION_CONFIG } from '${DIST}/node/replication/config.js';
import { wireReplication } from '${DIST}/node/replication/server-wiring.js';
import { coreCommands } from '${DIST}/server/commands/index.js';
import { RespServer } from '${DIST}/server/server.js';
import { serverSettings } from '${DIST}/server/settings.js';

const [port, host, mport] = process.argv.slice(2);
const config = structuredClone(DEFAULT_REPLICATION_CONFIG);
config.replDisklessSyncDelay = 0;
if (host !== undefined) config.replicaof = { host, port: Number(mport) };
const runId = randomBytes(20).toString('hex');
const logger = pino({ level: 'info' });
const core = new NodeCore({ clock: systemClock, random: systemRandom });
let repl = null;
const hooks = {
  guardWrites: (ctx) => repl?.hooks.guardWrites(ctx) ?? null,
  guardState: (ctx) => repl?.hooks.guardState(ctx) ?? null,
  execute: (ctx, args, run) => { const r = core.exec.execute(ctx, args, run); repl?.hooks.afterCommand(ctx.session); return r; },
  onSessionClose: (s) => repl?.hooks.sessionClosed(s),
};
const server = new RespServer({ logger, settings: serverSettings({ port: Number(port), bind: ['127.0.0.1'] }), hooks,
  role: () => (repl?.service.isReplica ? 'replica' : 'master') });
const info = () => '# Server\\r\\nredis_version:7.0.15\\r\\nrun_id:' + runId + '\\r\\ntcp_port:' + port + '\\r\\n\\r\\n' + repl.infoSection();
server.register(
  ...coreCommands(server),
  ...core.commands({
    runQueued: (s, q, out) => server.runQueued(s, q, out),
    queue: (s) => s.multiQueue ?? [],
    resetMulti: (s) => server.discardTransaction(s),
  }),
  { name: 'info', arity: -1, flags: ['loading', 'stale'], categories: ['slow', 'dangerous'], handler: (ctx) => ctx.reply.verbatim(info()) },
  { name: 'config', arity: -2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: ['admin', 'slow', 'dangerous'],
    handler: (ctx, args) => {
      const sub = args[1].toLowerCase();
      if (sub === 'rewrite') ctx.reply.error('ERR The server is running without a config file');
      else if (sub === 'get') ctx.reply.array(0);
      else ctx.reply.ok();
    } },
);
repl = wireReplication({ server, core, logger, clock: systemClock, random: systemRandom, databases: 16, config: () => config,
  snapshot: () => ({ compression: true, checksum: true, limits: DEFAULT_ENCODING_LIMITS, usedMemory: () => 1000000 }) });
await server.listen();
repl.start();
`;

let written: string | null = null;

/** Start a node on `port` (a replica of `master` if given); resolves once it accepts connections. */
export async function startNodeProcess(port: number, master?: { host: string; port: number }): Promise<Proc> {
  if (written === null) {
    // inside the repository, so `pino` resolves from its node_modules
    const dir = resolve('.tmp');
    mkdirSync(dir, { recursive: true });
    written = join(dir, `tredis-replication-node-${process.pid}.mjs`);
    writeFileSync(written, script());
  }
  const args = [written, String(port), ...(master !== undefined ? [master.host, String(master.port)] : [])];
  const p = startProcess(process.execPath, args, { cwd: resolve('.') });
  await waitForPort(port).catch((e: unknown) => {
    throw new Error(`node on ${port} did not start: ${String(e)}\n${p.output()}`);
  });
  return p;
}
