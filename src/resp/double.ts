/**
 * Redis 7.0's reply formatting for doubles (addReplyDouble → `%.17g`, with `inf`/`-inf`; nan is `nan`).
 * %.17g prints integral values without a decimal point (`3`, `-2`) and otherwise 17 significant digits
 * (`0.10000000000000001`), switching to exponent notation when the exponent is < -4 or >= 17.
 */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  return formatG(d, 17);
}

/** printf("%.{p}g", d) for finite, non-zero d. */
export function formatG(d: number, p: number): string {
  const exp = Math.floor(Math.log10(Math.abs(d)));
  // toExponential gives exactly p significant digits, correctly rounded; read the exponent back from it because
  // rounding can carry into the next power of ten (9.99…e2 → 1.00…e3).
  const e = d.toExponential(p - 1);
  const x = Number(e.slice(e.indexOf('e') + 1));
  void exp;
  if (x < -4 || x >= p) {
    let [mant, ex] = e.split('e') as [string, string];
    mant = stripZeros(mant);
    const sign = ex[0] === '-' ? '-' : '+';
    const digits = ex.replace(/^[+-]/, '');
    return `${mant}e${sign}${digits.length < 2 ? '0' + digits : digits}`;
  }
  return stripZeros(d.toFixed(Math.max(0, p - 1 - x)));
}

function stripZeros(s: string): string {
  if (s.indexOf('.') === -1) return s;
  s = s.replace(/0+$/, '');
  return s.endsWith('.') ? s.slice(0, -1) : s;
}
