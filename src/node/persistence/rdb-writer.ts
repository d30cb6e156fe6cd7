/**
 * RDB file structure as Redis 7.0 writes it (rdb.c rdbSaveRio, rdbSaveInfoAuxFields, rdbSaveDb):
 *
 *   "REDIS0010", AUX redis-ver/redis-bits/ctime/used-mem/[repl-stream-db/repl-id/repl-offset]/aof-base,
 *   per non-empty db: SELECTDB, RESIZEDB, keys; EOF; CRC-64 (zeros with rdbchecksum no)
 *
 * The synchronous whole-dataset writer here serves SAVE, DEBUG RELOAD, shutdown and tests; BGSAVE and full syncs
 * use the time-sliced snapshot (snapshot.ts) built on the same pieces.
 */
import type { Value } from '../keyspace/types.js';
import { RDB_VERSION, RdbOpcode, type EncodingLimits } from './rdb-constants.js';
import type { RdbEncoder } from './rdb-encoder.js';
import { writeKeyValue } from './value-writer.js';

/** The version string tredis reports (INFO redis_version, RDB redis-ver): the Redis release it mirrors. */
export const REDIS_VERSION = '7.0.15';

export interface AuxInfo {
  /** Unix seconds. */
  readonly ctime: number;
  readonly usedMem: number;
  /** Present when the node has replication state to persist (a master with a backlog, or a replica). */
  readonly repl?: { readonly streamDb: number; readonly replId: string; readonly offset: number } | undefined;
  /** 1 for the base file of a multi-part AOF. */
  readonly aofBase?: boolean | undefined;
}

export interface DbMaps {
  readonly dict: ReadonlyMap<string, Value>;
  readonly expires: ReadonlyMap<string, number>;
}

function aux(enc: RdbEncoder, key: string, value: string | number): void {
  enc.byte(RdbOpcode.AUX);
  enc.string(key);
  if (typeof value === 'number') enc.integerString(value);
  else enc.string(value);
}

export function writeHeader(enc: RdbEncoder, info: AuxInfo): void {
  enc.bytes(Buffer.from(`REDIS${String(RDB_VERSION).padStart(4, '0')}`, 'latin1'));
  aux(enc, 'redis-ver', REDIS_VERSION);
  aux(enc, 'redis-bits', 64);
  aux(enc, 'ctime', info.ctime);
  aux(enc, 'used-mem', info.usedMem);
  if (info.repl !== undefined) {
    aux(enc, 'repl-stream-db', info.repl.streamDb);
    aux(enc, 'repl-id', info.repl.replId);
    aux(enc, 'repl-offset', info.repl.offset);
  }
  aux(enc, 'aof-base', info.aofBase === true ? 1 : 0);
}

/** SELECTDB + RESIZEDB for a non-empty database. */
export function writeDbHeader(enc: RdbEncoder, db: number, keys: number, expires: number): void {
  enc.byte(RdbOpcode.SELECTDB);
  enc.length(db);
  enc.byte(RdbOpcode.RESIZEDB);
  enc.length(keys);
  enc.length(expires);
}

export function writeEof(enc: RdbEncoder): void {
  enc.byte(RdbOpcode.EOF);
  enc.finishWithChecksum();
}

/** Write a whole dataset at once. Empty databases get no SELECTDB, as in rdbSaveDb. */
export function writeDataset(enc: RdbEncoder, dbs: readonly DbMaps[], info: AuxInfo, limits: EncodingLimits): number {
  writeHeader(enc, info);
  let keys = 0;
  dbs.forEach((d, index) => {
    if (d.dict.size === 0) return;
    writeDbHeader(enc, index, d.dict.size, d.expires.size);
    const expires = d.expires;
    const hasExpires = expires.size > 0;
    for (const [key, value] of d.dict) {
      writeKeyValue(enc, key, value, hasExpires ? expires.get(key) : undefined, limits);
      keys++;
    }
  });
  writeEof(enc);
  return keys;
}
