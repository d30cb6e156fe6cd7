/**
 * Redis's strict integer recognition (util.c string2ll, listpack.c lpStringToInt64): optional '-', then digits with
 * no leading zero (except "0" itself), no spaces, no '+', within int64. Only strings that pass round-trip exactly
 * through their integer form, which is why Redis may store them as integers in RDB strings, listpacks and intsets.
 *
 * Values beyond ±2^53 are returned as bigint so nothing is rounded.
 */
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

export function parseStrictInt(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 0x2d /* - */) {
    if (n === 1) return null;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 0x30 /* 0 */) return n === 1 ? 0 : null; // "0" only; "-0" and "01" are strings
  if (first < 0x31 || first > 0x39) return null;
  for (let k = i + 1; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return null;
  }
  if (n - i <= 15) return Number(s);
  const b = BigInt(s);
  if (b < MIN_I64 || b > MAX_I64) return null;
  return Number.isSafeInteger(Number(b)) ? Number(b) : b;
}

/** Decimal text of an integer read from a binary encoding (ll2string). */
export function intToString(v: number | bigint): string {
  return typeof v === 'bigint' ? v.toString() : String(v);
}

/** Read a signed little-endian 64-bit integer as a number when safe, else as bigint. */
export function readI64LE(buf: Uint8Array, at: number): number | bigint {
  const lo = (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
  const hi = buf[at + 4]! | (buf[at + 5]! << 8) | (buf[at + 6]! << 16) | (buf[at + 7]! << 24); // signed
  const v = hi * 4294967296 + lo;
  if (Number.isSafeInteger(v)) return v;
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** Write a signed 64-bit integer little-endian. */
export function writeI64LE(buf: Buffer, v: number | bigint, at: number): void {
  if (typeof v === 'bigint') {
    buf.writeBigInt64LE(v, at);
  } else {
    const lo = v % 4294967296;
    const hi = Math.floor(v / 4294967296);
    buf.writeUInt32LE(lo < 0 ? lo + 4294967296 : lo, at);
    buf.writeInt32LE(hi, at + 4); // floor division already borrowed for a negative low word
  }
}
