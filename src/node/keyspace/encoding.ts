/**
 * OBJECT ENCODING as Redis 7.0 reports it. tredis stores every type one way (Map, Set, ZSetValue, ListValue,
 * plain strings), so the encoding Redis *would* use is derived from the same thresholds Redis applies:
 *
 *   string: int (string2ll-parsable, ≤ 20 bytes) | embstr (≤ 44 bytes) | raw — object.c tryObjectEncoding;
 *           APPEND/SETRANGE on an existing value make it raw (recorded per key in Database.forcedEncoding).
 *   list:   always quicklist (7.0 has no listpack lists; they arrived in 7.2).
 *   hash:   listpack while ≤ hash-max-listpack-entries fields and no field/value > hash-max-listpack-value.
 *   set:    intset while all members are integers and ≤ set-max-intset-entries; else hashtable.
 *   zset:   listpack while ≤ zset-max-listpack-entries and no member > zset-max-listpack-value; else skiplist.
 *
 * Redis never converts back to the compact encoding when a value shrinks, so a conversion is sticky: the
 * families report each growth through `note*`, which remembers converted values in a WeakSet. Values that never
 * went through a command (loaded from RDB) are classified from their contents, exactly as rdbLoadObject does.
 */
import { parseInt64 } from './int64.js';
import type { Database } from './database.js';
import type { Value } from './types.js';
import { ZSetValue } from './zset.js';

export interface EncodingLimits {
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
}

export const DEFAULT_ENCODING_LIMITS: EncodingLimits = {
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
};

export class EncodingTracker {
  readonly limits: EncodingLimits;
  readonly #converted = new WeakSet<object>();

  constructor(limits: EncodingLimits = { ...DEFAULT_ENCODING_LIMITS }) {
    this.limits = limits;
  }

  isConverted(v: object): boolean {
    return this.#converted.has(v);
  }

  /** hashTypeTryConversion + the post-insert length check (HSET/HSETNX/HINCRBY…). */
  noteHashWrite(h: Map<string, string>, field: string, value: string): void {
    const l = this.limits;
    if (field.length > l.hashMaxListpackValue || value.length > l.hashMaxListpackValue || h.size > l.hashMaxListpackEntries) {
      this.#converted.add(h);
    }
  }

  /** setTypeAdd: a non-integer member, or too many members, converts an intset to a hashtable. */
  noteSetAdd(s: Set<string>, member: string): void {
    if (this.#converted.has(s)) return;
    if (s.size > this.limits.setMaxIntsetEntries || parseInt64(member) === null) this.#converted.add(s);
  }

  /** Mark a set as hashtable from the start (setTypeCreate with a non-integer first member is the same). */
  markConverted(v: object): void {
    this.#converted.add(v);
  }

  /** zsetAdd on a listpack: converted when it would exceed the entry count or the member is too long. */
  noteZsetAdd(z: ZSetValue, member: string): void {
    if (z.size > this.limits.zsetMaxListpackEntries || member.length > this.limits.zsetMaxListpackValue) this.#converted.add(z);
  }

  /** Whether a set would still be an intset (SMEMBERS/SSCAN then list members in ascending integer order). */
  isIntset(s: Set<string>): boolean {
    if (this.#converted.has(s)) return false;
    if (s.size > this.limits.setMaxIntsetEntries) {
      this.#converted.add(s);
      return false;
    }
    for (const m of s) {
      if (parseInt64(m) === null) {
        this.#converted.add(s);
        return false;
      }
    }
    return true;
  }

  encodingOf(db: Database, key: string, v: Value): string {
    const l = this.limits;
    if (typeof v === 'string') {
      const forced = db.forcedEncoding?.get(key);
      if (forced !== undefined) return forced;
      return stringEncoding(v);
    }
    if (v instanceof Map) {
      if (this.#converted.has(v)) return 'hashtable';
      if (v.size > l.hashMaxListpackEntries) return 'hashtable';
      for (const [f, x] of v) {
        if (f.length > l.hashMaxListpackValue || x.length > l.hashMaxListpackValue) {
          this.#converted.add(v);
          return 'hashtable';
        }
      }
      return 'listpack';
    }
    if (v instanceof Set) return this.isIntset(v) ? 'intset' : 'hashtable';
    if (v instanceof ZSetValue) {
      if (this.#converted.has(v)) return 'skiplist';
      if (v.size > l.zsetMaxListpackEntries) return 'skiplist';
      for (const m of v.members()) {
        if (m.length > l.zsetMaxListpackValue) {
          this.#converted.add(v);
          return 'skiplist';
        }
      }
      return 'listpack';
    }
    return 'quicklist';
  }
}

/** tryObjectEncoding's choice for a string built from client input. */
export function stringEncoding(v: string): 'int' | 'embstr' | 'raw' {
  if (v.length <= 20 && parseInt64(v) !== null) return 'int';
  return v.length <= 44 ? 'embstr' : 'raw';
}
