/**
 * util.c string2ll: the one integer syntax Redis accepts everywhere (arguments, INCR values, intset members,
 * the int string encoding): optional '-', no '+', no leading zeros, no spaces, no "-0", within int64.
 */
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * string2ll. Returns the value as a number (exact up to 2^53, nearest double beyond — callers that need exact
 * 64-bit values use parseInt64Exact), or null when Redis would reject it.
 */
export function parseInt64(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  if (n <= 15) {
    let i = 0;
    let neg = false;
    let c = s.charCodeAt(0);
    if (n === 1 && c === 48) return 0;
    if (c === 45) {
      neg = true;
      i = 1;
      if (n === 1) return null;
      c = s.charCodeAt(1);
    }
    if (c < 49 || c > 57) return null; // first digit 1-9
    let v = 0;
    for (; i < n; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      v = v * 10 + (c - 48);
    }
    return neg ? -v : v;
  }
  const b = parseInt64Exact(s);
  return b === null ? null : Number(b);
}

/** string2ll with the exact 64-bit value. */
export function parseInt64Exact(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return null;
  const b = BigInt(s);
  if (b < INT64_MIN || b > INT64_MAX) return null;
  return b;
}

export function fitsInt64(b: bigint): boolean {
  return b >= INT64_MIN && b <= INT64_MAX;
}

export const LLONG_MAX = INT64_MAX;
export const LLONG_MIN = INT64_MIN;
