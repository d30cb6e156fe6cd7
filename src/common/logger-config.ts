/**
 * The logging directives both daemons declare in their config tables: `loglevel` (runtime-settable, as in Redis),
 * `logfile` (immutable, as in Redis 7.0) and `log-format` (Valkey's name; ours adds json, pretty and auto).
 * Plus config.c's load-time check that the log file can be opened for appending.
 */
import { closeSync, openSync } from 'node:fs';
import { enumDirective, stringDirective } from './config/values.js';
import { strerror } from './config/os-errors.js';
import type { ApplyFn, DirectiveSpec } from './config/schema.js';
import type { LogFormat } from './logger.js';
import type { RedisLogLevel } from './logger-format.js';

export interface LoggingSettings {
  loglevel: RedisLogLevel;
  /** `""` = stdout. */
  logfile: string;
  logFormat: LogFormat;
}

export const DEFAULT_LOGGING: LoggingSettings = { loglevel: 'notice', logfile: '', logFormat: 'auto' };

/** config.c loglevel_enum in Redis 7.0 (redis-server and redis-sentinel refuse `nothing` in 7.0.15). */
export const LOG_LEVELS_7_0: readonly RedisLogLevel[] = ['debug', 'verbose', 'notice', 'warning'];
/** Redis 7.2 added `nothing` (logging off). */
export const LOG_LEVELS: readonly RedisLogLevel[] = [...LOG_LEVELS_7_0, 'nothing'];
export const LOG_FORMATS: readonly LogFormat[] = ['auto', 'json', 'pretty', 'legacy', 'logfmt'];

/**
 * Directive specs over `cfg.logging`. `applyLevel` runs after CONFIG SET loglevel (typically
 * `(cfg) => { handle.setLevel(cfg.logging.loglevel); return undefined; }`). `loglevel` takes Redis 7.0's values;
 * `allowNothing` adds 7.2's `nothing` for a daemon that deliberately follows 7.2 there.
 */
export function loggingDirectives<C extends { logging: LoggingSettings }>(
  opts: { readonly applyLevel?: ApplyFn<C>; readonly allowNothing?: boolean } = {},
): DirectiveSpec<C>[] {
  return [
    enumDirective<C, RedisLogLevel>({
      name: 'loglevel',
      values: opts.allowNothing === true ? LOG_LEVELS : LOG_LEVELS_7_0,
      default: DEFAULT_LOGGING.loglevel,
      mutable: true,
      ...(opts.applyLevel !== undefined ? { apply: opts.applyLevel } : {}),
      read: (c) => c.logging.loglevel,
      write: (c, v) => {
        c.logging.loglevel = v;
      },
    }),
    stringDirective<C>({
      name: 'logfile',
      default: DEFAULT_LOGGING.logfile,
      read: (c) => c.logging.logfile,
      write: (c, v) => {
        c.logging.logfile = v ?? '';
      },
    }),
    enumDirective<C, LogFormat>({
      name: 'log-format',
      values: LOG_FORMATS,
      default: DEFAULT_LOGGING.logFormat,
      read: (c) => c.logging.logFormat,
      write: (c, v) => {
        c.logging.logFormat = v;
      },
    }),
  ];
}

/** config.c: "Can't open the log file: <strerror>", or undefined when `path` can be appended to (or is stdout). */
export function checkLogFile(path: string): string | undefined {
  if (path === '') return undefined;
  try {
    closeSync(openSync(path, 'a'));
    return undefined;
  } catch (err) {
    return `Can't open the log file: ${strerror(err)}`;
  }
}
