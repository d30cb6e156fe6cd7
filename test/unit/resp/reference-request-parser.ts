/**
 * A slow, literal transcription of Redis 7.0's request parsing (networking.c processInputBuffer /
 * processInlineBuffer / processMultibulkBuffer, sds.c sdssplitargs, util.c string2ll) used as the oracle for the
 * RequestParser tests. It runs the C logic on a NUL-terminated query buffer after every single byte arrives, the
 * way Redis behaves when a client trickles bytes in; RequestParser must give the same results for any chunking.
 * Pointer arithmetic is kept as in the C, with BigInt where the C uses long long.
 */
export interface RefLimits {
  maxBulkLen: number;
  maxMultibulkLen: number;
  maxInlineSize: number;
}

export interface RefOptions {
  limits: RefLimits;
  unauthenticated?: boolean;
  primary?: boolean;
}

export interface RefResult {
  /** Commands in order; an empty inline line appears as []. */
  commands: string[][];
  /** Query-buffer position right after each command (what RequestParser.consumed must read). */
  consumed: number[];
  /** The error reply text, or null. */
  error: string | null;
  /** Query-buffer position after the last complete command or skipped empty request. */
  finalConsumed: number;
}

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;
const ULLONG_MAX = 18446744073709551615n;

/** util.c string2ll, including its 21-char LONG_STR_SIZE cap. */
function string2ll(s: number[], slen: number): bigint | null {
  let p = 0;
  let plen = 0;
  let negative = false;
  if (plen === slen || slen >= 21) return null;
  if (slen === 1 && s[0] === 0x30) return 0n;
  if (s[p] === 0x2d) {
    negative = true;
    p++;
    plen++;
    if (plen === slen) return null;
  }
  let v: bigint;
  const c0 = s[p]!;
  if (c0 >= 0x31 && c0 <= 0x39) {
    v = BigInt(c0 - 0x30);
    p++;
    plen++;
  } else {
    return null;
  }
  while (plen < slen && s[p]! >= 0x30 && s[p]! <= 0x39) {
    if (v > ULLONG_MAX / 10n) return null;
    v *= 10n;
    const d = BigInt(s[p]! - 0x30);
    if (v > ULLONG_MAX - d) return null;
    v += d;
    p++;
    plen++;
  }
  if (plen < slen) return null;
  if (negative) {
    if (v > -LLONG_MIN) return null;
    return -v;
  }
  if (v > LLONG_MAX) return null;
  return v;
}

const bytesToString = (bytes: number[]): string => Buffer.from(bytes).toString('latin1');
const isspace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const hexVal = (c: number): number => (c <= 57 ? c - 48 : (c | 0x20) - 87);

/** sds.c sdssplitargs over a NUL-terminated byte array (the caller appends the 0). */
export function refSplitArgs(line: number[]): string[] | null {
  const at = (i: number): number => (i < line.length ? line[i]! : 0);
  let p = 0;
  const vector: string[] = [];
  for (;;) {
    while (at(p) !== 0 && isspace(at(p))) p++;
    if (at(p) === 0) return vector;
    let inq = false;
    let insq = false;
    let done = false;
    const current: number[] = [];
    while (!done) {
      if (inq) {
        if (at(p) === 0x5c && at(p + 1) === 0x78 && isHex(at(p + 2)) && isHex(at(p + 3))) {
          current.push(hexVal(at(p + 2)) * 16 + hexVal(at(p + 3)));
          p += 3;
        } else if (at(p) === 0x5c && at(p + 1) !== 0) {
          p++;
          const e = at(p);
          current.push(e === 0x6e ? 10 : e === 0x72 ? 13 : e === 0x74 ? 9 : e === 0x62 ? 8 : e === 0x61 ? 7 : e);
        } else if (at(p) === 0x22) {
          if (at(p + 1) !== 0 && !isspace(at(p + 1))) return null;
          done = true;
        } else if (at(p) === 0) {
          return null;
        } else {
          current.push(at(p));
        }
      } else if (insq) {
        if (at(p) === 0x5c && at(p + 1) === 0x27) {
          p++;
          current.push(0x27);
        } else if (at(p) === 0x27) {
          if (at(p + 1) !== 0 && !isspace(at(p + 1))) return null;
          done = true;
        } else if (at(p) === 0) {
          return null;
        } else {
          current.push(at(p));
        }
      } else {
        const c = at(p);
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0) done = true;
        else if (c === 0x22) inq = true;
        else if (c === 0x27) insq = true;
        else current.push(c);
      }
      if (at(p) !== 0) p++;
    }
    vector.push(bytesToString(current));
  }
}

const PROTO_INLINE_MAX = (o: RefOptions): number => o.limits.maxInlineSize;

export function referenceParse(input: Uint8Array, opts: RefOptions): RefResult {
  const qb: number[] = [];
  let qbPos = 0;
  let reqtype: 0 | 'inline' | 'multibulk' = 0;
  let multibulklen = 0;
  let bulklen = -1n;
  let argv: string[] = [];
  let error: string | null = null;
  const commands: string[][] = [];
  const consumed: number[] = [];
  let completePos = 0;

  /** strchr on the NUL-terminated query buffer. */
  const strchr = (from: number, ch: number): number => {
    for (let i = from; i < qb.length; i++) {
      if (qb[i] === 0) return -1;
      if (qb[i] === ch) return i;
    }
    return -1;
  };
  const fail = (text: string): 'err' => {
    error = text;
    return 'err';
  };

  const processInline = (): 'ok' | 'wait' | 'err' => {
    let newline = strchr(qbPos, 0x0a);
    let linefeedChars = 1;
    if (newline === -1) {
      if (qb.length - qbPos > PROTO_INLINE_MAX(opts)) return fail('ERR Protocol error: too big inline request');
      return 'wait';
    }
    if (newline !== qbPos && qb[newline - 1] === 0x0d) {
      newline--;
      linefeedChars++;
    }
    const querylen = newline - qbPos;
    const args = refSplitArgs(qb.slice(qbPos, qbPos + querylen));
    if (args === null) return fail('ERR Protocol error: unbalanced quotes in request');
    if (querylen !== 0 && opts.primary) return fail('ERR Protocol error: Master using the inline protocol. Desync?');
    qbPos += querylen + linefeedChars;
    argv = args;
    return 'ok';
  };

  const processMultibulk = (): 'ok' | 'wait' | 'err' => {
    if (multibulklen === 0) {
      const newline = strchr(qbPos, 0x0d);
      if (newline === -1) {
        if (qb.length - qbPos > PROTO_INLINE_MAX(opts)) return fail('ERR Protocol error: too big mbulk count string');
        return 'wait';
      }
      if (newline - qbPos > qb.length - qbPos - 2) return 'wait';
      const ll = string2ll(qb.slice(qbPos + 1, newline), newline - (qbPos + 1));
      if (ll === null || ll > BigInt(opts.limits.maxMultibulkLen)) return fail('ERR Protocol error: invalid multibulk length');
      if (ll > 10n && opts.unauthenticated) return fail('ERR Protocol error: unauthenticated multibulk length');
      qbPos = newline + 2;
      if (ll <= 0n) return 'ok';
      multibulklen = Number(ll);
      argv = [];
    }
    while (multibulklen > 0) {
      if (bulklen === -1n) {
        const newline = strchr(qbPos, 0x0d);
        if (newline === -1) {
          if (qb.length - qbPos > PROTO_INLINE_MAX(opts)) return fail('ERR Protocol error: too big bulk count string');
          break;
        }
        if (newline - qbPos > qb.length - qbPos - 2) break;
        if (qb[qbPos] !== 0x24) {
          const c = qb[qbPos]!;
          // addReplyErrorFormat: sdscatvprintf's text stops at a NUL byte, and CR/LF become spaces
          if (c === 0) return fail("ERR Protocol error: expected '$', got '");
          const shown = c === 0x0d || c === 0x0a ? ' ' : String.fromCharCode(c);
          return fail(`ERR Protocol error: expected '$', got '${shown}'`);
        }
        const ll = string2ll(qb.slice(qbPos + 1, newline), newline - (qbPos + 1));
        if (ll === null || ll < 0n || (!opts.primary && ll > BigInt(opts.limits.maxBulkLen))) {
          return fail('ERR Protocol error: invalid bulk length');
        }
        if (ll > 16384n && opts.unauthenticated) return fail('ERR Protocol error: unauthenticated bulk length');
        qbPos = newline + 2;
        bulklen = ll;
      }
      if (BigInt(qb.length - qbPos) < bulklen + 2n) break;
      const n = Number(bulklen);
      argv.push(bytesToString(qb.slice(qbPos, qbPos + n)));
      qbPos += n + 2;
      bulklen = -1n;
      multibulklen--;
    }
    return multibulklen === 0 ? 'ok' : 'wait';
  };

  const processInputBuffer = (): void => {
    while (qbPos < qb.length) {
      if (reqtype === 0) reqtype = qb[qbPos] === 0x2a ? 'multibulk' : 'inline';
      const r = reqtype === 'inline' ? processInline() : processMultibulk();
      if (r !== 'ok') return;
      // an empty inline line is reported (as []); a multibulk of <= 0 args is just a reset
      if (argv.length > 0 || reqtype === 'inline') {
        commands.push(argv);
        consumed.push(qbPos);
      }
      completePos = qbPos;
      argv = [];
      reqtype = 0;
      multibulklen = 0;
      bulklen = -1n;
    }
  };

  for (const b of input) {
    qb.push(b);
    processInputBuffer();
    if (error !== null) break;
  }
  return { commands, consumed, error, finalConsumed: completePos };
}
