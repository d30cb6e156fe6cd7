/**
 * Incremental RDB reader (rdb.c rdbLoadRioWithLoadingCtx). Bytes are pushed as they arrive (a file read stream,
 * a replication payload); every complete key is handed to the handler at once, so a loader never needs the whole
 * file in memory. The CRC-64 trailer is verified at the end, which means a consumer must treat everything it was
 * given as provisional until `end()` returns (the badcrc fixture: every key reads fine, then the checksum fails).
 *
 * Opcodes: AUX, SELECTDB, RESIZEDB, EXPIRETIME_MS, EXPIRETIME (old, seconds), IDLE, FREQ, EOF. MODULE_AUX and
 * FUNCTION/FUNCTION2 are refused (ERDB_UNSUPPORTED): tredis has neither modules nor functions, and Redis itself
 * exits on module data it cannot load.
 */
import type { Value } from '../keyspace/types.js';
import { Crc64, formatCrc, readU64LE } from './crc64.js';
import { RdbError } from './errors.js';
import { RDB_VERSION_MAX, RdbOpcode } from './rdb-constants.js';
import { NeedMore, RdbCursor } from './rdb-cursor.js';
import { isValueType, readValue, Skipped, type SkipReason } from './value-reader.js';

export interface RdbHandler {
  /**
   * One key. `expireAt` is the absolute expiry in Unix ms; `idle` (LRU idle seconds, IDLE opcode) and `freq` (LFU
   * counter, FREQ opcode) are set when the file carries them. Positional parameters: this runs once per key of
   * possibly millions, and an object per call costs measurable time when loading.
   */
  entry(db: number, key: string, value: Value, expireAt: number | undefined, idle: number | undefined, freq: number | undefined): void;
  aux?(key: string, value: string): void;
  selectDb?(db: number): void;
  resizeDb?(db: number, keys: number, expires: number): void;
  /** A key that produced no value: an empty collection (Redis skips it too) or a stream. */
  skipped?(db: number, key: string, reason: SkipReason): void;
}

export interface RdbParserOptions {
  /** Number of databases; a SELECTDB at or beyond it is an error (Redis exits: "FATAL: Data file was created
   *  with a Redis server configured to handle more than N databases"). */
  readonly databases?: number;
  /** Verify the CRC trailer (rdbchecksum yes). A zero trailer always means "not computed" and passes. */
  readonly verifyChecksum?: boolean;
}

export type ChecksumResult = 'verified' | 'disabled-in-file' | 'not-checked' | 'none-before-v5';

export interface RdbSummary {
  readonly version: number;
  readonly keys: number;
  readonly skipped: number;
  readonly checksum: ChecksumResult;
  readonly aux: ReadonlyMap<string, string>;
  /** Total bytes of the RDB, trailer included. */
  readonly bytes: number;
}

type State = 'header' | 'body' | 'trailer' | 'done';

/** Items bigger than this are re-parsed only after the buffered amount doubles, keeping re-parsing linear. */
const BIG_ITEM = 1024 * 1024;

export class RdbParser {
  readonly #handler: RdbHandler;
  readonly #databases: number;
  readonly #verify: boolean;
  readonly #crc = new Crc64();
  readonly #aux = new Map<string, string>();
  #state: State = 'header';
  #version = 0;
  #cur = new RdbCursor(Buffer.alloc(0));
  /** Chunks received but not yet joined to the cursor's buffer (waiting for a large item to complete). */
  #pending: Buffer[] = [];
  #pendingLen = 0;
  /** Absolute offset the current item needs before it is worth parsing again. */
  #waitUntil = 0;
  /** Absolute offset up to which the CRC has been computed. */
  #crcAt = 0;
  #db = 0;
  #expireAt: number | undefined;
  #idle: number | undefined;
  #freq: number | undefined;
  #keys = 0;
  #skipped = 0;
  #checksum: ChecksumResult = 'not-checked';

  constructor(handler: RdbHandler, opts: RdbParserOptions = {}) {
    this.#handler = handler;
    this.#databases = opts.databases ?? 16;
    this.#verify = opts.verifyChecksum ?? true;
  }

  get version(): number {
    return this.#version;
  }

  /** The trailer has been read: the RDB is complete. */
  get done(): boolean {
    return this.#state === 'done';
  }

  /** Absolute bytes consumed so far. */
  get offset(): number {
    return this.#cur.base + this.#cur.pos;
  }

  /**
   * Feed bytes. Returns how many bytes of `chunk` belong to the RDB: all of them until the trailer is reached, then
   * fewer (the caller owns whatever follows, e.g. a replication stream).
   */
  push(chunk: Buffer): number {
    if (this.#state === 'done') return 0;
    this.#pending.push(chunk);
    this.#pendingLen += chunk.length;
    const cur = this.#cur;
    const available = cur.base + cur.end + this.#pendingLen;
    if (available < this.#waitUntil) return chunk.length;
    this.#join();
    this.#run(false);
    if (!this.done) return chunk.length;
    const leftover = this.#cur.end - this.#cur.pos;
    return chunk.length - Math.min(leftover, chunk.length);
  }

  /** Bytes received after the end of the RDB (the caller's, e.g. the start of a replication stream). */
  takeTrailing(): Buffer {
    if (this.#state !== 'done') return Buffer.alloc(0);
    this.#join();
    const cur = this.#cur;
    const out = Buffer.from(cur.buf.subarray(cur.pos, cur.end));
    cur.pos = cur.end;
    return out;
  }

  /** No more input: completes the parse or throws (ERDB_TRUNCATED when the RDB stopped early). */
  end(): RdbSummary {
    if (this.#state !== 'done') {
      this.#join();
      this.#run(true);
    }
    return {
      version: this.#version,
      keys: this.#keys,
      skipped: this.#skipped,
      checksum: this.#checksum,
      aux: this.#aux,
      bytes: this.offset,
    };
  }

  #join(): void {
    if (this.#pending.length === 0) return;
    const cur = this.#cur;
    const rest = cur.buf.subarray(cur.pos, cur.end);
    const parts = rest.length > 0 ? [rest, ...this.#pending] : this.#pending;
    const joined = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    cur.base += cur.pos;
    cur.buf = joined;
    cur.pos = 0;
    cur.end = joined.length;
    this.#pending = [];
    this.#pendingLen = 0;
  }

  #run(final: boolean): void {
    const cur = this.#cur;
    try {
      if (this.#state === 'header') this.#header();
      while (this.#state === 'body') {
        const start = cur.pos;
        try {
          this.#item();
        } catch (e) {
          cur.pos = start;
          throw e;
        }
      }
      this.#updateCrc();
      if (this.#state === 'trailer') this.#trailer();
    } catch (e) {
      if (!(e instanceof NeedMore)) throw e;
      this.#updateCrc();
      if (final) {
        throw new RdbError('ERDB_TRUNCATED', 'Unexpected EOF reading RDB file (short read)', cur.base + cur.end);
      }
      const start = cur.base + cur.pos;
      const have = cur.base + cur.end - start;
      const need = cur.base + e.need;
      this.#waitUntil = have >= BIG_ITEM ? Math.max(need, start + 2 * have) : need;
    }
  }

  #updateCrc(): void {
    const cur = this.#cur;
    const from = this.#crcAt - cur.base;
    if (cur.pos > from && this.#state !== 'done') {
      // the trailer itself is not covered: #item() stops the body right after the EOF opcode
      this.#crc.update(cur.buf, from, cur.pos);
      this.#crcAt = cur.base + cur.pos;
    }
  }

  #header(): void {
    const cur = this.#cur;
    cur.need(9);
    const magic = cur.buf.latin1Slice(cur.pos, cur.pos + 5);
    if (magic !== 'REDIS') throw new RdbError('ERDB_SIGNATURE', 'Wrong signature trying to load DB from file', 0);
    // rdbLoadRio: atoi(buf+5)
    const digits = /^\d*/.exec(cur.buf.latin1Slice(cur.pos + 5, cur.pos + 9))![0];
    const version = digits.length > 0 ? Number(digits) : 0;
    if (version < 1 || version > RDB_VERSION_MAX) {
      throw new RdbError('ERDB_VERSION', `Can't handle RDB format version ${version}`, 5);
    }
    this.#version = version;
    cur.pos += 9;
    this.#state = 'body';
  }

  #item(): void {
    const cur = this.#cur;
    const type = cur.u8();
    switch (type) {
      case RdbOpcode.EXPIRETIME_MS:
        this.#expireAt = cur.millis();
        return;
      case RdbOpcode.EXPIRETIME:
        this.#expireAt = cur.seconds() * 1000;
        return;
      case RdbOpcode.FREQ:
        this.#freq = cur.u8();
        return;
      case RdbOpcode.IDLE:
        this.#idle = cur.length();
        return;
      case RdbOpcode.EOF:
        this.#state = this.#version >= 5 ? 'trailer' : 'done';
        if (this.#version < 5) this.#checksum = 'none-before-v5';
        return;
      case RdbOpcode.SELECTDB: {
        const db = cur.length();
        if (db >= this.#databases) {
          throw new RdbError(
            'ERDB_DBINDEX',
            `Data file was created with a Redis server configured to handle more than ${this.#databases} databases (SELECTDB ${db})`,
            cur.base + cur.pos,
          );
        }
        this.#db = db;
        this.#handler.selectDb?.(db);
        return;
      }
      case RdbOpcode.RESIZEDB: {
        const keys = cur.length();
        const expires = cur.length();
        this.#handler.resizeDb?.(this.#db, keys, expires);
        return;
      }
      case RdbOpcode.AUX: {
        const k = cur.string();
        const v = cur.string();
        this.#aux.set(k, v);
        this.#handler.aux?.(k, v);
        return;
      }
      case RdbOpcode.MODULE_AUX:
        throw new RdbError('ERDB_UNSUPPORTED', 'The RDB file contains AUX module data; tredis does not support Redis modules', cur.base + cur.pos - 1);
      case RdbOpcode.FUNCTION2:
      case RdbOpcode.FUNCTION_PRE_GA:
        throw new RdbError('ERDB_UNSUPPORTED', 'The RDB file contains functions (FUNCTION LOAD libraries); tredis does not support functions', cur.base + cur.pos - 1);
      default:
        break;
    }
    if (!isValueType(type)) throw cur.corrupt(`Unknown RDB opcode or value type ${type}`);
    const key = cur.string();
    const value = readValue(cur, type);
    const expireAt = this.#expireAt;
    const idle = this.#idle;
    const freq = this.#freq;
    this.#expireAt = this.#idle = this.#freq = undefined;
    if (value instanceof Skipped) {
      this.#skipped++;
      this.#handler.skipped?.(this.#db, key, value.reason);
      return;
    }
    this.#keys++;
    this.#handler.entry(this.#db, key, value, expireAt, idle, freq);
  }

  #trailer(): void {
    const cur = this.#cur;
    cur.need(8);
    const at = cur.pos;
    cur.pos += 8;
    this.#state = 'done';
    const zero = cur.buf[at] === 0 && readU64LE(cur.buf, at) === 0n;
    if (zero) {
      this.#checksum = 'disabled-in-file'; // "RDB file was saved with checksum disabled: no check performed."
    } else if (!this.#verify) {
      this.#checksum = 'not-checked';
    } else if (!this.#crc.matches(cur.buf, at)) {
      throw new RdbError(
        'ERDB_CHECKSUM',
        `Wrong RDB checksum expected: (${formatCrc(this.#crc.value())}) but got (${formatCrc(readU64LE(cur.buf, at))})`,
        cur.base + at,
      );
    } else {
      this.#checksum = 'verified';
    }
  }
}
