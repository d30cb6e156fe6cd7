/**
 * Typed lookups for handlers: each returns the value when it has the expected type, undefined when the key is
 * absent (or expired), and null when it holds another type (the handler then replies WRONGTYPE, as checkType).
 */
import type { Database } from '../keyspace/database.js';
import { ListValue } from '../keyspace/list.js';
import type { Value } from '../keyspace/types.js';
import { ZSetValue } from '../keyspace/zset.js';

export type Typed<T> = T | undefined | null;

export function asString(v: Value | undefined): Typed<string> {
  return v === undefined ? undefined : typeof v === 'string' ? v : null;
}

export function asHash(v: Value | undefined): Typed<Map<string, string>> {
  return v === undefined ? undefined : v instanceof Map ? v : null;
}

export function asSet(v: Value | undefined): Typed<Set<string>> {
  return v === undefined ? undefined : v instanceof Set ? v : null;
}

export function asList(v: Value | undefined): Typed<ListValue> {
  return v === undefined ? undefined : v instanceof ListValue ? v : null;
}

export function asZSet(v: Value | undefined): Typed<ZSetValue> {
  return v === undefined ? undefined : v instanceof ZSetValue ? v : null;
}

/** Read-lookup with a type: counts hits/misses as lookupKeyRead. */
export function readAs<T>(db: Database, key: string, as: (v: Value | undefined) => Typed<T>): Typed<T> {
  return as(db.lookupRead(key));
}

export function writeAs<T>(db: Database, key: string, as: (v: Value | undefined) => Typed<T>): Typed<T> {
  return as(db.lookupWrite(key));
}

/**
 * Normalise a [start, end] index pair the way LRANGE/ZRANGE/GETRANGE do: negative from the end, clamped.
 * Returns null when the range is empty.
 */
export function clampRange(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}
