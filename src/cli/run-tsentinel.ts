/**
 * tsentinel as a process: either an operations subcommand (status, up, events, failover, ckquorum, check-config,
 * probe — commander), or the sentinel daemon with redis-sentinel's argv (`tsentinel sentinel.conf --port 26380`).
 */
import { basename } from 'node:path';
import { configSourcesFromArgv, parseTsentinelArgv, tsentinelUsage, versionLine, type DaemonRun } from './argv.js';
import { readStdinSync } from '../common/config/index.js';
import { SentinelConfigError, startSentinel } from '../sentinel/main.js';
import { startSentinelOpsHttp } from '../ops/sentinel-readyz.js';
import { runOpsCli } from './commands/run.js';
import { fatal, onTerminationSignals } from './process.js';

export const TSENTINEL_VERSION = '0.1.0';

export async function runTsentinel(argv: readonly string[]): Promise<void> {
  const execName = basename(process.argv[1] ?? 'tsentinel');
  const parsed = parseTsentinelArgv(argv, { cwd: process.cwd(), execName });
  switch (parsed.kind) {
    case 'version':
      process.stdout.write(versionLine('tsentinel', TSENTINEL_VERSION, process.version) + '\n');
      return;
    case 'help':
      process.stdout.write(tsentinelUsage());
      return;
    case 'subcommand':
      return runOpsCli([parsed.name, ...parsed.args]);
    case 'run':
      return runSentinelDaemon(parsed);
  }
}

export async function runSentinelDaemon(run: DaemonRun): Promise<void> {
  // redis-sentinel: "Sentinel needs config file on disk to save state. Exiting..."
  if (run.configFile === undefined) fatal('Sentinel needs config file on disk to save state. Exiting...');
  const sources = configSourcesFromArgv(run, readStdinSync);
  let handle;
  try {
    handle = await startSentinel(sources);
  } catch (err) {
    if (err instanceof SentinelConfigError) fatal(err.report);
    fatal(`tsentinel: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (handle.config.metrics.port !== 0) {
    await startSentinelOpsHttp(handle).catch((err: unknown) =>
      fatal(`tsentinel: metrics listener: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
  onTerminationSignals(() => handle.close());
}
