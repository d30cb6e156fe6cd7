/**
 * Logger factory (pino) for both daemons.
 *
 * Formats (`log-format`, Valkey's directive name):
 * - `json`: pino NDJSON with Redis's message text verbatim in `msg` (so `grep '+switch-master'` still works),
 *   ISO `time`, `pid`, `hostname`, `role`, plus whatever bindings and fields the caller adds.
 * - `pretty`: pino-pretty, for humans at a terminal.
 * - `legacy`: Redis's own lines, `1:X 21 Nov 2026 09:24:49.095 # +sdown master mymaster 127.0.0.1 6379`.
 * - `logfmt`: Valkey's `pid=1 role=sentinel timestamp="…" level=warning message="…"`.
 * - `auto` (default): pretty when the destination is a TTY, json otherwise.
 *
 * Levels are Redis's (`loglevel`): debug→trace, verbose→debug, notice→info, warning→warn, nothing→silent. Use
 * logger.trace/debug/info/warn for DEBUG/VERBOSE/NOTICE/WARNING.
 *
 * `logfile ""` writes to stdout; a path appends to that file, and `reopen()` (call it on SIGHUP, see
 * installReopenOnSighup) reopens it after logrotate moved it. Writes are synchronous, like Redis's fflush per
 * line: a crash does not lose the lines that explain it. Write errors (disk full, file removed) never throw into
 * the caller; they go to `onError`.
 *
 * The role (legacy char X/M/S/C) can change at runtime — a replica promoted to master — through `setRole`; it is
 * added to every line by a mixin, so do not also bind `role` in child loggers.
 *
 * Secrets are redacted wherever they appear as fields up to three levels deep: auth-pass, requirepass,
 * sentinel-pass, masterauth and any `password`.
 */
import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { systemClock, type Clock } from './clock.js';
import {
  formatLegacyLine,
  formatLogfmtLine,
  PINO_LEVEL,
  recordFromJson,
  type LogRole,
  type RedisLogLevel,
  type TimeZone,
} from './logger-format.js';

export type LogFormat = 'auto' | 'json' | 'pretty' | 'legacy' | 'logfmt';
export type { LogRole, RedisLogLevel } from './logger-format.js';

/** Where lines go when not to stdout or a file (tests, custom sinks). */
export interface LogSink {
  write(line: string): void;
}

export interface CreateLoggerOptions {
  readonly role: LogRole;
  readonly format?: LogFormat;
  readonly level?: RedisLogLevel;
  /** `""` or undefined: stdout. A path: append to that file. Ignored when `sink` is given. */
  readonly logfile?: string;
  /** Write lines here instead of stdout/logfile. */
  readonly sink?: LogSink;
  readonly pid?: number;
  readonly clock?: Clock;
  /** Fields on every line (e.g. `{ sentinelId }`). */
  readonly bindings?: Readonly<Record<string, unknown>>;
  /** Extra pino redact paths. */
  readonly redact?: readonly string[];
  /** Time zone of legacy/logfmt timestamps; Redis uses local time. */
  readonly timeZone?: TimeZone;
  /** Whether the destination is a terminal (decides `auto`); default: stdout's isTTY when logging to stdout. */
  readonly isTTY?: boolean;
  /** Called when writing a log line fails (the line is dropped). */
  readonly onError?: (err: Error) => void;
}

export interface LoggerHandle {
  readonly logger: Logger;
  /** The format actually in use (`auto` resolved). */
  readonly format: Exclude<LogFormat, 'auto'>;
  setRole(role: LogRole): void;
  /** CONFIG SET loglevel. */
  setLevel(level: RedisLogLevel): void;
  /** Reopen the log file (after logrotate); a no-op for stdout and custom sinks. */
  reopen(): void;
  /** Flush and release the file; the logger must not be used afterwards. */
  close(): void;
}

const SECRET_KEYS = ['auth-pass', 'requirepass', 'sentinel-pass', 'masterauth', 'password'];

/** pino redact paths for every secret key at the top level and up to two levels of nesting. */
export function secretPaths(keys: readonly string[] = SECRET_KEYS): string[] {
  const out: string[] = [];
  for (const k of keys) {
    const seg = /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `["${k}"]`;
    const top = seg.startsWith('.') ? seg.slice(1) : seg;
    out.push(top, `*${seg}`, `*.*${seg}`);
  }
  return out;
}

export function createLogger(opts: CreateLoggerOptions): LoggerHandle {
  const clock = opts.clock ?? systemClock;
  const pid = opts.pid ?? process.pid;
  const tz = opts.timeZone ?? 'local';
  const onError = opts.onError ?? (() => {});
  let role: LogRole = opts.role;

  const file = opts.sink === undefined && opts.logfile !== undefined && opts.logfile !== '' ? opts.logfile : undefined;
  const boom =
    opts.sink === undefined
      ? pino.destination({ dest: file ?? 1, sync: true, append: true, mkdir: false })
      : undefined;
  boom?.on('error', (err: Error) => onError(err));
  const sink: LogSink = opts.sink ?? {
    write: (line) => {
      try {
        boom!.write(line);
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };

  const tty = opts.isTTY ?? (file === undefined && opts.sink === undefined && process.stdout.isTTY === true);
  const requested = opts.format ?? 'auto';
  const format: Exclude<LogFormat, 'auto'> = requested === 'auto' ? (tty ? 'pretty' : 'json') : requested;

  let dest: DestinationStream;
  if (format === 'legacy' || format === 'logfmt') {
    const render = format === 'legacy' ? formatLegacyLine : formatLogfmtLine;
    dest = {
      write(line: string) {
        const rec = recordFromJson(line, { pid, role });
        if (rec !== undefined) sink.write(render(rec, tz));
      },
    };
  } else if (format === 'pretty') {
    // prettyFactory formats synchronously; pino-pretty's stream form would need a Node stream and a pump.
    const prettify = pretty.prettyFactory({ colorize: tty, ignore: 'pid,hostname', translateTime: 'SYS:dd mmm yyyy HH:MM:ss.l' });
    dest = {
      write(line: string) {
        sink.write(prettify(line));
      },
    };
  } else {
    dest = { write: (line: string) => sink.write(line) };
  }

  const textFormat = format === 'legacy' || format === 'logfmt';
  const logger = pino(
    {
      level: PINO_LEVEL[opts.level ?? 'notice'],
      base: { pid, hostname: hostname(), ...(opts.bindings ?? {}) },
      // legacy/logfmt read epoch ms back; JSON readers get ISO 8601 as clients-and-ops.md §4.3 proposes
      timestamp: textFormat
        ? () => `,"time":${clock.now()}`
        : () => `,"time":"${new Date(clock.now()).toISOString()}"`,
      mixin: () => ({ role }),
      redact: { paths: [...secretPaths(), ...(opts.redact ?? [])], censor: '******' },
    },
    dest,
  );

  return {
    logger,
    format,
    setRole(next) {
      role = next;
    },
    setLevel(level) {
      logger.level = PINO_LEVEL[level];
    },
    reopen() {
      if (file === undefined || boom === undefined) return;
      try {
        boom.reopen();
      } catch (err) {
        onError(err instanceof Error ? err : new Error(String(err)));
      }
    },
    close() {
      if (boom === undefined) return;
      try {
        boom.flushSync();
      } catch {
        // nothing buffered in sync mode; a closed fd is fine here
      }
      if (file !== undefined) boom.end();
    },
  };
}

/** Reopen the log file on SIGHUP (logrotate's postrotate `kill -HUP`). Returns the uninstaller. */
export function installReopenOnSighup(handle: Pick<LoggerHandle, 'reopen'>): () => void {
  const onHup = (): void => handle.reopen();
  process.on('SIGHUP', onHup);
  return () => {
    process.off('SIGHUP', onHup);
  };
}
