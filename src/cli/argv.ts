/**
 * Daemon command lines with redis-server's exact rules (server.c main(), Redis 7.0.15):
 *
 *   tredis [/path/to/node.conf] [--directive args…]… [-]
 *   tsentinel /path/to/sentinel.conf [--directive args…]… [-]
 *   tsentinel <subcommand> …            (status, up, events, failover, ckquorum, check-config, probe)
 *
 * - `-v`/`--version` and `-h`/`--help` count only as the first argument.
 * - The first argument is the config file unless it starts with `-`; its path is made absolute.
 * - `-` reads config text from stdin, only as the first or the last argument (elsewhere it is an ordinary value).
 * - Every `--name` starts a new config line `name`, and the following arguments are appended to it quoted with
 *   sdscatrepr, so values may start with `-` and multi-token values work (`--replicaof 127.0.0.1 6379`). The
 *   lines are applied after the file and stdin, so the command line wins. A single argument holding spaces
 *   (`"--port 7000"`) is a whole line by itself.
 * - `--save` directly followed by another `--option` (or last) means `save ""`, as before 7.0.1.
 * - `--sentinel` is a pseudo-option: it selects sentinel mode, and `--sentinel --port 1` or a trailing
 *   `--sentinel` leave a bare `sentinel` line the loader ignores. So `--sentinel announce-ip 1.2.3.4` becomes the
 *   directive `sentinel announce-ip 1.2.3.4` — the way to pass sentinel sub-directives on the command line.
 *   tsentinel additionally accepts `--sentinel-announce-ip x` as `--sentinel announce-ip x` (parseTsentinelArgv).
 *
 * Subcommand rule for tsentinel: a first argument exactly equal to a reserved name is the subcommand. A config
 * file with such a name must be written with a path (`./status`); anything containing `/` or ending in `.conf`
 * never collides, since no reserved name has either.
 *
 * Pure: the caller passes argv (without node and the script), the working directory and the executable name.
 * Options are returned as config text in the byte-string convention (UTF-8 argv converted to bytes), ready for
 * `loadConfigLines({ options })`.
 */
import { resolve } from 'node:path';
import { utf8ToBytes } from '../common/bytes.js';
import { reprArg } from '../common/config/lines.js';
import type { ConfigSources } from '../common/config/sources.js';
import { splitArgs } from '../common/split-args.js';

export interface DaemonRun {
  readonly kind: 'run';
  /** Absolute path of the config file, when one was given. */
  readonly configFile: string | undefined;
  /** The config file argument as typed (for messages). */
  readonly configFileArg: string | undefined;
  /** `-` was given: read config text from stdin, after the file and before the options. */
  readonly readStdin: boolean;
  /** The command-line options as config text (byte string), one directive per line. */
  readonly options: string;
  /** `--sentinel` was given or the executable name contains `redis-sentinel` (server.c checkForSentinelMode). */
  readonly sentinelMode: boolean;
}

export type DaemonArgv = DaemonRun | { readonly kind: 'version' } | { readonly kind: 'help' };

export interface ArgvContext {
  /** Directory relative config paths are resolved against (process.cwd()). */
  readonly cwd: string;
  /** Basename of the executable (argv[1]'s basename for node scripts); used for sentinel-mode detection. */
  readonly execName?: string;
}

export function parseDaemonArgv(argv: readonly string[], ctx: ArgvContext): DaemonArgv {
  const n = argv.length;
  const first = argv[0];
  if (first === '-v' || first === '--version') return { kind: 'version' };
  if (first === '--help' || first === '-h') return { kind: 'help' };

  let j = 0;
  let configFileArg: string | undefined;
  if (first !== undefined && !first.startsWith('-')) {
    configFileArg = first;
    j = 1;
  }
  let readStdin = false;
  let options = '';
  let handledLastConfigArg = true;
  for (; j < n; j++) {
    const arg = argv[j]!;
    const next = argv[j + 1];
    const isLast = j === n - 1;
    if (arg === '-' && (j === 0 || isLast)) {
      readStdin = true;
    } else if (handledLastConfigArg && arg.startsWith('--')) {
      if (options.length > 0) options += '\n';
      options += `${utf8ToBytes(arg.slice(2))} `;
      // server.c splits the whole argument to see whether it carried its values along ("--port 6380").
      const count = splitArgs(utf8ToBytes(arg))?.length ?? 0;
      if (count === 1) {
        handledLastConfigArg = false;
        const lower = arg.toLowerCase();
        const nextIsOption = next !== undefined && next.startsWith('--');
        if (lower === '--save' && (nextIsOption || isLast)) {
          options += '""';
          handledLastConfigArg = nextIsOption;
        } else if (lower === '--sentinel' && nextIsOption) {
          handledLastConfigArg = true;
        }
      } else {
        handledLastConfigArg = true;
      }
    } else {
      options += `${reprArg(utf8ToBytes(arg))} `;
      handledLastConfigArg = true;
    }
  }

  const sentinelMode = (ctx.execName ?? '').includes('redis-sentinel') || argv.includes('--sentinel');
  return {
    kind: 'run',
    configFile: configFileArg === undefined ? undefined : resolve(ctx.cwd, configFileArg),
    configFileArg,
    readStdin,
    options,
    sentinelMode,
  };
}

/**
 * What to load for a parsed command line: the file, stdin when `-` was given (read through `readStdin`, e.g.
 * readStdinSync), then the options — Redis's order, so the command line wins.
 */
export function configSourcesFromArgv(run: DaemonRun, readStdin: () => string): ConfigSources {
  return {
    file: run.configFile,
    fileDisplay: run.configFileArg,
    stdin: run.readStdin ? readStdin() : undefined,
    options: run.options === '' ? undefined : run.options,
  };
}

/** Subcommands `tsentinel` reserves; see the header for the ambiguity rule. */
export const TSENTINEL_SUBCOMMANDS = ['status', 'up', 'events', 'failover', 'ckquorum', 'check-config', 'probe'] as const;
export type TsentinelSubcommand = (typeof TSENTINEL_SUBCOMMANDS)[number];

export type TsentinelArgv =
  | DaemonArgv
  | { readonly kind: 'subcommand'; readonly name: TsentinelSubcommand; readonly args: readonly string[] };

export function isTsentinelSubcommand(s: string): s is TsentinelSubcommand {
  return (TSENTINEL_SUBCOMMANDS as readonly string[]).includes(s);
}

/** tsentinel: a subcommand, or the sentinel daemon (always in sentinel mode). */
export function parseTsentinelArgv(argv: readonly string[], ctx: ArgvContext): TsentinelArgv {
  const first = argv[0];
  if (first !== undefined && isTsentinelSubcommand(first)) return { kind: 'subcommand', name: first, args: argv.slice(1) };
  const parsed = parseDaemonArgv(argv.map(sentinelOptionAlias), ctx);
  return parsed.kind === 'run' ? { ...parsed, sentinelMode: true } : parsed;
}

/**
 * tsentinel also takes `--sentinel-<sub> args…` for the sentinel directive `sentinel <sub> args…`
 * (`--sentinel-announce-ip 10.0.0.5`, `--sentinel-resolve-hostnames yes`), the spelling container and compose users
 * reach for. Redis itself only has the pseudo-option form `--sentinel announce-ip …`, which keeps working. The alias
 * is unambiguous because no server directive starts with `sentinel-`; `--sentinel-sentinel-pass x` is
 * `sentinel sentinel-pass x`.
 */
function sentinelOptionAlias(arg: string): string {
  const m = /^--sentinel-(\S+)$/i.exec(arg);
  return m !== null ? `--sentinel ${m[1]!}` : arg;
}

/** tredis: the node daemon. `sentinelMode` tells the caller the user asked for a sentinel (use tsentinel). */
export function parseTredisArgv(argv: readonly string[], ctx: ArgvContext): DaemonArgv {
  return parseDaemonArgv(argv, ctx);
}

/** `--version` output, shaped like redis-server's `Redis server v=7.0.15 …`. */
export function versionLine(product: string, version: string, nodeVersion: string): string {
  return `${product} v=${version} node=${nodeVersion} bits=64`;
}

/** `--help` output for tredis, after redis-server's usage(). */
export function tredisUsage(): string {
  return [
    'Usage: tredis [/path/to/node.conf] [options] [-]',
    '       tredis - (read config from stdin)',
    '       tredis -v or --version',
    '       tredis -h or --help',
    '',
    'Examples:',
    '       tredis (run the server with default conf)',
    "       echo 'maxmemory 128mb' | tredis -",
    '       tredis /etc/tredis/6379.conf',
    '       tredis --port 7777',
    '       tredis --port 7777 --replicaof 127.0.0.1 8888',
    '       tredis /etc/mynode.conf --loglevel verbose -',
    '',
  ].join('\n');
}

/** `--help` output for tsentinel. */
export function tsentinelUsage(): string {
  return [
    'Usage: tsentinel /path/to/sentinel.conf [options] [-]',
    '       tsentinel <subcommand> [args]',
    '       tsentinel -v or --version',
    '       tsentinel -h or --help',
    '',
    'Options are config directives: --port 26380, --loglevel verbose, --sentinel announce-ip 10.0.0.5',
    '',
    `Subcommands: ${TSENTINEL_SUBCOMMANDS.join(', ')}`,
    '(a config file named like a subcommand must be given with a path, e.g. ./status)',
    '',
    'Examples:',
    '       tsentinel /etc/sentinel.conf',
    '       tsentinel /etc/sentinel.conf --port 26380 --sentinel announce-ip 10.0.0.5',
    '       tsentinel check-config /etc/sentinel.conf',
    '',
  ].join('\n');
}
