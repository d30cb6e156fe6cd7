/**
 * DUMP payloads (cluster.c createDumpPayload / verifyDumpPayload): one RDB value (type byte + body), then the RDB
 * version as 2 bytes little-endian, then the CRC-64 of everything before it as 8 bytes little-endian. The same
 * bytes Redis 7.0 produces, so values move between tredis and redis-server with DUMP/RESTORE (and MIGRATE).
 */
import type { Value } from '../keyspace/types.js';
import { Crc64 } from './crc64.js';
import { RdbError } from './errors.js';
import { RDB_VERSION, RDB_VERSION_MAX, type EncodingLimits } from './rdb-constants.js';
import { NeedMore, RdbCursor } from './rdb-cursor.js';
import { RdbEncoder } from './rdb-encoder.js';
import { isValueType, readValue, Skipped } from './value-reader.js';
import { writeObject } from './value-writer.js';

export function createDumpPayload(value: Value, opts: { compression: boolean; limits: EncodingLimits }): Buffer {
  const parts: Buffer[] = [];
  const enc = new RdbEncoder((c) => parts.push(c), { compression: opts.compression, checksum: false, chunkSize: 4096 });
  writeObject(enc, value, null, opts.limits);
  enc.byte(RDB_VERSION & 0xff);
  enc.byte((RDB_VERSION >>> 8) & 0xff);
  enc.flush();
  const body = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  const crc = new Crc64().update(body).bytes();
  return Buffer.concat([body, crc]);
}

/**
 * verifyDumpPayload (7.0): at least 10 bytes, RDB version ≤ ours, CRC over all but the last 8 bytes. Unlike RDB
 * files, a zero CRC is not special here. `skipChecksum` mirrors the `skip-checksum-validation` debug switch.
 */
export function verifyDumpPayload(p: Buffer, skipChecksum = false): boolean {
  if (p.length < 10) return false;
  const footer = p.length - 10;
  const rdbver = p[footer]! | (p[footer + 1]! << 8);
  if (rdbver > RDB_VERSION_MAX) return false;
  if (skipChecksum) return true;
  return new Crc64().update(p, 0, p.length - 8).matches(p, p.length - 8);
}

/**
 * The value inside a verified payload, or null when it cannot be decoded (RESTORE replies "Bad data format").
 * Empty collections are refused too: Redis's rdbLoadObject reports them as an error in the RESTORE context.
 */
export function readDumpPayload(p: Buffer): Value | null {
  const cur = new RdbCursor(p, 0, p.length - 10);
  try {
    const type = cur.u8();
    if (!isValueType(type)) return null;
    const v = readValue(cur, type);
    if (v instanceof Skipped) return null;
    return v;
  } catch (e) {
    if (e instanceof NeedMore || e instanceof RdbError) return null;
    throw e;
  }
}
