/**
 * Listpack (src/listpack.c): the compact encoding Redis 7.0 stores small hashes, small sorted sets and quicklist
 * nodes in, and writes into RDB files verbatim as one string.
 *
 *   <total bytes u32 LE> <count u16 LE (65535 = unknown)> <entry>* <0xFF>
 *   entry = <encoding+data> <backlen: size of encoding+data, 1..5 bytes, 7 bits per byte>
 *
 * Elements that are canonical int64 decimals are stored as integers (lpEncodeGetType), everything else as strings.
 */
import { intToString, parseStrictInt, readI64LE, writeI64LE } from './int-string.js';

export class FormatError extends Error {
  override readonly name = 'FormatError';
}

const HDR = 6;
const EOF = 0xff;

function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** Size of encoding+data for an integer element (lpEncodeGetType). */
function intEncodedSize(v: number | bigint): number {
  if (typeof v === 'bigint') return 9;
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

function strEncodedSize(len: number): number {
  if (len < 64) return 1 + len;
  if (len < 4096) return 2 + len;
  return 5 + len;
}

/** Encode elements (byte strings) into a listpack blob. */
export function encodeListpack(items: readonly string[]): Buffer {
  const n = items.length;
  const ints: (number | bigint | null)[] = new Array(n);
  let total = HDR + 1;
  for (let i = 0; i < n; i++) {
    const s = items[i]!;
    const v = s.length <= 20 ? parseStrictInt(s) : null;
    ints[i] = v;
    const size = v !== null ? intEncodedSize(v) : strEncodedSize(s.length);
    total += size + backlenSize(size);
  }
  const buf = Buffer.allocUnsafe(total);
  buf.writeUInt32LE(total, 0);
  buf.writeUInt16LE(n < 65535 ? n : 65535, 4);
  let p = HDR;
  for (let i = 0; i < n; i++) {
    const v = ints[i]!;
    const start = p;
    if (v !== null) {
      p = writeIntEntry(buf, p, v);
    } else {
      const s = items[i]!;
      const len = s.length;
      if (len < 64) {
        buf[p++] = 0x80 | len;
      } else if (len < 4096) {
        buf[p++] = 0xe0 | (len >>> 8);
        buf[p++] = len & 0xff;
      } else {
        buf[p++] = 0xf0;
        buf.writeUInt32LE(len, p);
        p += 4;
      }
      p += buf.latin1Write(s, p, len);
    }
    p = writeBacklen(buf, p, p - start);
  }
  buf[p++] = EOF;
  return buf;
}

function writeIntEntry(buf: Buffer, p: number, v: number | bigint): number {
  if (typeof v === 'bigint') {
    buf[p] = 0xf4;
    buf.writeBigInt64LE(v, p + 1);
    return p + 9;
  }
  if (v >= 0 && v <= 127) {
    buf[p] = v;
    return p + 1;
  }
  if (v >= -4096 && v <= 4095) {
    const u = v < 0 ? (1 << 13) + v : v;
    buf[p] = 0xc0 | (u >>> 8);
    buf[p + 1] = u & 0xff;
    return p + 2;
  }
  if (v >= -32768 && v <= 32767) {
    buf[p] = 0xf1;
    buf.writeInt16LE(v, p + 1);
    return p + 3;
  }
  if (v >= -8388608 && v <= 8388607) {
    buf[p] = 0xf2;
    buf.writeIntLE(v, p + 1, 3);
    return p + 4;
  }
  if (v >= -2147483648 && v <= 2147483647) {
    buf[p] = 0xf3;
    buf.writeInt32LE(v, p + 1);
    return p + 5;
  }
  buf[p] = 0xf4;
  writeI64LE(buf, v, p + 1);
  return p + 9;
}

function writeBacklen(buf: Buffer, p: number, l: number): number {
  // lpEncodeBacklen: big-endian 7-bit groups, every byte but the first has the high bit set, so the entry can be
  // walked backwards from its last byte.
  if (l <= 127) {
    buf[p] = l;
    return p + 1;
  }
  if (l < 16383) {
    buf[p] = l >>> 7;
    buf[p + 1] = (l & 127) | 128;
    return p + 2;
  }
  if (l < 2097151) {
    buf[p] = l >>> 14;
    buf[p + 1] = ((l >>> 7) & 127) | 128;
    buf[p + 2] = (l & 127) | 128;
    return p + 3;
  }
  if (l < 268435455) {
    buf[p] = l >>> 21;
    buf[p + 1] = ((l >>> 14) & 127) | 128;
    buf[p + 2] = ((l >>> 7) & 127) | 128;
    buf[p + 3] = (l & 127) | 128;
    return p + 4;
  }
  buf[p] = Math.floor(l / 268435456);
  buf[p + 1] = ((l >>> 21) & 127) | 128;
  buf[p + 2] = ((l >>> 14) & 127) | 128;
  buf[p + 3] = ((l >>> 7) & 127) | 128;
  buf[p + 4] = (l & 127) | 128;
  return p + 5;
}

function decodeBacklen(buf: Uint8Array, last: number, floor: number): number {
  // lpDecodeBacklen reads from the entry's last byte backwards.
  let val = 0;
  let shift = 0;
  let p = last;
  for (;;) {
    if (p < floor) throw new FormatError('listpack backlen out of bounds');
    const b = buf[p]!;
    val += (b & 127) * 2 ** shift;
    if (!(b & 128)) break;
    shift += 7;
    p--;
    if (shift > 28) throw new FormatError('listpack backlen too long');
  }
  return val;
}

/**
 * Decode and validate a listpack blob held in `buf[start, end)` (lpValidateIntegrity with deep checks): header
 * size matches, each entry stays inside the blob, each backlen matches its entry, the count matches, 0xFF ends it.
 */
export function decodeListpack(buf: Uint8Array, start = 0, end = buf.length): string[] {
  const size = end - start;
  if (size < HDR + 1) throw new FormatError('listpack shorter than its header');
  const total = (buf[start]! | (buf[start + 1]! << 8) | (buf[start + 2]! << 16) | (buf[start + 3]! << 24)) >>> 0;
  if (total !== size) throw new FormatError(`listpack header says ${total} bytes, blob has ${size}`);
  if (buf[end - 1] !== EOF) throw new FormatError('listpack not terminated');
  const count = buf[start + 4]! | (buf[start + 5]! << 8);
  const out: string[] = [];
  const b = buf as Buffer;
  let p = start + HDR;
  const last = end - 1;
  while (p < last) {
    const e = p;
    const c = buf[p]!;
    let s: string;
    if (c < 0x80) {
      s = String(c);
      p += 1;
    } else if ((c & 0xc0) === 0x80) {
      const len = c & 0x3f;
      if (p + 1 + len > last) throw new FormatError('listpack string out of bounds');
      s = b.latin1Slice(p + 1, p + 1 + len);
      p += 1 + len;
    } else if ((c & 0xe0) === 0xc0) {
      if (p + 2 > last) throw new FormatError('listpack int out of bounds');
      let v = ((c & 0x1f) << 8) | buf[p + 1]!;
      if (v >= 4096) v -= 8192;
      s = String(v);
      p += 2;
    } else if ((c & 0xf0) === 0xe0) {
      if (p + 2 > last) throw new FormatError('listpack string out of bounds');
      const len = ((c & 0x0f) << 8) | buf[p + 1]!;
      if (p + 2 + len > last) throw new FormatError('listpack string out of bounds');
      s = b.latin1Slice(p + 2, p + 2 + len);
      p += 2 + len;
    } else if (c === 0xf0) {
      if (p + 5 > last) throw new FormatError('listpack string out of bounds');
      const len = (buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16) | (buf[p + 4]! << 24)) >>> 0;
      if (p + 5 + len > last) throw new FormatError('listpack string out of bounds');
      s = b.latin1Slice(p + 5, p + 5 + len);
      p += 5 + len;
    } else if (c === 0xf1) {
      if (p + 3 > last) throw new FormatError('listpack int out of bounds');
      s = String(b.readInt16LE(p + 1));
      p += 3;
    } else if (c === 0xf2) {
      if (p + 4 > last) throw new FormatError('listpack int out of bounds');
      s = String(b.readIntLE(p + 1, 3));
      p += 4;
    } else if (c === 0xf3) {
      if (p + 5 > last) throw new FormatError('listpack int out of bounds');
      s = String(b.readInt32LE(p + 1));
      p += 5;
    } else if (c === 0xf4) {
      if (p + 9 > last) throw new FormatError('listpack int out of bounds');
      s = intToString(readI64LE(buf, p + 1));
      p += 9;
    } else {
      throw new FormatError(`invalid listpack encoding byte 0x${c.toString(16)}`);
    }
    const entrySize = p - e;
    const bl = backlenSize(entrySize);
    if (p + bl > last) throw new FormatError('listpack backlen out of bounds');
    if (decodeBacklen(buf, p + bl - 1, p) !== entrySize) throw new FormatError('listpack backlen mismatch');
    p += bl;
    out.push(s);
  }
  if (p !== last) throw new FormatError('listpack entries overrun the terminator');
  if (count !== 65535 && count !== out.length) {
    throw new FormatError(`listpack header count ${count} but ${out.length} entries`);
  }
  return out;
}

/** Estimated bytes an element adds to a quicklist node (quicklist.c _quicklistNodeAllowInsert's overestimate). */
export function listpackElementOverhead(len: number): number {
  return len + (len < 254 ? 1 : 5) + (len < 64 ? 1 : len < 16384 ? 2 : 5);
}
