/**
 * Redis's strict integer parsing (util.c string2ll / getLongLongFromObject): optional '-', no '+', no leading
 * zeros, no spaces, within the signed 64-bit range. Returns null when Redis would reply "value is not an integer
 * or out of range" (or the command's own "Invalid ..." text).
 */
const INT = /^-?(0|[1-9][0-9]*)$/;
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

export function parseLongLong(s: string): number | null {
  if (s.length === 0 || s.length > 20 || !INT.test(s)) return null;
  const b = BigInt(s);
  if (b < MIN || b > MAX) return null;
  return Number(b);
}

/** yesnotoi: "yes"/"no" case-insensitively, else null. */
export function parseYesNo(s: string): boolean | null {
  const l = s.toLowerCase();
  return l === 'yes' ? true : l === 'no' ? false : null;
}
