/**
 * Composition root: `startSentinel(config, opts)` loads sentinel.conf, builds the core, the driver (links, timers,
 * persistence, scripts, events), the metrics and the SENTINEL API server, and returns a handle with the listening
 * port and `close()`. The CLI (src/cli/tsentinel.ts) calls it with the file and argv options and prints
 * `SentinelConfigError.report` before exiting 1 on bad configuration.
 */
import { writeFileSync, unlinkSync } from 'node:fs';
import { systemClock, type Clock } from '../common/clock.js';
import { rewriteConfigFile, keysFromIncludes, type ConfigSources } from '../common/config/index.js';
import { createLogger, type LoggerHandle } from '../common/logger.js';
import { createMetricsRegistry, type MetricsRegistry } from '../common/metrics.js';
import { systemRandom, type Random } from '../common/random.js';
import { initialMonitorEvents } from './core/admin.js';
import type { SentinelCore } from './core/core.js';
import type { Timing, Tuning } from './core/timing.js';
import { isExecutableFile, loadSentinel, PRODUCT } from './config/load.js';
import { rewriteSentinelConfigText } from './config/rewrite.js';
import { SENTINEL_CONFIG_TABLE, type SentinelFileConfig } from './config/table.js';
import { SentinelDriver } from './driver/driver.js';
import { SentinelMetrics } from './driver/metrics.js';
import type { SentinelService } from './server/service.js';
import { startSentinelServer, type SentinelServer } from './server/wire.js';
import { lookup } from 'node:dns/promises';

export { SentinelConfigError } from './config/load.js';

export interface StartSentinelOptions {
  readonly clock?: Clock;
  readonly random?: Random;
  /** Logger to use; default: one built from the config's logging directives. */
  readonly logger?: LoggerHandle;
  /** Registry for tsentinel_* metrics; default: a fresh one (never prom-client's global). */
  readonly registry?: MetricsRegistry;
  /** Listen on this port instead of the config's (0 = ephemeral, read back from the handle). */
  readonly port?: number;
  /** Addresses to bind instead of the config's. */
  readonly bind?: readonly string[];
  /** Serve the SENTINEL API (default true). Without it the sentinel monitors and fails over but cannot be asked. */
  readonly listen?: boolean;
  /** SIMULATE-FAILURE crashes and SHUTDOWN end up here (default: process.exit). */
  readonly exit?: (code: number) => void;
  readonly timing?: Partial<Timing>;
  readonly tuning?: Partial<Tuning>;
  readonly cwd?: string;
}

export interface SentinelHandle {
  readonly host: string;
  readonly port: number;
  readonly myid: string;
  readonly core: SentinelCore;
  readonly driver: SentinelDriver;
  readonly registry: MetricsRegistry;
  readonly config: SentinelFileConfig;
  /** Stop monitoring, close links and listeners, flush the config. Idempotent. */
  close(): Promise<void>;
}

export async function startSentinel(config: ConfigSources | string, opts: StartSentinelOptions = {}): Promise<SentinelHandle> {
  const sources: ConfigSources = typeof config === 'string' ? { file: config } : config;
  const clock = opts.clock ?? systemClock;
  const random = opts.random ?? systemRandom;
  const loaded = await loadSentinel(sources, {
    now: clock.monotonic(),
    random,
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    ...(opts.timing !== undefined ? { timing: opts.timing } : {}),
    ...(opts.tuning !== undefined ? { tuning: opts.tuning } : {}),
  });
  const { core, config: fileConfig, file } = loaded;
  const logging = fileConfig.logging;
  const loggerHandle =
    opts.logger ??
    createLogger({ role: 'sentinel', format: logging.logFormat, level: logging.loglevel, ...(logging.logfile !== '' ? { logfile: logging.logfile } : {}) });
  const logger = loggerHandle.logger.child({ sentinelId: core.state.myid });
  const registry = opts.registry ?? createMetricsRegistry({ prefix: 'tsentinel_' });
  const skipKeys = keysFromIncludes(SENTINEL_CONFIG_TABLE, loaded.lines);
  const persist = (): void => {
    rewriteConfigFile(file, (old) => rewriteSentinelConfigText(old, core.state, skipKeys));
  };
  const exit = opts.exit ?? ((code: number) => process.exit(code));

  let server: SentinelServer | null = null;
  const metrics = new SentinelMetrics(registry, {
    state: () => core.state,
    now: () => clock.monotonic(),
    wallNow: () => clock.now(),
    scripts: () => ({ running: driver.scripts.running, queued: driver.scripts.queue.length }),
    clients: () => server?.clients() ?? { connected: 0, subscriptions: 0 },
    announce: () => `${core.state.config.announceIp ?? ''}:${core.state.config.announcePort || core.state.config.port}`,
    version: '0.1.0',
  });
  const driver: SentinelDriver = new SentinelDriver({
    core,
    clock,
    logger,
    persist,
    publish: (channel, payload) => server?.publish(channel, payload),
    metrics,
    exit,
  });

  for (const ig of fileConfig.ignored) logger.debug({ directive: ig.name, file: ig.file, line: ig.line }, `Ignoring '${ig.name}': it has no effect in sentinel mode`);
  if (fileConfig.tlsReplication || fileConfig.tlsPort !== 0) logger.warn('TLS is not supported by tsentinel; tls-* directives are ignored');
  if (fileConfig.bindSourceAddr !== null) logger.warn('bind-source-addr is not supported by tsentinel; outgoing connections use the default source address');
  if (fileConfig.daemonize) logger.warn('daemonize is not supported: tsentinel runs in the foreground (use your service manager)');

  const svc: SentinelService = {
    core,
    now: () => clock.monotonic(),
    execute: (effects) => driver.execute(effects),
    flush: () => driver.flush('flushconfig'),
    scripts: () => ({ running: driver.scripts.running, queued: driver.scripts.queue.length, pending: driver.scripts.pending(clock.monotonic()) }),
    isExecutable: isExecutableFile,
    resolve: async (host) => {
      try {
        return (await lookup(host)).address;
      } catch {
        return null;
      }
    },
    infoSection: (name) => server?.infoSection(name) ?? '',
    shutdown: () => {
      void handle.close().then(() => exit(0));
    },
  };

  if (opts.listen ?? true) {
    const settings = { ...fileConfig.server, ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.bind !== undefined ? { bind: [...opts.bind] } : {}) };
    server = await startSentinelServer(svc, settings, { logger, registry, metrics, configFile: file, product: PRODUCT, runId: random.hex(40) });
    core.state.config.port = server.port;
  }

  // sentinelIsRunning: a generated id is flushed at once; then +monitor for every configured master.
  logger.warn(`Sentinel ID is ${core.state.myid}`);
  if (!driver.flush(loaded.generatedId ? 'new sentinel id' : 'startup')) {
    logger.warn('Continuing without a saved configuration; it is retried in the background');
  }
  driver.execute(initialMonitorEvents(core, clock.monotonic()).effects);
  if (fileConfig.pidfile !== null) {
    try {
      writeFileSync(fileConfig.pidfile, `${process.pid}\n`);
    } catch (e) {
      logger.warn({ err: e instanceof Error ? e.message : String(e) }, `Failed to write PID file`);
    }
  }
  driver.start();

  let closed: Promise<void> | null = null;
  const handle: SentinelHandle = {
    host: server?.host ?? '',
    port: server?.port ?? 0,
    myid: core.state.myid,
    core,
    driver,
    registry,
    config: fileConfig,
    close: () => {
      closed ??= (async () => {
        driver.stop();
        driver.flush('shutdown');
        await server?.close();
        if (fileConfig.pidfile !== null) {
          try {
            unlinkSync(fileConfig.pidfile);
          } catch {
            // already gone
          }
        }
        if (opts.logger === undefined) loggerHandle.close();
      })();
      return closed;
    },
  };
  return handle;
}
