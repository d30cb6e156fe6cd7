/**
 * tredis as a process: redis-server's argv → config (file, stdin, options) → daemonize → logger → startNode →
 * signals. Bad configuration prints the Redis-style report with every file:line and exits 1; nothing here
 * prints a stack trace for a user error.
 */
import { basename } from 'node:path';
import { configSourcesFromArgv, parseTredisArgv, tredisUsage, versionLine, type DaemonRun } from './argv.js';
import { formatConfigReport, loadConfig, readStdinSync } from '../common/config/index.js';
import { createLogger, installReopenOnSighup } from '../common/logger.js';
import { createMetricsRegistry } from '../common/metrics.js';
import { defaultNodeConfig } from '../node/config/node-config.js';
import { nodeConfigTable } from '../node/config/table.js';
import { daemonize } from '../node/daemon.js';
import { startNode, TREDIS_VERSION } from '../node/main.js';
import { startNodeOpsHttp } from '../ops/tredis-metrics.js';
import { runSentinelDaemon } from './run-tsentinel.js';
import { fatal, onTerminationSignals } from './process.js';

export async function runTredis(argv: readonly string[]): Promise<void> {
  const execName = basename(process.argv[1] ?? 'tredis');
  const parsed = parseTredisArgv(argv, { cwd: process.cwd(), execName });
  if (parsed.kind === 'version') {
    process.stdout.write(versionLine('tredis', TREDIS_VERSION, process.version) + '\n');
    return;
  }
  if (parsed.kind === 'help') {
    process.stdout.write(tredisUsage());
    return;
  }
  // `redis-server sentinel.conf --sentinel` runs a sentinel; so does `tredis … --sentinel`.
  if (parsed.sentinelMode) return runSentinelDaemon(parsed);
  return runNodeDaemon(parsed);
}

async function runNodeDaemon(run: DaemonRun): Promise<void> {
  const sources = configSourcesFromArgv(run, readStdinSync);
  const defaults = defaultNodeConfig();
  const loaded = loadConfig(nodeConfigTable(), defaults, sources);
  if (loaded.errors.length > 0) fatal(formatConfigReport(`tredis ${TREDIS_VERSION}`, loaded.errors));
  const config = loaded.config;
  if (run.configFile !== undefined) config.configFile = run.configFile;

  const logging = config.logging;
  if (daemonize(config.node.daemonize, { logfile: logging.logfile }) === 'parent') return;

  const log = createLogger({
    role: config.replication.replicaof !== null ? 'replica' : 'master',
    format: logging.logFormat,
    level: logging.loglevel,
    ...(logging.logfile !== '' ? { logfile: logging.logfile } : {}),
  });
  installReopenOnSighup(log);
  const handle = await startNode(config, {
    logger: log.logger,
    setLogLevel: (level) => log.setLevel(level),
    configLines: loaded.lines,
    executable: process.argv[1] ?? 'tredis',
  }).catch((err: unknown) => fatal(`tredis: ${err instanceof Error ? err.message : String(err)}\n`));

  // /metrics, /healthz, /readyz from the node's own INFO (off unless metrics-port is set)
  if (config.metrics.port !== 0) {
    await startNodeOpsHttp(config.metrics, createMetricsRegistry(), () => handle.infoText(), (err) =>
      log.logger.warn({ err }, 'metrics listener error'),
    ).catch((err: unknown) => fatal(`tredis: metrics listener: ${err instanceof Error ? err.message : String(err)}\n`));
  }

  // SIGTERM/SIGINT take SHUTDOWN's path (save if configured, wait for replicas); a second signal exits at once.
  onTerminationSignals(async () => {
    const err = await handle.shutdown();
    if (err !== null) log.logger.warn(`SIGTERM received but errors trying to shut down the server, check the logs for more information`);
  });
}
