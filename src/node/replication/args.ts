/**
 * Integer arguments as Redis parses them (util.c string2ll): optional '-', no '+', no leading zeros, no spaces,
 * within int64. Returns null where Redis replies `value is not an integer or out of range`. Values beyond 2^53 are
 * approximated, which only matters for offsets no real stream reaches.
 */
const INT = /^(?:0|-?[1-9][0-9]*)$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

export function parseLongLong(s: string): number | null {
  if (s.length === 0 || s.length > 20 || !INT.test(s)) return null;
  if (s.length < 16) return Number(s);
  const b = BigInt(s);
  if (b > INT64_MAX || b < INT64_MIN) return null;
  return Number(b);
}
