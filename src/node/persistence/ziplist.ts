/**
 * Read-only decoders for the encodings older Redis versions wrote and Redis 7.0 still loads (and converts):
 * ziplist (src/ziplist.c; RDB types LIST_ZIPLIST, ZSET_ZIPLIST, HASH_ZIPLIST, quicklist v1 nodes) and zipmap
 * (src/zipmap.c; HASH_ZIPMAP from Redis ≤ 2.4). We never write them.
 */
import { FormatError } from './listpack.js';
import { intToString, readI64LE } from './int-string.js';

/**
 * Ziplist: <zlbytes u32 LE> <zltail u32 LE> <zllen u16 LE> <entry>* <0xFF>
 * entry = <prevlen: 1 byte < 254, or 0xFE + u32 LE> <encoding> <data>
 *   00pppppp                string, 6-bit length
 *   01pppppp qqqqqqqq       string, 14-bit big-endian length
 *   10000000 + u32 BE       string, 32-bit length
 *   0xC0 int16, 0xD0 int32, 0xE0 int64, 0xF0 int24, 0xFE int8 (little-endian, signed)
 *   0xF1..0xFD              immediate 0..12 (low nibble - 1)
 */
export function decodeZiplist(buf: Uint8Array, start = 0, end = buf.length): string[] {
  const size = end - start;
  const b = buf as Buffer;
  if (size < 11) throw new FormatError('ziplist shorter than its header');
  const zlbytes = b.readUInt32LE(start);
  if (zlbytes !== size) throw new FormatError(`ziplist header says ${zlbytes} bytes, blob has ${size}`);
  const zltail = b.readUInt32LE(start + 4);
  if (zltail > size - 1) throw new FormatError('ziplist tail offset out of range');
  if (buf[end - 1] !== 0xff) throw new FormatError('ziplist not terminated');
  const count = b.readUInt16LE(start + 8);
  const out: string[] = [];
  let p = start + 10;
  const last = end - 1;
  let prevEntrySize = 0;
  let lastEntryStart = -1;
  while (p < last) {
    const e = p;
    let prevlen: number;
    if (buf[p]! < 254) {
      prevlen = buf[p]!;
      p += 1;
    } else {
      if (buf[p] !== 254 || p + 5 > last) throw new FormatError('bad ziplist prevlen');
      prevlen = b.readUInt32LE(p + 1);
      p += 5;
    }
    if (prevlen !== prevEntrySize) throw new FormatError('ziplist prevlen mismatch');
    if (p >= last) throw new FormatError('ziplist entry out of bounds');
    const c = buf[p]!;
    const kind = c >>> 6;
    let s: string;
    if (kind === 0) {
      const len = c & 0x3f;
      if (p + 1 + len > last) throw new FormatError('ziplist string out of bounds');
      s = b.latin1Slice(p + 1, p + 1 + len);
      p += 1 + len;
    } else if (kind === 1) {
      if (p + 2 > last) throw new FormatError('ziplist string out of bounds');
      const len = ((c & 0x3f) << 8) | buf[p + 1]!;
      if (p + 2 + len > last) throw new FormatError('ziplist string out of bounds');
      s = b.latin1Slice(p + 2, p + 2 + len);
      p += 2 + len;
    } else if (c === 0x80) {
      if (p + 5 > last) throw new FormatError('ziplist string out of bounds');
      const len = b.readUInt32BE(p + 1);
      if (p + 5 + len > last) throw new FormatError('ziplist string out of bounds');
      s = b.latin1Slice(p + 5, p + 5 + len);
      p += 5 + len;
    } else {
      const need = c === 0xc0 ? 2 : c === 0xd0 ? 4 : c === 0xe0 ? 8 : c === 0xf0 ? 3 : c === 0xfe ? 1 : 0;
      if (p + 1 + need > last) throw new FormatError('ziplist int out of bounds');
      if (c === 0xc0) s = String(b.readInt16LE(p + 1));
      else if (c === 0xd0) s = String(b.readInt32LE(p + 1));
      else if (c === 0xe0) s = intToString(readI64LE(buf, p + 1));
      else if (c === 0xf0) s = String(b.readIntLE(p + 1, 3));
      else if (c === 0xfe) s = String(b.readInt8(p + 1));
      else if (c >= 0xf1 && c <= 0xfd) s = String((c & 0x0f) - 1);
      else throw new FormatError(`invalid ziplist encoding byte 0x${c.toString(16)}`);
      p += 1 + need;
    }
    prevEntrySize = p - e;
    lastEntryStart = e;
    out.push(s);
  }
  if (p !== last) throw new FormatError('ziplist entries overrun the terminator');
  if (out.length > 0 && lastEntryStart - start !== zltail) throw new FormatError('ziplist tail offset mismatch');
  if (count !== 65535 && count !== out.length) throw new FormatError(`ziplist header count ${count} but ${out.length} entries`);
  return out;
}

/**
 * Zipmap: <zmlen u8> (<len> key <len> <free u8> value <free bytes>)* <0xFF>; len is 1 byte < 254 or 0xFE + u32.
 * Returns field, value, field, value, …
 */
export function decodeZipmap(buf: Uint8Array, start = 0, end = buf.length): string[] {
  const size = end - start;
  const b = buf as Buffer;
  if (size < 2 || buf[end - 1] !== 0xff) throw new FormatError('zipmap not terminated');
  const out: string[] = [];
  let p = start + 1;
  const last = end - 1;
  const readLen = (): number => {
    if (p > last) throw new FormatError('zipmap entry out of bounds');
    const c = buf[p]!;
    if (c < 254) {
      p += 1;
      return c;
    }
    if (c !== 254 || p + 5 > last) throw new FormatError('bad zipmap length');
    const l = b.readUInt32LE(p + 1);
    p += 5;
    return l;
  };
  while (p < last && buf[p] !== 0xff) {
    const klen = readLen();
    if (p + klen > last) throw new FormatError('zipmap key out of bounds');
    const key = b.latin1Slice(p, p + klen);
    p += klen;
    const vlen = readLen();
    if (p >= last) throw new FormatError('zipmap value out of bounds');
    const free = buf[p++]!;
    if (p + vlen + free > last) throw new FormatError('zipmap value out of bounds');
    out.push(key, b.latin1Slice(p, p + vlen));
    p += vlen + free;
  }
  if (p !== last) throw new FormatError('zipmap entries overrun the terminator');
  if (out.length === 0) throw new FormatError('empty zipmap');
  const zmlen = buf[start]!;
  if (zmlen < 254 && zmlen !== out.length / 2) throw new FormatError('zipmap count mismatch');
  return out;
}
