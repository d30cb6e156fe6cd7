/**
 * INFO `# Persistence`, field for field as redis-server 7.0.15 prints it (server.c genRedisInfoString
 * "persistence"; observed with and without appendonly, see test/fixtures/redis-7.0.15/info/master-info.txt).
 *
 * tredis has no fork: the copy-on-write fields are 0; while a snapshot runs, `current_save_keys_*` and
 * `current_fork_perc` report its progress as Redis reports its child's. Loading happens before the node accepts
 * clients (start-up) or inside one command (DEBUG RELOAD), so `loading` is always 0 when INFO can run.
 */

export interface PersistenceInfoView {
  readonly dirty: number;
  readonly bgsaveInProgress: boolean;
  /** Unix seconds. */
  readonly lastSave: number;
  readonly lastBgsaveOk: boolean;
  readonly lastBgsaveTimeSec: number;
  readonly currentBgsaveTimeSec: number;
  readonly rdbSaves: number;
  readonly saveKeysProcessed: number;
  readonly saveKeysTotal: number;
  readonly lastLoadKeysExpired: number;
  readonly lastLoadKeysLoaded: number;
  readonly aof: {
    readonly enabled: boolean;
    readonly rewriteInProgress: boolean;
    readonly rewriteScheduled: boolean;
    readonly lastRewriteTimeSec: number;
    readonly currentRewriteTimeSec: number;
    readonly lastBgrewriteOk: boolean;
    readonly rewrites: number;
    readonly rewritesConsecutiveFailures: number;
    readonly lastWriteOk: boolean;
    readonly currentSize: number;
    readonly baseSize: number;
    readonly pendingRewrite: boolean;
    readonly bufferLength: number;
    readonly pendingBioFsync: boolean;
    readonly delayedFsync: number;
  };
}

const ok = (b: boolean): string => (b ? 'ok' : 'err');
const bit = (b: boolean): string => (b ? '1' : '0');

export function persistenceInfoSection(v: PersistenceInfoView): string {
  const forkPerc = v.bgsaveInProgress && v.saveKeysTotal > 0 ? (v.saveKeysProcessed / v.saveKeysTotal) * 100 : 0;
  const a = v.aof;
  const lines = [
    '# Persistence',
    'loading:0',
    'async_loading:0',
    'current_cow_peak:0',
    'current_cow_size:0',
    'current_cow_size_age:0',
    `current_fork_perc:${forkPerc.toFixed(2)}`,
    `current_save_keys_processed:${v.bgsaveInProgress ? v.saveKeysProcessed : 0}`,
    `current_save_keys_total:${v.bgsaveInProgress ? v.saveKeysTotal : 0}`,
    `rdb_changes_since_last_save:${v.dirty}`,
    `rdb_bgsave_in_progress:${bit(v.bgsaveInProgress)}`,
    `rdb_last_save_time:${v.lastSave}`,
    `rdb_last_bgsave_status:${ok(v.lastBgsaveOk)}`,
    `rdb_last_bgsave_time_sec:${v.lastBgsaveTimeSec}`,
    `rdb_current_bgsave_time_sec:${v.bgsaveInProgress ? v.currentBgsaveTimeSec : -1}`,
    `rdb_saves:${v.rdbSaves}`,
    'rdb_last_cow_size:0',
    `rdb_last_load_keys_expired:${v.lastLoadKeysExpired}`,
    `rdb_last_load_keys_loaded:${v.lastLoadKeysLoaded}`,
    `aof_enabled:${bit(a.enabled)}`,
    `aof_rewrite_in_progress:${bit(a.rewriteInProgress)}`,
    `aof_rewrite_scheduled:${bit(a.rewriteScheduled)}`,
    `aof_last_rewrite_time_sec:${a.lastRewriteTimeSec}`,
    `aof_current_rewrite_time_sec:${a.rewriteInProgress ? a.currentRewriteTimeSec : -1}`,
    `aof_last_bgrewrite_status:${ok(a.lastBgrewriteOk)}`,
    `aof_rewrites:${a.rewrites}`,
    `aof_rewrites_consecutive_failures:${a.rewritesConsecutiveFailures}`,
    `aof_last_write_status:${ok(a.lastWriteOk)}`,
    'aof_last_cow_size:0',
    'module_fork_in_progress:0',
    'module_fork_last_cow_size:0',
  ];
  if (a.enabled) {
    lines.push(
      `aof_current_size:${a.currentSize}`,
      `aof_base_size:${a.baseSize}`,
      `aof_pending_rewrite:${bit(a.pendingRewrite)}`,
      `aof_buffer_length:${a.bufferLength}`,
      `aof_pending_bio_fsync:${bit(a.pendingBioFsync)}`,
      `aof_delayed_fsync:${a.delayedFsync}`,
    );
  }
  return lines.join('\r\n');
}
