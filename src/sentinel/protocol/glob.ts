/**
 * Redis glob matching (util.c stringmatchlen): `*`, `?`, `[abc]`, `[^a-z]`, and `\` escapes; optional
 * case-insensitivity. Used by SENTINEL RESET <pattern> and SENTINEL CONFIG GET <pattern>.
 */
export function globMatch(pattern: string, str: string, nocase = false): boolean {
  return matchFrom(pattern, 0, str, 0, nocase, 0);
}

function eq(a: string, b: string, nocase: boolean): boolean {
  return nocase ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function matchFrom(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number): boolean {
  if (depth > 1000) return false; // the reference bounds recursion too (nesting limit)
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === '*') {
      while (p[pi + 1] === '*') pi++;
      if (pi + 1 === p.length) return true;
      for (let k = si; k <= s.length; k++) if (matchFrom(p, pi + 1, s, k, nocase, depth + 1)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      si++;
      pi++;
      continue;
    }
    if (c === '[') {
      pi++;
      const not = p[pi] === '^';
      if (not) pi++;
      let match = false;
      for (;;) {
        if (pi >= p.length) {
          pi--; // unterminated: treat the class as ending here
          break;
        }
        const pc = p[pi]!;
        if (pc === '\\' && pi + 1 < p.length) {
          pi++;
          if (eq(p[pi]!, s[si]!, nocase)) match = true;
        } else if (pc === ']') {
          break;
        } else if (p[pi + 1] === '-' && pi + 2 < p.length) {
          let lo = p.charCodeAt(pi);
          let hi = p.charCodeAt(pi + 2);
          let ch = s.charCodeAt(si);
          if (lo > hi) [lo, hi] = [hi, lo];
          if (nocase) {
            lo = String.fromCharCode(lo).toLowerCase().charCodeAt(0);
            hi = String.fromCharCode(hi).toLowerCase().charCodeAt(0);
            ch = String.fromCharCode(ch).toLowerCase().charCodeAt(0);
          }
          pi += 2;
          if (ch >= lo && ch <= hi) match = true;
        } else if (eq(pc, s[si]!, nocase)) {
          match = true;
        }
        pi++;
      }
      if (not) match = !match;
      if (!match) return false;
      si++;
      pi++;
      continue;
    }
    if (c === '\\' && pi + 1 < p.length) pi++;
    if (!eq(p[pi]!, s[si]!, nocase)) return false;
    pi++;
    si++;
  }
  return si === s.length;
}
