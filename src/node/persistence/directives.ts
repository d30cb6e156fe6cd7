/**
 * The redis.conf directives persistence owns, as entries for the node's config table (common/config/schema.ts),
 * with Redis 7.0.15's parsing, CONFIG GET/SET behaviour, error texts and CONFIG REWRITE output (each observed on
 * redis-server 7.0.15). The node's config object embeds a PersistenceConfig under `persistence`.
 *
 * Accepted for compatibility with copied redis.conf files but without effect in tredis (values are stored and shown
 * by CONFIG GET): rdb-del-sync-files, rdb-save-incremental-fsync, aof-rewrite-incremental-fsync,
 * no-appendfsync-on-rewrite, aof-timestamp-enabled.
 */
import { basename } from 'node:path';
import {
  boolDirective,
  enumDirective,
  intDirective,
  memoryDirective,
  reprArg,
  rewriteLine,
  type ApplyFn,
  type DirectiveSpec,
} from '../../common/config/index.js';
import type { AppendFsync } from './aof/aof-writer.js';
import type { PersistenceConfig } from './config.js';
import { DEFAULT_PERSISTENCE_CONFIG } from './config.js';
import { formatSavePoints, parseSavePoints } from './save-points.js';

/** config.c texts for persistence directives. */
export const DIRECTIVE_ERR = {
  INVALID_SAVE: 'Invalid save parameters',
  PROTECTED: "can't set protected config",
  NOT_A_FILENAME: (name: string) => `${name} can't be a path, just a filename`,
  NOT_A_DIRNAME: (name: string) => `${name} can't be a path, just a dirname`,
  EMPTY: (name: string) => `${name} can't be empty`,
} as const;

/** The node's config object embeds the persistence settings under `persistence`. */
export interface HasPersistence {
  persistence: PersistenceConfig;
}

const FSYNC: readonly AppendFsync[] = ['everysec', 'always', 'no'];
const D = DEFAULT_PERSISTENCE_CONFIG;

function isBaseName(s: string): boolean {
  return s === basename(s) && !s.includes('/') && s !== '.' && s !== '..';
}

/**
 * The directives. `apply` runs after a CONFIG SET of any mutable one: typically
 * `(cfg) => { persistence.reconfigure(cfg.persistence); return undefined; }`, which also starts/stops the AOF and
 * switches appendfsync when those changed.
 */
export function persistenceDirectives<C extends HasPersistence>(apply?: ApplyFn<C>): DirectiveSpec<C>[] {
  const p = (cfg: C): PersistenceConfig => cfg.persistence;
  const live = apply !== undefined ? { apply } : {};
  const bool = (name: string, key: keyof PersistenceConfig & string, def: boolean): DirectiveSpec<C> =>
    boolDirective<C>({
      name,
      mutable: true,
      default: def,
      read: (cfg) => p(cfg)[key] as boolean,
      write: (cfg, v) => {
        (p(cfg) as unknown as Record<string, unknown>)[key] = v;
      },
      ...live,
    });

  const save: DirectiveSpec<C> = {
    name: 'save',
    args: { min: 0 },
    multiArg: true,
    repeatable: true,
    mutable: true,
    // the first `save` line of a file replaces the built-in schedule; later lines add to it (config.c)
    set(cfg, args, ctx) {
      const points = args.length === 0 ? [] : parseSavePoints(args);
      if (points === null) return DIRECTIVE_ERR.INVALID_SAVE;
      const part = p(cfg);
      part.savePoints = ctx.source === 'load' && ctx.occurrence > 0 ? [...part.savePoints, ...points] : points;
      return undefined;
    },
    get: (cfg) => formatSavePoints(p(cfg).savePoints),
    rewrite(cfg) {
      const points = p(cfg).savePoints;
      const isDefault = formatSavePoints(points) === formatSavePoints(D.savePoints);
      // rewriteConfigSaveOption: one line per point, or `save ""` when there is none
      const lines = points.length === 0 ? ['save ""'] : points.map((sp) => `save ${sp.seconds} ${sp.changes}`);
      return { lines, force: !isDefault };
    },
    ...live,
  };

  const dbfilename: DirectiveSpec<C> = {
    name: 'dbfilename',
    args: 1,
    mutable: true,
    set(cfg, args, ctx) {
      // PROTECTED_CONFIG: settable from the file, refused by CONFIG SET (enable-protected-configs no)
      if (ctx.source === 'config-set') return DIRECTIVE_ERR.PROTECTED;
      const v = args[0]!;
      if (!isBaseName(v)) return DIRECTIVE_ERR.NOT_A_FILENAME('dbfilename');
      p(cfg).dbfilename = v;
      return undefined;
    },
    get: (cfg) => p(cfg).dbfilename,
    rewrite: (cfg) => rewriteLine(`dbfilename ${reprArg(p(cfg).dbfilename)}`, p(cfg).dbfilename === D.dbfilename),
  };

  const nameDirective = (name: 'appendfilename' | 'appenddirname', key: 'appendfilename' | 'appenddirname'): DirectiveSpec<C> => ({
    name,
    args: 1,
    set(cfg, args) {
      const v = args[0]!;
      if (v === '') return DIRECTIVE_ERR.EMPTY(name);
      if (!isBaseName(v)) return name === 'appendfilename' ? DIRECTIVE_ERR.NOT_A_FILENAME(name) : DIRECTIVE_ERR.NOT_A_DIRNAME(name);
      p(cfg)[key] = v;
      return undefined;
    },
    get: (cfg) => p(cfg)[key],
    rewrite: (cfg) => rewriteLine(`${name} ${reprArg(p(cfg)[key])}`, p(cfg)[key] === D[key]),
  });

  const appendfsync = enumDirective<C, AppendFsync>({
    name: 'appendfsync',
    values: FSYNC,
    default: D.appendfsync,
    mutable: true,
    read: (cfg) => p(cfg).appendfsync,
    write: (cfg, v) => void (p(cfg).appendfsync = v),
    ...live,
  });

  return [
    save,
    bool('stop-writes-on-bgsave-error', 'stopWritesOnBgsaveError', D.stopWritesOnBgsaveError),
    bool('rdbcompression', 'rdbcompression', D.rdbcompression),
    bool('rdbchecksum', 'rdbchecksum', D.rdbchecksum),
    dbfilename,
    bool('rdb-del-sync-files', 'rdbDelSyncFiles', D.rdbDelSyncFiles),
    bool('appendonly', 'appendonly', D.appendonly),
    nameDirective('appendfilename', 'appendfilename'),
    nameDirective('appenddirname', 'appenddirname'),
    appendfsync,
    bool('no-appendfsync-on-rewrite', 'noAppendfsyncOnRewrite', D.noAppendfsyncOnRewrite),
    intDirective<C>({
      name: 'auto-aof-rewrite-percentage',
      mutable: true,
      min: 0,
      max: 2147483647,
      default: D.autoAofRewritePercentage,
      read: (cfg) => p(cfg).autoAofRewritePercentage,
      write: (cfg, v) => {
        p(cfg).autoAofRewritePercentage = v;
      },
      ...live,
    }),
    memoryDirective<C>({
      name: 'auto-aof-rewrite-min-size',
      mutable: true,
      default: D.autoAofRewriteMinSize,
      read: (cfg) => p(cfg).autoAofRewriteMinSize,
      write: (cfg, v) => {
        p(cfg).autoAofRewriteMinSize = v;
      },
      ...live,
    }),
    bool('aof-load-truncated', 'aofLoadTruncated', D.aofLoadTruncated),
    bool('aof-use-rdb-preamble', 'aofUseRdbPreamble', D.aofUseRdbPreamble),
    bool('aof-timestamp-enabled', 'aofTimestampEnabled', D.aofTimestampEnabled),
    bool('rdb-save-incremental-fsync', 'rdbSaveIncrementalFsync', D.rdbSaveIncrementalFsync),
    bool('aof-rewrite-incremental-fsync', 'aofRewriteIncrementalFsync', D.aofRewriteIncrementalFsync),
  ];
}
