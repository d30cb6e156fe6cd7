/**
 * A tredis node for the replication integration tests, composed the way the node's composition root does it:
 * the real RESP server core (dispatcher, sessions, pause, pub/sub, CLIENT), NodeCore (keyspace, every data family,
 * execution wrapper, propagation), transactions, and the replication module through `wireReplication`. INFO here
 * answers only the `# Replication` section. Runs in-process on an ephemeral port.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { systemClock } from '../../src/common/clock.js';
import { systemRandom } from '../../src/common/random.js';
import { NodeCore } from '../../src/node/core.js';
import { DEFAULT_ENCODING_LIMITS } from '../../src/node/persistence/rdb-constants.js';
import { DEFAULT_REPLICATION_CONFIG, type ReplicationConfig } from '../../src/node/replication/config.js';
import type { ReplicationService } from '../../src/node/replication/service.js';
import type { ShutdownWait } from '../../src/node/replication/shutdown-wait.js';
import { wireReplication } from '../../src/node/replication/server-wiring.js';
import { coreCommands } from '../../src/server/commands/index.js';
import { RespServer } from '../../src/server/server.js';
import { serverSettings } from '../../src/server/settings.js';
import type { Keyspace } from '../../src/node/keyspace/keyspace.js';
import type { ServerHooks } from '../../src/server/types.js';

export interface TestNode {
  readonly port: number;
  readonly svc: ReplicationService;
  readonly ks: Keyspace;
  readonly config: ReplicationConfig;
  /** Log messages (replication and server), oldest first. */
  readonly log: string[];
  /** The SHUTDOWN wait-for-replicas hook. */
  readonly shutdown: ShutdownWait;
  close(): Promise<void>;
}

export async function startTestNode(opts: { config?: Partial<ReplicationConfig> } = {}): Promise<TestNode> {
  const config: ReplicationConfig = { ...structuredClone(DEFAULT_REPLICATION_CONFIG), ...opts.config };
  const log: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          log.push(String((JSON.parse(line) as { msg?: unknown }).msg ?? line));
        } catch {
          log.push(line);
        }
      }
      cb();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const core = new NodeCore({ clock: systemClock, random: systemRandom });
  let repl: ReturnType<typeof wireReplication> | null = null;
  const hooks: ServerHooks = {
    guardWrites: (ctx) => repl?.hooks.guardWrites(ctx) ?? null,
    guardState: (ctx) => repl?.hooks.guardState(ctx) ?? null,
    execute: (ctx, args, run) => {
      // as main.ts: PUBLISH always reaches replicas and the AOF (replication.md §2.10)
      const r = ctx.command.name === 'publish' ? core.exec.execute(ctx, args, () => (core.prop.force(), run())) : core.exec.execute(ctx, args, run);
      if (core.exec.depth === 0) repl?.hooks.afterCommand(ctx.session);
      return r;
    },
    onSessionClose: (s) => repl?.hooks.sessionClosed(s),
  };
  const server = new RespServer({
    logger,
    settings: serverSettings({ port: 0, bind: ['127.0.0.1'] }),
    ephemeralPort: true,
    hooks,
    role: () => (repl?.service.isReplica === true ? 'replica' : 'master'),
  });
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
  await server.listen();
  repl.start();
  const r = repl;
  return {
    port: server.port,
    svc: r.service,
    ks: core.ks,
    config,
    log,
    shutdown: r.shutdown,
    close: async () => {
      r.stop();
      await server.close();
    },
  };
}
