/**
 * Redis's `sdssplitargs`: splits one line into arguments the way redis-cli, the inline protocol and redis.conf do.
 *
 * - Blanks (isspace: space, \t, \n, \v, \f, \r) separate arguments, but an unquoted argument ends only at space,
 *   \t, \n or \r: `a\vb` is one argument, as in Redis.
 * - The line is a C string to sdssplitargs: a NUL byte ends it, and whatever follows is ignored (the inline parser
 *   never passes one: Redis's strchr-based line search stalls on it first; config files are read with strlen).
 * - "double quotes" understand \n \r \t \b \a \\ \" and \xHH (two hex digits); any other escaped char is itself.
 * - 'single quotes' understand only \' (a backslash before anything else is kept literally).
 * - A closing quote must be followed by a separator or the end of line: `"foo"bar` is an error.
 * - An unterminated quote is an error.
 *
 * Input and output are byte strings (one char per byte), so escapes like "\xff" produce the byte 0xff.
 * Returns null on the errors above (Redis replies `unbalanced quotes in request`, or reports a bad config line).
 */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  const nul = line.indexOf('\0');
  const n = nul === -1 ? line.length : nul;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let cur = '';
    let inDq = false;
    let inSq = false;
    let done = false;
    while (!done) {
      if (inDq) {
        if (i >= n) return null; // unterminated quotes
        const c = line[i]!;
        if (c === '\\' && line[i + 1] === 'x' && i + 3 < n && isHex(line.charCodeAt(i + 2)) && isHex(line.charCodeAt(i + 3))) {
          cur += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          i++;
          const e = line[i]!;
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === '"') {
          // closing quote must be followed by a space or nothing at all
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += c;
        }
      } else if (inSq) {
        if (i >= n) return null;
        const c = line[i]!;
        if (c === '\\' && line[i + 1] === "'") {
          i++;
          cur += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += c;
        }
      } else {
        if (i >= n) {
          done = true;
          break;
        }
        const c = line[i]!;
        // unlike the blank-skipping above (isspace), only these end an unquoted token
        if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
          done = true;
        } else if (c === '"') {
          inDq = true;
        } else if (c === "'") {
          inSq = true;
        } else {
          cur += c;
        }
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}

function isSpace(c: number): boolean {
  // isspace() in the C locale (redis-server only sets LC_COLLATE, so bytes >= 0x80 are never blanks)
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
