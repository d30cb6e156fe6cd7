/**
 * The persistence service's configuration (the redis.conf directives it owns, with Redis 7.0 defaults), its ports
 * to the rest of the node, and the wire texts of its replies.
 */
import type { Clock } from '../../common/clock.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { PropagationConsumer } from '../propagation.js';
import type { AppendFsync } from './aof/aof-writer.js';
import { DEFAULT_ENCODING_LIMITS, type EncodingLimits } from './rdb-constants.js';
import type { AuxInfo } from './rdb-writer.js';
import { DEFAULT_SAVE_POINTS, type SavePoint } from './save-points.js';

export interface PersistenceConfig {
  dir: string;
  dbfilename: string;
  rdbcompression: boolean;
  rdbchecksum: boolean;
  savePoints: SavePoint[];
  stopWritesOnBgsaveError: boolean;
  appendonly: boolean;
  appendfilename: string;
  appenddirname: string;
  appendfsync: AppendFsync;
  aofLoadTruncated: boolean;
  aofUseRdbPreamble: boolean;
  autoAofRewritePercentage: number;
  autoAofRewriteMinSize: number;
  limits: EncodingLimits;
  // accepted from redis.conf and shown by CONFIG GET, without effect in tredis
  rdbDelSyncFiles: boolean;
  noAppendfsyncOnRewrite: boolean;
  aofTimestampEnabled: boolean;
  rdbSaveIncrementalFsync: boolean;
  aofRewriteIncrementalFsync: boolean;
}

export const DEFAULT_PERSISTENCE_CONFIG: PersistenceConfig = {
  dir: '.',
  dbfilename: 'dump.rdb',
  rdbcompression: true,
  rdbchecksum: true,
  savePoints: [...DEFAULT_SAVE_POINTS],
  stopWritesOnBgsaveError: true,
  appendonly: false,
  appendfilename: 'appendonly.aof',
  appenddirname: 'appendonlydir',
  appendfsync: 'everysec',
  aofLoadTruncated: true,
  aofUseRdbPreamble: true,
  autoAofRewritePercentage: 100,
  autoAofRewriteMinSize: 64 * 1024 * 1024,
  limits: DEFAULT_ENCODING_LIMITS,
  rdbDelSyncFiles: false,
  noAppendfsyncOnRewrite: false,
  aofTimestampEnabled: false,
  rdbSaveIncrementalFsync: true,
  aofRewriteIncrementalFsync: true,
};

export interface PersistenceLogger {
  notice(msg: string): void;
  warning(msg: string): void;
}

export interface PersistenceDeps {
  readonly keyspace: Keyspace;
  readonly clock: Clock;
  readonly log: PersistenceLogger;
  /** Where the AOF writer attaches (the node's Propagator). */
  readonly propagation: { addConsumer(c: PropagationConsumer): () => void };
  /** rdbPopulateSaveInfo: replication state to store in RDB aux fields, when the node has any. */
  readonly replInfo?: () => AuxInfo['repl'];
  readonly usedMemory?: () => number;
  /** A master drops already-expired keys when loading an RDB; a replica keeps them. */
  readonly isMaster?: () => boolean;
  /** Whether EXEC is running (BGSAVE/BGREWRITEAOF inside MULTI are scheduled, as Redis does). */
  readonly inExec?: () => boolean;
  /** Process CPU time in µs, for snapshot slice diagnostics (bench); optional. */
  readonly cpuMicros?: () => number;
}

/** Replies of the persistence commands (Redis 7.0.15 texts), kept in one table. */
export const REPLY = {
  BGSAVE_STARTED: 'Background saving started',
  BGSAVE_SCHEDULED: 'Background saving scheduled',
  BGSAVE_IN_PROGRESS: 'ERR Background save already in progress',
  BGSAVE_OTHER_CHILD:
    'ERR Another child process is active (AOF?): can\'t BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.',
  SAVE_FAILED: 'ERR',
  AOFRW_STARTED: 'Background append only file rewriting started',
  AOFRW_SCHEDULED: 'Background append only file rewriting scheduled',
  AOFRW_IN_PROGRESS: 'ERR Background append only file rewriting already in progress',
  AOFRW_FAILED: "ERR Can't execute an AOF background rewriting. Please check the server logs for more information.",
  MISCONF_RDB:
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
  MISCONF_AOF: (err: string) => `MISCONF Errors writing to the AOF file: ${err}`,
  SHUTDOWN_FAILED: 'ERR Errors trying to SHUTDOWN. Check logs.',
} as const;

export type BgReply = { ok: true; status: string } | { ok: false; error: string };
