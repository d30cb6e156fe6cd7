/**
 * INCRBYFLOAT / HINCRBYFLOAT arithmetic as Redis 7.0 does it on x86-64: both operands parsed with strtold into
 * 80-bit long doubles (64-bit mantissa), added in long double, and printed with ld2string(LD_STR_HUMAN), i.e.
 * `%.17Lf` with trailing zeros (and a trailing '.') removed and "-0" turned into "0".
 *
 * JS doubles would print `10.5 + 0.1` as 10.59999999999999964; long double prints 10.6. Clients compare these
 * strings, so the arithmetic is emulated exactly with BigInt: a value is sign × m × 2^e with m < 2^64.
 */

const MANT_BITS = 64;
const MAX_EXP = 16384; // values ≥ 2^16384 overflow the long double range
const MIN_EXP = -16382 - 63; // below the smallest normal's lsb we flush to zero (subnormals are not modelled)
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

export type LongDouble =
  | { readonly kind: 'finite'; readonly neg: boolean; readonly m: bigint; readonly e: number }
  | { readonly kind: 'inf'; readonly neg: boolean };

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** Round x·2^e to a 64-bit mantissa, half to even. */
function normalize(neg: boolean, x: bigint, e: number): LongDouble {
  if (x === 0n) return { kind: 'finite', neg, m: 0n, e: 0 };
  const bits = bitLength(x);
  if (bits > MANT_BITS) {
    const shift = bits - MANT_BITS;
    let q = x >> BigInt(shift);
    const r = x - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
    x = q;
    e += shift;
    if (bitLength(x) > MANT_BITS) {
      x >>= 1n;
      e++;
    }
  }
  if (e + bitLength(x) > MAX_EXP) return { kind: 'inf', neg };
  if (e < MIN_EXP) return { kind: 'finite', neg, m: 0n, e: 0 };
  return { kind: 'finite', neg, m: x, e };
}

/** Exact rational num/den (den > 0) rounded to a long double. */
function fromRational(neg: boolean, num: bigint, den: bigint): LongDouble {
  if (num === 0n) return { kind: 'finite', neg, m: 0n, e: 0 };
  // choose e so that num / den / 2^e has 66+ bits, then round via normalize on the integer quotient with a
  // sticky bit for the remainder
  let e = bitLength(num) - bitLength(den) - (MANT_BITS + 2);
  const n2 = e < 0 ? num << BigInt(-e) : num;
  const d2 = e > 0 ? den << BigInt(e) : den;
  let q = n2 / d2;
  const r = n2 - q * d2;
  q = (q << 1n) | (r !== 0n ? 1n : 0n); // sticky bit
  e -= 1;
  return normalize(neg, q, e);
}

const DEC_RE = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/;

/**
 * util.c string2ld / object.c getLongDoubleFromObject: strtold over the whole string, no leading space,
 * no NaN, no overflow; "inf"/"infinity" are accepted (and later rejected by the NaN-or-Infinity check).
 */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_LONG_DOUBLE_CHARS) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || (c0 >= 9 && c0 <= 13)) return null;
  const inf = /^([+-]?)(?:inf|infinity)$/i.exec(s);
  if (inf !== null) return { kind: 'inf', neg: inf[1] === '-' };
  const d = DEC_RE.exec(s);
  if (d !== null) {
    const [, sign, ip = '', fp = '', ex] = d;
    if (ip === '' && fp === '') return null;
    const neg = sign === '-';
    const digits = (ip + fp).replace(/^0+/, '');
    if (digits === '') return { kind: 'finite', neg, m: 0n, e: 0 };
    let exp10 = (ex === undefined ? 0 : Number(ex)) - fp.length;
    if (!Number.isFinite(exp10) || Math.abs(exp10) > 20000) {
      // far outside the long double range: overflow → ERANGE reject, underflow → zero with ERANGE reject
      return null;
    }
    const mant = BigInt(digits);
    // values certainly beyond the range: don't build huge BigInts
    if (digits.length + exp10 > 4934) return null;
    if (digits.length + exp10 < -4952) return null;
    const r = exp10 >= 0 ? normalize(neg, mant * 10n ** BigInt(exp10), 0) : fromRational(neg, mant, 10n ** BigInt(-exp10));
    if (r.kind === 'inf') return null;
    if (r.m === 0n) return null; // underflow of a non-zero input: ERANGE with value 0
    return r;
  }
  const h = HEX_RE.exec(s);
  if (h !== null) {
    const [, sign, ip = '', fp = '', ex] = h;
    if (ip === '' && fp === '') return null;
    const neg = sign === '-';
    const mant = BigInt('0x' + (ip + fp || '0'));
    const r = normalize(neg, mant, (ex === undefined ? 0 : Number(ex)) - 4 * fp.length);
    if (r.kind === 'inf') return null;
    if (r.m === 0n && mant !== 0n) return null;
    return r;
  }
  return null;
}

/** Long double from a 64-bit integer (values stored with the int encoding). */
export function longDoubleFromInt(v: bigint): LongDouble {
  return normalize(v < 0n, v < 0n ? -v : v, 0);
}

/** a + b in long double; null for NaN (inf + -inf). */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.neg !== b.neg) return null;
    return a.kind === 'inf' ? a : b;
  }
  if (a.m === 0n) return b.m === 0n ? { kind: 'finite', neg: a.neg && b.neg, m: 0n, e: 0 } : b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const av = (a.neg ? -a.m : a.m) << BigInt(a.e - e);
  const bv = (b.neg ? -b.m : b.m) << BigInt(b.e - e);
  const sum = av + bv;
  // exact zero sum is +0 in round-to-nearest
  return normalize(sum < 0n, sum < 0n ? -sum : sum, e);
}

export function isFiniteLongDouble(v: LongDouble): boolean {
  return v.kind === 'finite';
}

/** ld2string(LD_STR_HUMAN): `%.17Lf`, trailing zeros and '.' stripped, "-0" → "0". */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.kind === 'inf') return v.neg ? '-inf' : 'inf';
  const SCALE = 10n ** 17n;
  let q: bigint;
  if (v.e >= 0) {
    q = (v.m << BigInt(v.e)) * SCALE;
  } else {
    const num = v.m * SCALE;
    const sh = BigInt(-v.e);
    q = num >> sh;
    const r = num - (q << sh);
    const half = 1n << (sh - 1n);
    if (r > half || (r === half && (q & 1n) === 1n)) q++;
  }
  let digits = q.toString().padStart(18, '0');
  const intPart = digits.slice(0, digits.length - 17);
  let frac = digits.slice(digits.length - 17).replace(/0+$/, '');
  digits = frac === '' ? intPart : `${intPart}.${frac}`;
  frac = '';
  if (v.neg && digits !== '0') return '-' + digits;
  return digits;
}
