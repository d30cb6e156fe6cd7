/**
 * tredis's composition root: `startNode(config, opts)` builds the RESP server core, the data core (keyspace,
 * commands, propagation, blocking), persistence, replication, INFO, CONFIG, maxmemory and the cron, loads the
 * dataset, listens, and returns a handle. No decision logic lives here — only wiring (style.md: the composition
 * root wires listener, keyspace, persistence, replication).
 */
import { realpathSync } from 'node:fs';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../common/clock.js';
import { systemRandom, type Random } from '../common/random.js';
import { coreCommands } from '../server/commands/index.js';
import { RespServer } from '../server/server.js';
import type { ServerSettings } from '../server/settings.js';
import type { CommandContext, Session } from '../server/types.js';
import { serverCommands, type ShutdownFlags } from './commands/server.js';
import type { NodeConfig } from './config/node-config.js';
import { NodeCore } from './core.js';
import { pidfilePath, removePidfile, writePidfile, DAEMON_CHILD_ENV } from './daemon.js';
import { Evictor } from './evict.js';
import { nodeGuards } from './guards.js';
import { buildInfoRegistry } from './info/node-info.js';
import { MemoryMeter } from './memory.js';
import { Monitors } from './monitor.js';
import { nodeConfigControl } from './node-config-control.js';
import { persistenceCommands } from './persistence/commands.js';
import { Persistence } from './persistence/persistence.js';
import { wireReplication } from './replication/server-wiring.js';
import { TREDIS_VERSION } from './version.js';

export { TREDIS_VERSION } from './version.js';

export interface StartNodeOptions {
  readonly logger: Logger;
  /** CONFIG SET loglevel (the CLI's logger handle). */
  readonly setLogLevel?: (level: NodeConfig['logging']['loglevel']) => void;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Listen on an OS-assigned port when config.server.port is 0 (tests, embedding). */
  readonly ephemeralPort?: boolean;
  /** Config lines as loaded (CONFIG REWRITE leaves settings from included files alone). */
  readonly configLines?: readonly import('../common/config/lines.js').ConfigLine[];
  /** What SHUTDOWN / a fatal condition does after the node stopped; default process.exit. */
  readonly exit?: (code: number) => void;
  /** Path INFO shows as `executable`. */
  readonly executable?: string;
}

export interface NodeHandle {
  /** The TCP port listened on. */
  readonly port: number;
  readonly server: RespServer;
  readonly core: NodeCore;
  readonly persistence: Persistence;
  /** The live configuration (CONFIG SET replaces it). */
  config(): NodeConfig;
  /** `INFO all` as a client would read it (the metrics listener's only source). */
  infoText(): string;
  /** SHUTDOWN's path (SIGTERM/SIGINT use it with no flags); resolves with an error text if the node keeps running. */
  shutdown(flags?: Partial<ShutdownFlags>): Promise<string | null>;
  /** Stop without saving or exiting the process (tests, embedding). */
  close(): Promise<void>;
}

/** The changed top-level fields of ServerSettings (reconfigure only re-applies what changed). */
function serverDiff(live: ServerSettings, next: ServerSettings): Partial<ServerSettings> {
  const out: Partial<Record<keyof ServerSettings, unknown>> = {};
  for (const k of Object.keys(next) as (keyof ServerSettings)[]) {
    if (JSON.stringify(live[k]) !== JSON.stringify(next[k])) out[k] = structuredClone(next[k]);
  }
  return out as Partial<ServerSettings>;
}

export async function startNode(initial: NodeConfig, opts: StartNodeOptions): Promise<NodeHandle> {
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? systemRandom;
  const log = opts.logger;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const live = { config: structuredClone(initial) };
  const cfg = (): NodeConfig => live.config;
  // iAmMaster() (server.masterhost == NULL): REPLICAOF keeps `replicaof` current, and unlike the keyspace's
  // deletesExpired it is also right while the dataset loads at start-up, when expiry deletion is switched off.
  const isMaster = (): boolean => cfg().replication.replicaof === null;
  const startMono = clock.monotonic();
  const runId = random.hex(40);

  // ---- data core -----------------------------------------------------------------------------------------
  let persistence: Persistence | null = null;
  const core = new NodeCore({
    clock,
    random,
    databases: initial.node.databases,
    settings: {
      protoMaxBulkLen: initial.server.protoMaxBulkLen,
      lazyfreeLazyExpire: initial.node.lazyfreeLazyExpire,
      lazyfreeLazyUserDel: initial.node.lazyfreeLazyUserDel,
      lazyfreeLazyUserFlush: initial.node.lazyfreeLazyUserFlush,
    },
    keysHooks: { afterFlushAll: () => persistence?.afterFlushAll(), maxmemoryPolicy: () => cfg().node.maxmemoryPolicy },
  });
  const applyNodeSettings = (c: NodeConfig): void => {
    const n = c.node;
    Object.assign(core.settings, {
      protoMaxBulkLen: c.server.protoMaxBulkLen,
      lazyfreeLazyExpire: n.lazyfreeLazyExpire,
      lazyfreeLazyUserDel: n.lazyfreeLazyUserDel,
      lazyfreeLazyUserFlush: n.lazyfreeLazyUserFlush,
    });
    Object.assign(core.enc.limits, {
      hashMaxListpackEntries: n.hashMaxListpackEntries,
      hashMaxListpackValue: n.hashMaxListpackValue,
      setMaxIntsetEntries: n.setMaxIntsetEntries,
      zsetMaxListpackEntries: n.zsetMaxListpackEntries,
      zsetMaxListpackValue: n.zsetMaxListpackValue,
    });
    core.activeExpire.effort = n.activeExpireEffort;
    const lru = n.maxmemoryPolicy.endsWith('-lru') || n.maxmemoryPolicy.endsWith('-lfu');
    core.ks.setLruTracking(lru && n.maxmemory > 0);
    if (core.ks.lruClock >= 0) core.ks.lruClock = clock.monotonic();
  };
  applyNodeSettings(initial);

  const meter = new MemoryMeter(() => clock.monotonic());
  const evictor = new Evictor({
    ks: core.ks,
    meter,
    random,
    config: () => cfg().node,
    emit: (db, argv) => core.prop.emit(db, argv),
    monotonic: () => clock.monotonic(),
  });

  // ---- server core ---------------------------------------------------------------------------------------
  const monitors = new Monitors();
  const nowUs = (): number => Math.floor((performance.timeOrigin + performance.now()) * 1000);
  let repl: ReturnType<typeof wireReplication> | null = null;
  const guards = nodeGuards({
    evictor,
    maxmemory: () => cfg().node.maxmemory,
    persistence: () => persistence,
    replication: () => repl?.hooks ?? null,
    isMaster,
  });
  const server = new RespServer({
    logger: log,
    settings: live.config.server,
    clock,
    ephemeralPort: opts.ephemeralPort ?? false,
    productVersion: TREDIS_VERSION,
    role: () => (isMaster() ? 'master' : 'replica'),
    hooks: {
      guardWrites: guards.guardWrites,
      guardState: guards.guardState,
      execute: (ctx: CommandContext, args: string[], run) => {
        // PUBLISH always reaches replicas and the AOF, even with no receivers (replication.md §2.10)
        const r = ctx.command.name === 'publish' ? core.exec.execute(ctx, args, () => (core.prop.force(), run())) : core.exec.execute(ctx, args, run);
        if (core.exec.depth === 0) repl?.hooks.afterCommand(ctx.session);
        if (monitors.size > 0) monitors.feed(ctx, args, nowUs());
        return r;
      },
      onSessionClose: (s: Session) => {
        monitors.remove(s);
        core.blocking.cancel(s.id);
        core.watch.unwatchAll(s.id);
        repl?.hooks.sessionClosed(s);
      },
      onTransactionReset: (s: Session) => core.watch.unwatchAll(s.id),
      onEmptyLine: (s: Session) => repl?.hooks.emptyLine(s),
    },
  });
  server.register(...coreCommands(server));
  server.register(
    ...core.commands({
      runQueued: (s, q, out) => server.runQueued(s, q, out),
      queue: (s) => s.multiQueue ?? [],
      resetMulti: (s) => server.sessionOf(s)?.resetMulti(),
    }),
  );

  // ---- persistence ---------------------------------------------------------------------------------------
  const plog = log.child({ area: 'persistence' });
  persistence = new Persistence(live.config.persistence, {
    keyspace: core.ks,
    clock,
    log: { notice: (m) => plog.info(m), warning: (m) => plog.warn(m) },
    propagation: core.prop,
    replInfo: () => repl?.replInfo(),
    usedMemory: () => meter.used(),
    // rdbLoad drops keys already expired only on a master (rdb.c: iAmMaster() && expiretime < now)
    isMaster,
    inExec: () => core.node.inExec(),
  });
  const p = persistence;
  server.register(...persistenceCommands(core.node, p, { isReplica: () => !isMaster() }));

  // load the dataset before anything can change it (loadDataFromDisk); errors propagate to the caller
  const aofClient = server.createInternalSession({ kind: 'master', addr: 'aof-loader' });
  const prevDeletes = core.ks.deletesExpired;
  core.ks.deletesExpired = false;
  core.ks.fromMaster = true;
  let loaded;
  try {
    loaded = p.loadAtStartup({ apply: (argv) => void server.execute(aofClient, argv) });
  } finally {
    core.ks.fromMaster = false;
    core.ks.deletesExpired = prevDeletes;
    server.dropInternalSession(aofClient);
  }

  // ---- replication ---------------------------------------------------------------------------------------
  repl = wireReplication({
    server,
    core,
    logger: log,
    clock,
    random,
    databases: initial.node.databases,
    config: () => cfg().replication,
    // a full sync replaced the dataset: the AOF restarts from it (replication.c restartAOFAfterSYNC)
    afterFullSync: () => p.restartAofAfterSync(),
    snapshot: () => ({
      compression: cfg().persistence.rdbcompression,
      checksum: cfg().persistence.rdbchecksum,
      limits: cfg().persistence.limits,
      usedMemory: () => meter.used(),
    }),
  });
  if (loaded.rdb !== null) repl.restoreFromRdb(loaded.rdb.repl);

  // ---- INFO, CONFIG, server commands ---------------------------------------------------------------------
  const info = buildInfoRegistry({
    server,
    ks: core.ks,
    meter,
    clock,
    config: cfg,
    runId,
    tredisVersion: TREDIS_VERSION,
    startMono,
    executable: opts.executable ?? process.argv[1] ?? process.execPath,
    persistenceSection: () => p.infoSection(),
    replicationSection: () => repl!.infoSection(),
    shutdownInMs: () => repl!.shutdown.remainingMs(),
  });
  // What the listeners were opened with: a CONFIG SET rolled back after a failed bind finds them unchanged and
  // leaves them alone (ListenerSet.rebind already reopened the previous addresses).
  let bound = { port: initial.server.port, bind: initial.server.bind.join(' ') };
  const rebindListeners = async (c: NodeConfig): Promise<boolean> => {
    server.reconfigure(serverDiff(server.settings, c.server));
    const want = { port: c.server.port, bind: c.server.bind.join(' ') };
    if (want.port === bound.port && want.bind === bound.bind) return true;
    try {
      await server.rebind();
    } catch (err) {
      // changeBindAddr / changeListenPort: the reason goes to the log, the client gets config.c's short text
      log.warn(`Failed to bind, restored the old listening sockets: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    bound = want;
    return true;
  };
  const control = nodeConfigControl({
    live,
    lines: opts.configLines ?? [],
    applyServer: (c) => server.reconfigure(serverDiff(server.settings, c.server)),
    applyNode: (c) => applyNodeSettings(c),
    applyLogLevel: (c) => opts.setLogLevel?.(c.logging.loglevel),
    applyPersistence: (c) => p.reconfigure(c.persistence),
    applyReplication: () => repl!.service.configChanged(),
    rebind: (c) => rebindListeners(c),
  });

  let closing = false;
  const pidfile = pidfilePath(initial.node.pidfile, process.env[DAEMON_CHILD_ENV] === '1');
  const stopAll = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    repl?.stop();
    meter.stop();
    await server.close();
    if (pidfile !== null) removePidfile(pidfile);
  };

  const shutdown = async (f: Partial<ShutdownFlags> = {}): Promise<string | null> => {
    const flags: ShutdownFlags = { save: false, nosave: false, now: false, force: false, ...f };
    const timeout = cfg().replication.shutdownTimeout;
    if (!flags.now && timeout > 0) {
      const r = await repl!.shutdown.wait(timeout * 1000);
      if (r === 'aborted') return 'ERR Errors trying to SHUTDOWN. Check logs.';
    }
    log.warn('User requested shutdown...');
    const err = await p.shutdown({ save: flags.save, nosave: flags.nosave, force: flags.force });
    if (err !== null) {
      server.unpauseClients('shutdown');
      return err;
    }
    if (pidfile !== null) log.info('Removing the pid file.');
    log.warn('Redis is now ready to exit, bye bye...');
    await stopAll();
    exit(0);
    return null;
  };

  server.register(
    ...core.exec.wrapAll(
      serverCommands(core.node, {
        info: (args) => info.generate(args),
        configGet: (patterns) => control.get(patterns),
        configSet: (pairs) => control.set(pairs),
        configRewrite: () => control.rewrite(),
        configResetStat: () => {
          server.stats.reset();
          server.registry.resetStats();
          core.ks.stats = { ...core.ks.stats, keyspaceHits: 0, keyspaceMisses: 0, expiredKeys: 0, evictedKeys: 0, expiredStalePerc: 0, expiredTimeCapReachedCount: 0, expireCycleCpuMs: 0 };
          meter.resetPeak();
        },
        nowUs,
        debugAllowed: (ctx) => {
          const v = cfg().tolerated['enable-debug-command'] ?? 'no';
          if (v === 'yes') return true;
          return v === 'local' && /^(127\.|\[?::1)/.test(ctx.session.addr);
        },
        debugReload: (o) => p.debugReload(o),
        setActiveExpire: (on) => void (core.activeExpire.enabled = on),
        log: (m) => log.warn(m),
        shutdown: (f) => shutdown(f),
        shutdownAbort: () => repl!.shutdown.abort(),
        monitor: (ctx) => monitors.add(ctx.session),
      }),
    ),
  );

  // ---- cron ----------------------------------------------------------------------------------------------
  server.onCron(() => {
    if (core.ks.lruClock >= 0) core.ks.lruClock = clock.monotonic();
    core.activeExpire.run('slow', cfg().server.hz);
    if (cfg().node.maxmemory > 0) evictor.perform();
    p.cron();
  });

  // ---- go ------------------------------------------------------------------------------------------------
  repl.start();
  meter.start();
  await server.listen();
  if (pidfile !== null) {
    const err = writePidfile(pidfile);
    if (err !== null) log.warn(`Failed to write PID file: ${err}`);
  }
  log.info(`Server initialized, ready to accept connections tcp, port=${server.port}`);

  return {
    get port() {
      return server.port;
    },
    server,
    core,
    persistence: p,
    config: cfg,
    infoText: () => info.generate(['all']),
    shutdown,
    close: stopAll,
  };
}

/** The absolute path of a config file as Redis records it (config_file in INFO, CONFIG REWRITE target). */
export function absoluteConfigPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
