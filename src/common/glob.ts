/**
 * Redis glob matching (util.c `stringmatchlen`), used by PSUBSCRIBE, KEYS/SCAN MATCH, CONFIG GET, SENTINEL RESET.
 *
 * Semantics mirrored exactly, quirks included, because clients depend on them (node-redis subscribes to
 * `[-+]sdown`, and a pattern must select the same channels on tsentinel as on redis-sentinel):
 * - `*` any run of bytes, `?` one byte, `\x` the literal byte x.
 * - `[abc]`, `[a-z]` (reversed ranges like `[z-a]` are swapped), `[^...]` negation, `\]` escapes inside a class.
 * - An unterminated class (`[abc`) uses the rest of the pattern as its members.
 * - `[a-]` is a range from `a` to `]` (the `-` check looks two bytes ahead), so that class ends at the next `]`.
 * - An empty string matches only the empty pattern: `*` does not match `""` (the C loop never runs).
 * - `nocase` folds ASCII letters only (C locale `tolower`); a `\`-escaped byte inside a class is compared exactly.
 *
 * Redis recurses once per `*` and, since 7.0.10 (CVE-2022-36021), prunes with `skipLongerMatches`. Every token
 * other than `*` consumes exactly one byte, so backtracking to the most recent `*` only is equivalent and lets
 * this run iteratively in O(pattern × string) without any recursion depth limit.
 *
 * Inputs are byte strings (one char per byte), as everywhere in the server core.
 */
export function stringMatch(pattern: string, str: string, nocase = false): boolean {
  const plen = pattern.length;
  const slen = str.length;
  if (slen === 0) return plen === 0;

  let p = 0;
  let s = 0;
  let starP = -1; // index of the last `*` seen
  let starS = -1; // string position that `*` currently stops at
  for (;;) {
    if (s >= slen) {
      // Whole string consumed: only trailing stars may remain.
      while (p < plen && pattern.charCodeAt(p) === STAR) p++;
      if (p === plen) return true;
    } else if (p < plen) {
      if (pattern.charCodeAt(p) === STAR) {
        while (p + 1 < plen && pattern.charCodeAt(p + 1) === STAR) p++;
        if (p === plen - 1) return true; // a trailing `*` matches whatever is left
        starP = p;
        starS = s;
        p++;
        continue;
      }
      const end = matchToken(pattern, p, str.charCodeAt(s), nocase);
      if (end >= 0) {
        p = end + 1;
        s++;
        continue;
      }
    }
    // Mismatch: let the last `*` swallow one more byte. Redis never tries the empty suffix, which could not
    // match a non-empty remaining pattern anyway.
    if (starP < 0) return false;
    starS++;
    if (starS >= slen) return false;
    s = starS;
    p = starP + 1;
  }
}

const STAR = 42; // '*'
const QUESTION = 63; // '?'
const LBRACKET = 91; // '['
const RBRACKET = 93; // ']'
const BACKSLASH = 92; // '\\'
const CARET = 94; // '^'
const DASH = 45; // '-'

/**
 * Matches the single non-`*` token at `p` against byte `c`. Returns the index of the token's last pattern byte,
 * or -1 on mismatch. Index arithmetic follows the C pointer walk so the class quirks come out identical.
 */
function matchToken(pattern: string, p: number, c: number, nocase: boolean): number {
  const plen = pattern.length;
  const pc = pattern.charCodeAt(p);
  if (pc === QUESTION) return p;
  if (pc === LBRACKET) {
    let q = p + 1;
    const not = q < plen && pattern.charCodeAt(q) === CARET;
    if (not) q++;
    let match = false;
    for (;;) {
      const remaining = plen - q;
      const qc = q < plen ? pattern.charCodeAt(q) : 0; // C reads the NUL terminator past the end
      if (qc === BACKSLASH && remaining >= 2) {
        q++;
        if (pattern.charCodeAt(q) === c) match = true;
      } else if (qc === RBRACKET && remaining > 0) {
        break;
      } else if (remaining === 0) {
        q--;
        break;
      } else if (remaining >= 3 && pattern.charCodeAt(q + 1) === DASH) {
        let start = qc;
        let end = pattern.charCodeAt(q + 2);
        let cc = c;
        if (start > end) [start, end] = [end, start];
        if (nocase) {
          start = lower(start);
          end = lower(end);
          cc = lower(cc);
        }
        q += 2;
        if (cc >= start && cc <= end) match = true;
      } else if (nocase ? lower(qc) === lower(c) : qc === c) {
        match = true;
      }
      q++;
    }
    if (not) match = !match;
    return match ? q : -1;
  }
  let lit = p;
  if (pc === BACKSLASH && plen - p >= 2) lit = p + 1;
  const lc = pattern.charCodeAt(lit);
  const ok = nocase ? lower(lc) === lower(c) : lc === c;
  return ok ? lit : -1;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Whether a pattern contains glob syntax; CONFIG GET looks names up directly otherwise (`strpbrk(name, "[*?")`). */
export function hasGlobChars(pattern: string): boolean {
  return /[[*?]/.test(pattern);
}
