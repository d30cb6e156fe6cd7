/**
 * Argument parsing with Redis's exact acceptance rules:
 *   - integers as util.c string2ll (no sign '+', no leading zeros, no spaces, no "-0", int64 range);
 *   - doubles as object.c getDoubleFromObject (strtod, whole string consumed, no leading space, no NaN,
 *     overflow/total underflow rejected) and as zslParseRange's bare strtod.
 */

import { parseInt64 } from '../keyspace/int64.js';

export { parseInt64, parseInt64Exact, fitsInt64, LLONG_MAX, LLONG_MIN } from '../keyspace/int64.js';

function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const DEC_RE = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_RE = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?[0-9]+))?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;
const NAN_RE = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?$/i;

export interface StrtodResult {
  readonly value: number;
  /** strtod would have set ERANGE (overflow to ±inf, or a non-zero input rounding to zero). */
  readonly erange: boolean;
}

/**
 * glibc strtod over the whole string: null when the string is not entirely one number (after optional leading
 * white space, which the callers decide about). NaN inputs give NaN.
 */
export function strtod(s: string): StrtodResult | null {
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  const t = i === 0 ? s : s.slice(i);
  if (DEC_RE.test(t)) {
    const v = Number(t);
    if (!Number.isFinite(v)) return { value: v, erange: true };
    if (v === 0 && /[1-9]/.test(t.replace(/[eE].*$/, ''))) return { value: v, erange: true };
    return { value: v, erange: false };
  }
  if (INF_RE.test(t)) return { value: t[0] === '-' ? -Infinity : Infinity, erange: false };
  if (NAN_RE.test(t)) return { value: NaN, erange: false };
  const h = HEX_RE.exec(t);
  if (h !== null) {
    const [, sign, digits, exp] = h;
    const dot = digits!.indexOf('.');
    const intDigits = dot < 0 ? digits! : digits!.slice(0, dot) + digits!.slice(dot + 1);
    const fracLen = dot < 0 ? 0 : digits!.length - dot - 1;
    const mant = intDigits === '' ? 0 : parseInt(intDigits.slice(0, 14) || '0', 16) * 2 ** (4 * Math.max(0, intDigits.length - 14));
    const v = mant * 2 ** (Number(exp ?? '0') - 4 * fracLen);
    const signed = sign === '-' ? -v : v;
    return { value: signed, erange: !Number.isFinite(v) };
  }
  // strtod of "" or of a non-number consumes nothing; reported to the bare-strtod callers as 0 with nothing left
  if (t === '') return s === '' ? { value: 0, erange: false } : null;
  return null;
}

/**
 * `[+-]?[0-9]{1,15}` (leading zeros allowed, as strtod allows them) as a number, else null. At most 15 digits, so
 * the value is below 2^53 and exactly what strtod gives; "-0" and "-000" are -0 as with strtod.
 */
function smallDecimal(s: string): number | null {
  let i = 0;
  const c0 = s.charCodeAt(0);
  const neg = c0 === 45; // '-'
  if (neg || c0 === 43) i = 1; // '+'
  const digits = s.length - i;
  if (digits === 0 || digits > 15) return null;
  let v = 0;
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** getDoubleFromObject: ZADD scores, ZINCRBY increments, weights… */
export function parseDouble(s: string): number | null {
  if (s.length === 0 || isCSpace(s.charCodeAt(0))) return null;
  if (s.length <= 16) {
    // a plain decimal integer (ZADD's usual score; redis-benchmark zero-pads it) is exact as a double: skip the
    // regex-based strtod
    const n = smallDecimal(s);
    if (n !== null) return n;
  }
  const r = strtod(s);
  if (r === null || Number.isNaN(r.value)) return null;
  if (r.erange && (r.value === Infinity || r.value === -Infinity || r.value === 0)) return null;
  return r.value;
}

/** The bare `strtod(s, &eptr); if (eptr[0] != '\0' || isnan(v))` check of zslParseRange and friends: leading
 *  white space and the empty string (0) are accepted, overflow gives ±inf. */
export function parseLooseDouble(s: string): number | null {
  const r = strtod(s);
  if (r === null || Number.isNaN(r.value)) return null;
  return r.value;
}

/**
 * getPositiveLongFromObjectOrReply: a non-negative long; the one message covers both a non-integer and a negative
 * value (Redis passes it to the parse and to the range check alike). Returns the number or the error text.
 */
export function parseNonNegative(s: string, msg: string): number | string {
  const v = parseInt64(s);
  return v === null || v < 0 ? msg : v;
}

/** Integer reply helper: Redis replies integers in decimal; bigint keeps exactness past 2^53. */
export function int64ToString(v: number | bigint): string {
  return typeof v === 'bigint' ? v.toString() : String(v);
}

/** Case-insensitive ASCII keyword compare (strcasecmp on option names). */
export function isKeyword(arg: string, upper: string): boolean {
  return arg.length === upper.length && arg.toUpperCase() === upper;
}
