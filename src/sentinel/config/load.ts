/**
 * Start-up configuration: read sentinel.conf (plus stdin and command-line options) through the directive table,
 * refuse a missing or unwritable file (sentinel.c sentinelCheckConfigFile), resolve the hostnames the `sentinel`
 * lines mention (asynchronously — the reference blocks in getaddrinfo), then apply the `sentinel` lines to a fresh
 * core in the reference's order. Every problem is reported with file and line.
 */
import { accessSync, constants } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { ConfigError } from '../../common/errors.js';
import type { Random } from '../../common/random.js';
import {
  checkSentinelConfigFile,
  formatConfigReport,
  loadConfig,
  type ConfigIssue,
  type ConfigSources,
} from '../../common/config/index.js';
import type { ConfigLine } from '../../common/config/lines.js';
import { SentinelCore } from '../core/core.js';
import type { Timing, Tuning } from '../core/timing.js';
import { hostnamesIn, loadSentinelDirectives } from './directives.js';
import { defaultSentinelFileConfig, SENTINEL_CONFIG_TABLE, type SentinelFileConfig } from './table.js';

export const PRODUCT = 'tsentinel 0.1.0';

/** Start-up failed because of the configuration; `report` is the full Redis-style report to print before exit(1). */
export class SentinelConfigError extends ConfigError {
  readonly report: string;
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const first = issues[0];
    super(first?.message ?? 'invalid configuration', { file: first?.file, line: first?.line, text: first?.text });
    this.issues = issues;
    this.report = formatConfigReport(PRODUCT, issues);
  }
}

export interface LoadedSentinel {
  readonly file: string;
  readonly config: SentinelFileConfig;
  readonly lines: readonly ConfigLine[];
  readonly core: SentinelCore;
  /** myid was absent: a fresh one was generated and must be flushed at once. */
  readonly generatedId: boolean;
}

export interface LoadSentinelOptions {
  readonly now: number;
  readonly random: Random;
  readonly cwd?: string;
  readonly timing?: Partial<Timing>;
  readonly tuning?: Partial<Tuning>;
  /** access(X_OK) for notification/client-reconfig scripts. */
  readonly isExecutable?: (path: string) => boolean;
  readonly resolve?: (host: string) => Promise<string | null>;
}

export function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function dnsResolve(host: string): Promise<string | null> {
  try {
    return (await lookup(host)).address;
  } catch {
    return null;
  }
}

export async function loadSentinel(sources: ConfigSources, opts: LoadSentinelOptions): Promise<LoadedSentinel> {
  const file = sources.file;
  const needFile = checkSentinelConfigFile(file);
  if (file === undefined || needFile !== undefined) {
    throw new SentinelConfigError([{ file: sources.fileDisplay ?? file ?? '(none)', message: needFile ?? 'no config file' }]);
  }
  const { config, errors, lines } = loadConfig(SENTINEL_CONFIG_TABLE, defaultSentinelFileConfig(), sources, opts.cwd !== undefined ? { cwd: opts.cwd } : {});
  if (errors.length > 0) throw new SentinelConfigError(errors);

  const core = new SentinelCore({
    random: opts.random,
    now: opts.now,
    config: { port: config.server.port, requirePass: config.server.requirepass === '' ? null : config.server.requirepass },
    ...(opts.timing !== undefined ? { timing: opts.timing } : {}),
    ...(opts.tuning !== undefined ? { tuning: opts.tuning } : {}),
  });
  const resolve = opts.resolve ?? dnsResolve;
  const hosts = hostnamesIn(config.sentinel);
  const answers = await Promise.all(hosts.map(async (h) => [h, await resolve(h)] as const));
  for (const [h, ip] of answers) core.state.dns.set(h.toLowerCase(), ip);
  try {
    loadSentinelDirectives(core, opts.now, config.sentinel, { isExecutable: opts.isExecutable ?? isExecutableFile });
  } catch (e) {
    if (e instanceof ConfigError) {
      throw new SentinelConfigError([{ file: e.file ?? file, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.text !== undefined ? { text: e.text } : {}), message: rawMessage(e) }]);
    }
    throw e;
  }
  let generatedId = false;
  if (core.state.myid === '') {
    core.state.myid = opts.random.hex(40);
    generatedId = true;
  }
  return { file, config, lines, core, generatedId };
}

/** ConfigError's message carries `file:line: ` and the `>>>` line; the report wants the bare text. */
function rawMessage(e: ConfigError): string {
  let m = e.message;
  const loc = e.file !== undefined ? `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ` : '';
  if (loc !== '' && m.startsWith(loc)) m = m.slice(loc.length);
  const nl = m.indexOf('\n>>> ');
  return nl >= 0 ? m.slice(0, nl) : m;
}
