/** Byte-level helpers shared by the request parser and the reply decoder. */

/**
 * Redis's string2ll (util.c) over buf[start, end): optional '-', then a digit 1-9 followed by digits, or a lone
 * "0"; no '+', no leading zeros, no "-0", fewer than 21 chars, within long long. Magnitudes beyond 2^53 come back
 * rounded, which only matters for comparisons against limits far below them.
 */
export function string2ll(buf: Uint8Array, start: number, end: number): number | null {
  const slen = end - start;
  if (slen <= 0 || slen >= 21) return null;
  if (slen === 1 && buf[start] === 0x30) return 0;
  let i = start;
  const neg = buf[i] === 0x2d;
  if (neg) i++;
  if (i >= end) return null;
  const first = buf[i]!;
  if (first < 0x31 || first > 0x39) return null;
  let n = 0;
  for (let j = i; j < end; j++) {
    const c = buf[j]!;
    if (c < 0x30 || c > 0x39) return null;
    n = n * 10 + (c - 48);
  }
  const digits = end - i;
  if (digits > 19) return null;
  if (digits === 19) {
    // compare with LLONG_MAX / |LLONG_MIN| digit by digit: the double in n is not exact here
    const bound = neg ? '9223372036854775808' : '9223372036854775807';
    for (let k = 0; k < 19; k++) {
      const d = buf[i + k]! - 48 - (bound.charCodeAt(k) - 48);
      if (d < 0) break;
      if (d > 0) return null;
    }
  }
  return neg ? -n : n;
}

/** buf[s, s+n) as a byte string for n <= 8: for such short strings this beats the native latin1Slice call. */
export function shortString(b: Buffer, s: number, n: number): string {
  switch (n) {
    case 0:
      return '';
    case 1:
      return String.fromCharCode(b[s]!);
    case 2:
      return String.fromCharCode(b[s]!, b[s + 1]!);
    case 3:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    default:
      return String.fromCharCode(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
  }
}
