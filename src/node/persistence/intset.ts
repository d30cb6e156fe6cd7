/**
 * Intset (src/intset.c): a sorted array of distinct integers, all stored with the width of the widest.
 *   <encoding u32 LE: 2, 4 or 8> <length u32 LE> <length × signed LE integers, ascending>
 * Redis 7.0 keeps a set as an intset while every member is a canonical integer and there are at most
 * set-max-intset-entries of them, and writes it to RDB as type SET_INTSET with the blob as one string.
 */
import { FormatError } from './listpack.js';
import { intToString, parseStrictInt, readI64LE, writeI64LE } from './int-string.js';

/** The members as integers when the set qualifies for an intset, else null. */
export function intsetMembers(members: Iterable<string>, size: number, maxEntries: number): (number | bigint)[] | null {
  if (size === 0 || size > maxEntries) return null;
  const out: (number | bigint)[] = [];
  for (const m of members) {
    const v = parseStrictInt(m);
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

function compare(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function encodeIntset(values: (number | bigint)[]): Buffer {
  const sorted = values.slice().sort(compare);
  let width = 2;
  for (const v of sorted) {
    if (typeof v === 'bigint' || v < -2147483648 || v > 2147483647) {
      width = 8;
      break;
    }
    if (v < -32768 || v > 32767) width = 4;
  }
  const buf = Buffer.allocUnsafe(8 + width * sorted.length);
  buf.writeUInt32LE(width, 0);
  buf.writeUInt32LE(sorted.length, 4);
  let p = 8;
  for (const v of sorted) {
    if (width === 2) buf.writeInt16LE(v as number, p);
    else if (width === 4) buf.writeInt32LE(v as number, p);
    else writeI64LE(buf, v, p);
    p += width;
  }
  return buf;
}

/** Decode and validate (intsetValidateIntegrity with deep checks: size, ascending, no duplicates). */
export function decodeIntset(buf: Uint8Array, start = 0, end = buf.length): string[] {
  const size = end - start;
  if (size < 8) throw new FormatError('intset shorter than its header');
  const b = buf as Buffer;
  const width = b.readUInt32LE(start);
  if (width !== 2 && width !== 4 && width !== 8) throw new FormatError(`invalid intset encoding ${width}`);
  const count = b.readUInt32LE(start + 4);
  if (8 + count * width !== size) throw new FormatError('intset length does not match its blob');
  if (count === 0) throw new FormatError('empty intset');
  const out: string[] = new Array(count);
  let prev: number | bigint | null = null;
  let p = start + 8;
  for (let i = 0; i < count; i++) {
    const v: number | bigint = width === 2 ? b.readInt16LE(p) : width === 4 ? b.readInt32LE(p) : readI64LE(buf, p);
    if (prev !== null && !(prev < v)) throw new FormatError('intset not strictly ascending');
    prev = v;
    out[i] = intToString(v);
    p += width;
  }
  return out;
}
