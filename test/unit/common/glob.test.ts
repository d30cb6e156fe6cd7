import { describe, expect, it } from 'vitest';
import { hasGlobChars, stringMatch } from '../../../src/common/glob.js';
import { seededRandom } from '../../../src/common/random.js';

/**
 * A literal, recursive port of Redis 7.0 util.c stringmatchlen_impl (pointer walk, NUL beyond the end, no
 * pruning). Slow but obviously faithful; the iterative implementation must agree with it everywhere.
 */
function reference(pattern: string, str: string, nocase: boolean): boolean {
  const P = pattern + '\0';
  const S = str + '\0';
  const low = (c: string): string => (c >= 'A' && c <= 'Z' ? c.toLowerCase() : c);
  const rec = (p: number, plen: number, s: number, slen: number): boolean => {
    while (plen > 0 && slen > 0) {
      const pc = P[p]!;
      if (pc === '*') {
        while (plen > 0 && P[p + 1] === '*') {
          p++;
          plen--;
        }
        if (plen === 1) return true;
        while (slen > 0) {
          if (rec(p + 1, plen - 1, s, slen)) return true;
          s++;
          slen--;
        }
        return false;
      } else if (pc === '?') {
        s++;
        slen--;
      } else if (pc === '[') {
        p++;
        plen--;
        const not = P[p] === '^';
        if (not) {
          p++;
          plen--;
        }
        let match = false;
        for (;;) {
          if (P[p] === '\\' && plen >= 2) {
            p++;
            plen--;
            if (P[p] === S[s]) match = true;
          } else if (P[p] === ']') {
            break;
          } else if (plen === 0) {
            p--;
            plen++;
            break;
          } else if (plen >= 3 && P[p + 1] === '-') {
            let start = P.charCodeAt(p);
            let end = P.charCodeAt(p + 2);
            let c = S.charCodeAt(s);
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = low(String.fromCharCode(start)).charCodeAt(0);
              end = low(String.fromCharCode(end)).charCodeAt(0);
              c = low(String.fromCharCode(c)).charCodeAt(0);
            }
            p += 2;
            plen -= 2;
            if (c >= start && c <= end) match = true;
          } else if (nocase ? low(P[p]!) === low(S[s]!) : P[p] === S[s]) {
            match = true;
          }
          p++;
          plen--;
        }
        if (not) match = !match;
        if (!match) return false;
        s++;
        slen--;
      } else {
        if (pc === '\\' && plen >= 2) {
          p++;
          plen--;
        }
        if (nocase ? low(P[p]!) !== low(S[s]!) : P[p] !== S[s]) return false;
        s++;
        slen--;
      }
      p++;
      plen--;
      if (slen === 0) {
        while (P[p] === '*') {
          p++;
          plen--;
        }
        break;
      }
    }
    return plen === 0 && slen === 0;
  };
  return rec(0, pattern.length, 0, str.length);
}

describe('stringMatch (Redis stringmatchlen)', () => {
  const cases: Array<[pattern: string, str: string, expected: boolean]> = [
    ['*', 'anything', true],
    ['*', '', false], // the C loop never runs on an empty string
    ['', '', true],
    ['', 'a', false],
    ['h?llo', 'hello', true],
    ['h?llo', 'hllo', false],
    ['h*llo', 'heeeello', true],
    ['h*llo', 'hllo', true],
    ['h[ae]llo', 'hallo', true],
    ['h[ae]llo', 'hillo', false],
    ['h[^e]llo', 'hallo', true],
    ['h[^e]llo', 'hello', false],
    ['h[a-b]llo', 'hbllo', true],
    ['h[b-a]llo', 'hallo', true], // reversed range is swapped
    ['[-+]sdown', '+sdown', true],
    ['[-+]sdown', '-sdown', true],
    ['[-+]sdown', 'sdown', false],
    ['[-+]odown', '+sdown', false],
    ['__sentinel__:*', '__sentinel__:hello', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['a\\*b', 'a*b', true], // an escaped star between literals (SENTINEL RESET patterns)
    ['a\\*b', 'axb', false],
    ['a\\', 'a\\', true], // a trailing backslash is literal
    ['[\\]]', ']', true],
    ['[abc', 'c', true], // unterminated class: the rest of the pattern are its members
    ['[abc', 'd', false],
    ['[a-]x', ']x', false], // `[a-]` is the range ']'..'a' and the class runs on to the end
    ['[a-]x]', '^', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['*a', 'ba', true],
    ['a**', 'a', true],
    ['a*', 'a', true],
    ['ab*', 'a', false],
  ];
  it.each(cases)('%j vs %j → %s', (pattern, str, expected) => {
    expect(stringMatch(pattern, str)).toBe(expected);
    expect(reference(pattern, str, false)).toBe(expected);
  });

  it('nocase folds ASCII only, including ranges, but not escaped class members', () => {
    expect(stringMatch('MAX*', 'maxmemory', true)).toBe(true);
    expect(stringMatch('MAX*', 'maxmemory', false)).toBe(false);
    expect(stringMatch('[A-C]x', 'bx', true)).toBe(true);
    expect(stringMatch('ANNOUNCE-*', 'announce-ip', true)).toBe(true); // SENTINEL CONFIG GET folds case
    expect(stringMatch('[\\A]', 'a', true)).toBe(false);
    expect(stringMatch('\xc9', '\xe9', true)).toBe(false); // é/É are not folded in the C locale
  });

  it('works on bytes beyond ASCII', () => {
    expect(stringMatch('\xff*', '\xff\x00\x80', false)).toBe(true);
    expect(stringMatch('[\x80-\xff]', '\x90', false)).toBe(true);
  });

  it('agrees with the literal C port on random patterns and strings', () => {
    const seed = 20261121;
    const rnd = seededRandom(seed);
    const alphabet = 'abAB*?[]^-\\';
    const pick = (len: number, chars: string): string =>
      Array.from({ length: len }, () => chars[rnd.int(chars.length)]).join('');
    for (let i = 0; i < 20000; i++) {
      const pattern = pick(rnd.int(8), alphabet);
      const str = pick(rnd.int(8), 'abAB*?[]^-\\');
      const nocase = rnd.int(2) === 1;
      const want = reference(pattern, str, nocase);
      if (stringMatch(pattern, str, nocase) !== want) {
        throw new Error(`seed ${seed} case ${i}: ${JSON.stringify(pattern)} vs ${JSON.stringify(str)} nocase=${nocase}`);
      }
    }
  });

  it('stays linear-ish and never recurses on pathological patterns', () => {
    const pattern = 'a*'.repeat(50_000) + 'b';
    const str = 'a'.repeat(2_000);
    const t0 = performance.now();
    expect(stringMatch(pattern, str)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(stringMatch('*'.repeat(100_000), 'x')).toBe(true);
  });

  it('hasGlobChars matches strpbrk(name, "[*?")', () => {
    expect(hasGlobChars('maxmemory')).toBe(false);
    expect(hasGlobChars('max*')).toBe(true);
    expect(hasGlobChars('a?')).toBe(true);
    expect(hasGlobChars('[a]')).toBe(true);
    expect(hasGlobChars('a]')).toBe(false);
  });
});
