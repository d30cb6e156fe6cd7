/**
 * The byte layer of the RDB reader (rdb.c rdbLoadLenByRef, rdbGenericLoadStringObject, rdbLoadLzfStringObject,
 * rdbLoadMillisecondTime, rdbLoadDoubleValue): a cursor over the bytes received so far.
 *
 * When a read runs past the bytes available the cursor throws NeedMore with the position it would need; the
 * incremental parser then waits for more input and re-parses the current item from its start.
 */
import { RdbError } from './errors.js';
import { lzfDecompress, LzfError } from './lzf.js';
import { RDB_32BITLEN, RDB_64BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF } from './rdb-constants.js';

/** Thrown (not an Error: it is control flow) when the item being parsed is not complete yet. */
export class NeedMore {
  constructor(readonly need: number) {}
}

/** Strings larger than this are refused as corrupt rather than allocated (proto-max-bulk-len is 512 MB). */
const MAX_STRING = 512 * 1024 * 1024;

export class RdbCursor {
  buf: Buffer;
  pos: number;
  end: number;
  /** Added to `pos` in error messages: where `buf[0]` sits in the whole RDB. */
  base = 0;

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  corrupt(message: string): RdbError {
    return new RdbError('ERDB_CORRUPT', message, this.base + this.pos);
  }

  need(n: number): void {
    if (this.pos + n > this.end) throw new NeedMore(this.pos + n);
  }

  u8(): number {
    if (this.pos >= this.end) throw new NeedMore(this.pos + 1);
    return this.buf[this.pos++]!;
  }

  /** A plain length; the special-encoding marker is corrupt here. */
  length(): number {
    const b = this.u8();
    const kind = b >>> 6;
    if (kind === 0) return b & 0x3f;
    if (kind === 1) return ((b & 0x3f) << 8) | this.u8();
    if (b === RDB_32BITLEN) {
      this.need(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (b === RDB_64BITLEN) {
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw this.corrupt(`length ${v} out of range`);
      return Number(v);
    }
    this.pos--;
    throw this.corrupt(`Unknown length encoding ${kind === 3 ? 'marker' : b} in rdbLoadLen()`);
  }

  /** A 64-bit length that may exceed 2^53 (stream IDs): returned as bigint. */
  bigLength(): bigint {
    const b = this.buf[this.pos];
    if (b === RDB_64BITLEN) {
      this.pos++;
      this.need(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return v;
    }
    return BigInt(this.length());
  }

  /** A string's bytes: a view into the input for plain strings, a new buffer for integer and LZF forms. */
  stringBytes(): Buffer {
    const b = this.u8();
    const kind = b >>> 6;
    if (kind === 3) {
      const enc = b & 0x3f;
      if (enc === RDB_ENC_INT8) return Buffer.from(String(this.#int(1)), 'latin1');
      if (enc === RDB_ENC_INT16) return Buffer.from(String(this.#int(2)), 'latin1');
      if (enc === RDB_ENC_INT32) return Buffer.from(String(this.#int(4)), 'latin1');
      if (enc === RDB_ENC_LZF) return this.#lzf();
      this.pos--;
      throw this.corrupt(`Unknown RDB string encoding type ${enc}`);
    }
    this.pos--;
    const len = this.length();
    if (len > MAX_STRING) throw this.corrupt(`string of ${len} bytes is too large`);
    this.need(len);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** A string as a byte string (one char per byte). */
  string(): string {
    const b = this.u8();
    if (b >>> 6 === 3) {
      const enc = b & 0x3f;
      if (enc === RDB_ENC_INT8) return String(this.#int(1));
      if (enc === RDB_ENC_INT16) return String(this.#int(2));
      if (enc === RDB_ENC_INT32) return String(this.#int(4));
      if (enc === RDB_ENC_LZF) return this.#lzf().latin1Slice(0);
      this.pos--;
      throw this.corrupt(`Unknown RDB string encoding type ${enc}`);
    }
    let len: number;
    if (b < 64) {
      len = b; // fast path: 6-bit length
    } else {
      this.pos--;
      len = this.length();
      if (len > MAX_STRING) throw this.corrupt(`string of ${len} bytes is too large`);
    }
    if (this.pos + len > this.end) throw new NeedMore(this.pos + len);
    const s = this.buf.latin1Slice(this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  #int(width: 1 | 2 | 4): number {
    this.need(width);
    const v = width === 1 ? this.buf.readInt8(this.pos) : width === 2 ? this.buf.readInt16LE(this.pos) : this.buf.readInt32LE(this.pos);
    this.pos += width;
    return v;
  }

  #lzf(): Buffer {
    const clen = this.length();
    const len = this.length();
    if (len > MAX_STRING) throw this.corrupt(`LZF string of ${len} bytes is too large`);
    this.need(clen);
    try {
      const out = lzfDecompress(this.buf, len, this.pos, this.pos + clen);
      this.pos += clen;
      return out;
    } catch (e) {
      if (e instanceof LzfError) throw this.corrupt(`Invalid LZF compressed string: ${e.message}`);
      throw e;
    }
  }

  /** rdbLoadMillisecondTime: int64 little-endian. */
  millis(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }

  /** rdbLoadTime (old EXPIRETIME opcode): int32 seconds. */
  seconds(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  binaryDouble(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  binaryFloat(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }

  /** rdbLoadDoubleValue (ZSET v1): length byte with 253 = nan, 254 = +inf, 255 = -inf, else ASCII. */
  asciiDouble(): number {
    const len = this.u8();
    if (len === 255) return -Infinity;
    if (len === 254) return Infinity;
    if (len === 253) return NaN;
    this.need(len);
    const text = this.buf.latin1Slice(this.pos, this.pos + len);
    this.pos += len;
    const v = parseRedisDouble(text);
    if (v === null) throw this.corrupt(`invalid double '${text}'`);
    return v;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

/** strtod as Redis uses it for stored scores: decimal/exponent forms and inf/infinity with optional sign. */
export function parseRedisDouble(s: string): number | null {
  const t = s.toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t.length === 0 || /[^0-9eE.+-]/.test(t)) return null;
  const v = Number(t);
  return Number.isNaN(v) ? null : v;
}
