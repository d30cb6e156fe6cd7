/**
 * An AOF base written as commands (aof.c rewriteAppendOnlyFileRio, used when aof-use-rdb-preamble is no): per
 * database `SELECT`, then per key the commands that rebuild it — SET, RPUSH / SADD / ZADD / HMSET in batches of
 * AOF_REWRITE_ITEMS_PER_CMD (64) items, and PEXPIREAT for a TTL.
 */
import { formatDouble } from '../../../resp/double.js';
import { typeOfValue } from '../../keyspace/database.js';
import type { ListLike, Value, ZSetLike } from '../../keyspace/types.js';
import { encodeCommand } from '../../propagation.js';
import type { RdbEncoder } from '../rdb-encoder.js';
import type { SnapshotFormat } from '../snapshot.js';

const ITEMS_PER_CMD = 64;

function batched(enc: RdbEncoder, verb: string, key: string, items: Iterable<string[]>): void {
  let argv: string[] = [];
  let n = 0;
  for (const it of items) {
    if (n === 0) argv = [verb, key];
    argv.push(...it);
    if (++n === ITEMS_PER_CMD) {
      enc.bytes(encodeCommand(argv));
      n = 0;
    }
  }
  if (n > 0) enc.bytes(encodeCommand(argv));
}

function* singles(it: Iterable<string>): Iterable<string[]> {
  for (const x of it) yield [x];
}

export function writeAofEntry(enc: RdbEncoder, key: string, value: Value, expireAt: number | undefined): void {
  switch (typeOfValue(value)) {
    case 'string':
      enc.bytes(encodeCommand(['SET', key, value as string]));
      break;
    case 'list':
      batched(enc, 'RPUSH', key, singles(value as ListLike));
      break;
    case 'set':
      batched(enc, 'SADD', key, singles(value as Set<string>));
      break;
    case 'zset': {
      const z = value as ZSetLike;
      const pairs = (function* () {
        for (const [m, sc] of z) yield [formatDouble(sc), m];
      })();
      batched(enc, 'ZADD', key, pairs);
      break;
    }
    case 'hash': {
      const h = value as Map<string, string>;
      batched(enc, 'HMSET', key, h.entries());
      break;
    }
  }
  if (expireAt !== undefined) enc.bytes(encodeCommand(['PEXPIREAT', key, String(expireAt)]));
}

export const aofFormat: SnapshotFormat = {
  header: () => undefined,
  dbHeader: (enc, db) => enc.bytes(encodeCommand(['SELECT', String(db)])),
  entry: writeAofEntry,
  footer: (enc) => enc.flush(),
};
