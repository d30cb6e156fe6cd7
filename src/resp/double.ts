/**
 * Redis 7.0's reply formatting for doubles (networking.c addReplyDouble → `%.17g`, with `inf`/`-inf` spelled out;
 * NaN prints as glibc does, `nan`). %.17g prints integral values without a decimal point (`3`, `-2`) and otherwise
 * up to 17 significant digits without trailing zeros (`0.10000000000000001`, `1.5`), switching to exponent notation
 * (`1e+17`, `2.9802322387695312e-08`) when the exponent is < -4 or >= 17.
 *
 * glibc rounds the exact binary value to nearest, ties to even; JavaScript's toExponential/toFixed round ties away
 * from zero, which differs whenever the exact decimal expansion ends exactly half-way (2^-25 = 2.98023223876953125e-8
 * prints as ...312e-08 in Redis, not ...313). Such ties are detected and settled on the exact value.
 */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  // integers below 2^53 print exactly in both, and this is the common case (scores, counters)
  if (Number.isInteger(d) && d < 9007199254740992 && d > -9007199254740992) return String(d);
  return formatG(d, 17);
}

/** printf("%.{p}g", d) for finite, non-zero d (1 <= p <= 99). */
export function formatG(d: number, p: number): string {
  const neg = d < 0;
  const [digits, x] = roundSignificant(neg ? -d : d, p);
  let body: string;
  if (x < -4 || x >= p) {
    const frac = stripTrailingZeros(digits.slice(1));
    const ax = Math.abs(x);
    body = `${digits[0]}${frac === '' ? '' : '.' + frac}e${x < 0 ? '-' : '+'}${ax < 10 ? '0' : ''}${ax}`;
  } else if (x >= 0) {
    const frac = stripTrailingZeros(digits.slice(x + 1));
    body = digits.slice(0, x + 1) + (frac === '' ? '' : '.' + frac);
  } else {
    body = '0.' + '0'.repeat(-x - 1) + stripTrailingZeros(digits);
  }
  return neg ? '-' + body : body;
}

/**
 * |d| rounded to p significant digits, half to even on the exact value: [p digits, decimal exponent of the first].
 * toExponential(p) gives p+1 correctly rounded digits; unless the extra digit is a 5, rounding those at digit p
 * gives the same result as rounding the exact value (a 0-4 extra digit stands for less than half, 6-9 for more).
 */
function roundSignificant(a: number, p: number): [string, number] {
  const e = a.toExponential(p);
  const at = e.indexOf('e');
  const all = e[0]! + e.slice(2, at); // p+1 digits
  let x = Number(e.slice(at + 1));
  const extra = all.charCodeAt(p) - 48;
  let roundUp: boolean;
  if (extra !== 5) {
    roundUp = extra > 5;
  } else {
    // the extra 5 is either exact or a rounded-up 4: look at the exact digits from position p on (a carry into
    // the first p digits is impossible here, so those agree with toExponential's)
    const exact = exactDecimal(a);
    const next = exact.charCodeAt(p) - 48;
    const rest = /[1-9]/.test(exact.slice(p + 1));
    roundUp = next > 5 || (next === 5 && (rest || (all.charCodeAt(p - 1) - 48) % 2 === 1));
  }
  let digits = all.slice(0, p);
  if (roundUp) {
    const inc = incrementDigits(digits);
    if (inc.length > p) {
      digits = inc.slice(0, p);
      x++;
    } else {
      digits = inc;
    }
  }
  return [digits, x];
}

/** The exact decimal digits of a positive finite double (no leading zeros; the decimal point is not needed). */
function exactDecimal(a: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) {
    e2 = -1074;
  } else {
    m |= 1n << 52n;
    e2 = biased - 1075;
  }
  // a = m * 2^e2 = m * 5^-e2 / 10^-e2 when e2 < 0, so the digits of m * 5^-e2 are a's digits
  const n = e2 >= 0 ? m << BigInt(e2) : m * 5n ** BigInt(-e2);
  return n.toString();
}

function incrementDigits(s: string): string {
  let i = s.length - 1;
  while (i >= 0 && s[i] === '9') i--;
  if (i < 0) return '1' + '0'.repeat(s.length);
  return s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) + 1) + '0'.repeat(s.length - 1 - i);
}

function stripTrailingZeros(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  return s.slice(0, end);
}
