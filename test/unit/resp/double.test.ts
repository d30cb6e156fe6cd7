import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/common/random.js';
import { formatDouble } from '../../../src/resp/index.js';

/**
 * Oracle: printf("%.17g") from first principles. The double's exact value as a fraction of BigInts, digits by long
 * division, rounded half-to-even (glibc's default rounding), then %g's style rules. Slow and obviously correct.
 */
function referenceG17(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const neg = d < 0;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(d));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = biased === 0 ? frac : frac | (1n << 52n);
  const e2 = biased === 0 ? -1074 : biased - 1075;
  // value = num / den exactly
  const num = e2 >= 0 ? mant << BigInt(e2) : mant;
  const den = e2 >= 0 ? 1n : 1n << BigInt(-e2);
  // decimal exponent x with 10^x <= value < 10^(x+1)
  let x = num.toString().length - den.toString().length;
  const pow = (k: number): bigint => 10n ** BigInt(k);
  const atLeast = (k: number): boolean => (k >= 0 ? num >= den * pow(k) : num * pow(-k) >= den);
  while (!atLeast(x)) x--;
  while (atLeast(x + 1)) x++;
  // 17 significant digits: scaled = value * 10^(16 - x), rounded half to even
  const s = 16 - x;
  const n = s >= 0 ? num * pow(s) : num;
  const m = s >= 0 ? den : den * pow(-s);
  let q = n / m;
  const r2 = (n % m) * 2n;
  if (r2 > m || (r2 === m && q % 2n === 1n)) q++;
  if (q.toString().length > 17) {
    q /= 10n;
    x++;
  }
  const digits = q.toString();
  let out: string;
  if (x < -4 || x >= 17) {
    const tail = digits.slice(1).replace(/0+$/, '');
    out = `${digits[0]}${tail ? '.' + tail : ''}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  } else if (x >= 0) {
    const tail = digits.slice(x + 1).replace(/0+$/, '');
    out = digits.slice(0, x + 1) + (tail ? '.' + tail : '');
  } else {
    out = '0.' + '0'.repeat(-x - 1) + digits.replace(/0+$/, '');
  }
  return neg ? '-' + out : out;
}

describe('formatDouble (%.17g as Redis 7.0 prints scores)', () => {
  // outputs read back from redis-server 7.0.15 with ZADD + ZSCORE (see test/integration/resp-double.test.ts)
  it.each([
    [0.1, '0.10000000000000001'],
    [1.5, '1.5'],
    [-2.5, '-2.5'],
    [3, '3'],
    [0, '0'],
    [-0, '-0'],
    [1e17, '1e+17'],
    [1e16 + 2, '10000000000000002'],
    [123.456, '123.456'],
    [1e-5, '1.0000000000000001e-05'],
    [0.0001, '0.0001'],
    [5e-324, '4.9406564584124654e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [2 ** 60, '1.152921504606847e+18'],
    [2 ** 56, '72057594037927936'],
    [1 / 3, '0.33333333333333331'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    // exact ties: glibc rounds half to even, JavaScript's toExponential/toFixed would round up
    [2 ** -25, '2.9802322387695312e-08'],
    [1234567890123456.25, '1234567890123456.2'],
  ])('%d → %s', (d, text) => {
    expect(formatDouble(d)).toBe(text);
    expect(referenceG17(d)).toBe(text);
  });

  it('agrees with the exact-arithmetic oracle on random doubles (seeded)', () => {
    const seed = 4242;
    const r = seededRandom(seed);
    const view = new DataView(new ArrayBuffer(8));
    for (let i = 0; i < 20000; i++) {
      let d: number;
      switch (i % 4) {
        case 0:
          view.setUint32(0, Math.floor(r.next() * 2 ** 32));
          view.setUint32(4, Math.floor(r.next() * 2 ** 32));
          d = view.getFloat64(0);
          break;
        case 1:
          d = (r.int(2_000_001) - 1_000_000) / [1, 2, 4, 8, 10, 100, 1000, 3, 2 ** 25][r.int(9)]!;
          break;
        case 2:
          // many short binary fractions: the values that land exactly on a tie
          d = r.int(2 ** 30) / 2 ** r.int(80);
          break;
        default:
          d = (r.next() - 0.5) * 10 ** (r.int(60) - 30);
      }
      if (!Number.isFinite(d)) continue;
      expect(formatDouble(d), `seed ${seed} #${i}: ${d}`).toBe(referenceG17(d));
    }
  });
});
