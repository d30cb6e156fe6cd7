/**
 * Server-side request parser: turns the bytes a client sends into commands (arrays of byte strings), accepting
 * both the multibulk form (`*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n`) and the inline form (`ECHO "hi"\r\n`) exactly as
 * Redis 7.0's processMultibulkBuffer / processInlineBuffer do, including their limits and error texts.
 *
 * Push-style and I/O-free: `feed(chunk)`, then call `next()` until it returns null. Call `next()` again only after
 * the previous command has run: the `unauthenticated` limits are checked while a command is parsed, so an AUTH
 * must take effect before the next command's header is read (as in Redis, which parses one command at a time).
 * A protocol error is sticky: `next()` returns null from then on and `error` says what went wrong (the caller
 * replies `-<error.reply>` and closes, as Redis does).
 * An empty or blank inline line yields an empty array (replicas send `\n` as a keepalive; the caller ignores it
 * otherwise); `*0` and `*-n` are skipped silently.
 *
 * Behaviour pinned against redis-server 7.0.15 (test/integration/resp-errors.test.ts):
 * - lengths are parsed with string2ll: no '+', no leading zeros, no `-0`, at most 20 chars, within long long;
 * - the bytes after a line's CR and after a bulk payload are skipped without being checked (`$4\rxPING` is fine);
 * - a line is only judged once its CR (LF for inline) and the byte after it have arrived: `*1\r\nx` waits, and
 *   `expected '$', got 'x'` comes only with a complete line;
 * - Redis searches lines with strchr, so a NUL byte before the terminator stalls the line until more than 64 KB
 *   are buffered, then fails with the "too big" error; we do the same;
 * - a line longer than `maxInlineSize` fails with the "too big" error. Redis only checks when a read leaves no
 *   terminator in its buffer, so whether a 64-80 KB line passes there depends on how reads split the stream; we
 *   always give the answer Redis gives when the bytes trickle in, so the outcome never depends on chunking.
 *
 * Chunks passed to `feed` are kept by reference until parsed (a large argument's chunks until it completes):
 * don't modify them afterwards. Node's socket chunks are never reused, so sockets can feed them directly.
 */
import { constants as bufferConstants } from 'node:buffer';
import { splitArgs } from '../common/split-args.js';
import { expectedDollar, protocolError, type ProtocolError } from './errors.js';
import { InputBuffer } from './input-buffer.js';
import { shortString, string2ll } from './scan.js';

export interface ParserLimits {
  /** proto-max-bulk-len (default 512 MB). Capped at the longest JS string (buffer.constants.MAX_STRING_LENGTH,
   *  about 24 bytes short of 512 MB): arguments are byte strings, so a longer one cannot be represented. */
  maxBulkLen: number;
  /** Largest accepted `*<n>` (Redis 7.0 rejects n > INT_MAX). */
  maxMultibulkLen: number;
  /** Longest inline line / length line (PROTO_INLINE_MAX_SIZE, 64 KB). */
  maxInlineSize: number;
}

export const DEFAULT_LIMITS: ParserLimits = {
  maxBulkLen: 512 * 1024 * 1024,
  maxMultibulkLen: 2147483647,
  maxInlineSize: 64 * 1024,
};

/** Redis limits what an unauthenticated client may send (CVE-2021-32675). */
const UNAUTH_MAX_MULTIBULK = 10;
const UNAUTH_MAX_BULK = 16384;
/** PROTO_MBULK_BIG_ARG: a payload at least this large still arriving is collected as chunk references. */
const BIG_ARG = 32 * 1024;
const MAX_STRING = bufferConstants.MAX_STRING_LENGTH;

// #lengthLine outcomes
const OK = 0;
const NEED = 1;
const TOO_BIG = 2;
const INVALID = 3;
const NOT_DOLLAR = 4;

export class RequestParser {
  readonly limits: ParserLimits;
  /** Set when the connection is not yet authenticated: tighter limits apply. */
  unauthenticated = false;
  /** Set on a replica's link to its primary (Redis's CLIENT_MASTER): no proto-max-bulk-len, and anything but an
   *  empty inline line is a desync error. */
  primary = false;
  /** Sticky protocol error; once set, nothing more is parsed. */
  error: ProtocolError | null = null;
  /** Total bytes consumed into complete commands (and skipped empty lines, `*0`) since creation; replicas use it
   *  for replication offsets. */
  consumed = 0;

  #fed = 0; // total bytes fed; consumed = #fed - bytes not yet part of a complete command
  readonly #in = new InputBuffer();
  #scan = 0; // bytes from #pos already searched for a line terminator without finding one
  #num = 0; // value of the length line just parsed
  // multibulk in progress
  #argc = 0; // arguments still to read; 0 between commands
  #args: string[] = [];
  #bulkLen = -1; // length of the argument being read, -1 when its `$` line is expected
  #big: Buffer[] | null = null; // a large argument's payload + CRLF, collected as it arrives
  #bigFill = 0;

  constructor(limits: Partial<ParserLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Bytes received but not yet part of a complete command (what Redis's client-query-buffer-limit bounds). */
  get buffered(): number {
    return this.error !== null ? 0 : this.#fed - this.consumed;
  }

  feed(chunk: Buffer): void {
    if (this.error !== null || chunk.length === 0) return;
    this.#fed += chunk.length;
    if (this.#big !== null) {
      const want = this.#bulkLen + 2 - this.#bigFill;
      if (want > 0) {
        if (chunk.length <= want) {
          this.#big.push(chunk);
          this.#bigFill += chunk.length;
          return;
        }
        this.#big.push(chunk.subarray(0, want));
        this.#bigFill += want;
        chunk = chunk.subarray(want);
      }
    }
    this.#in.append(chunk);
  }

  next(): string[] | null {
    if (this.error !== null) return null;
    if (this.#argc > 0) return this.#multibulk();
    for (;;) {
      if (this.#in.pos >= this.#in.len) return null;
      if (this.#in.buf[this.#in.pos] !== 0x2a /* '*' */) return this.#inline();
      const fast = this.#whole();
      if (fast !== null) return fast;
      const st = this.#lengthLine(false);
      if (st !== OK) return this.#lineFailure(st, 'MBULK_COUNT_TOO_BIG', 'INVALID_MBULK_LEN');
      const count = this.#num;
      if (count > this.limits.maxMultibulkLen) return this.#fail(protocolError('INVALID_MBULK_LEN'));
      if (count > UNAUTH_MAX_MULTIBULK && this.unauthenticated) return this.#fail(protocolError('UNAUTH_MBULK_LEN'));
      if (count > 0) {
        this.#argc = count;
        return this.#multibulk();
      }
      // `*0` / `*-n`: processMultibulkBuffer returns with argc 0 and the client is reset; keep reading
      this.consumed = this.#fed - (this.#in.len - this.#in.pos);
    }
  }

  /**
   * Fast path: a whole well-formed command already in the buffer, parsed in one pass with nothing stored until it
   * is complete. Anything unusual (incomplete, limits near, odd lengths, unauthenticated or primary links) returns
   * null having changed nothing, and the state machine below takes over from the same position.
   */
  #whole(): string[] | null {
    if (this.unauthenticated || this.primary) return null;
    const buf = this.#in.buf;
    const len = this.#in.len;
    const maxBulk = Math.min(this.limits.maxBulkLen, MAX_STRING);
    if (this.limits.maxInlineSize < 16 || this.limits.maxMultibulkLen < 1024) return null;
    let p = this.#in.pos + 1;
    let c = buf[p]!;
    if (p >= len || c < 0x31 || c > 0x39) return null;
    let argc = c - 48;
    for (p++; p < len; p++) {
      c = buf[p]!;
      if (c < 0x30 || c > 0x39) break;
      argc = argc * 10 + c - 48;
      if (argc > 1024) return null;
    }
    if (p + 1 >= len || c !== 0x0d) return null;
    p += 2;
    const args = new Array<string>(argc); // filled in order below; discarded if the command is incomplete
    for (let i = 0; i < argc; i++) {
      if (p + 3 >= len || buf[p] !== 0x24) return null;
      c = buf[++p]!;
      let n: number;
      if (c >= 0x31 && c <= 0x39) {
        n = c - 48;
        const stop = p + 9; // at most 9 digits
        for (p++; p < len && p < stop; p++) {
          c = buf[p]!;
          if (c < 0x30 || c > 0x39) break;
          n = n * 10 + c - 48;
        }
      } else if (c === 0x30) {
        n = 0;
        c = buf[++p]!;
      } else {
        return null;
      }
      if (p + 1 >= len || buf[p] !== 0x0d || n > maxBulk) return null;
      p += 2;
      if (len - p < n + 2) return null;
      args[i] = n <= 8 ? shortString(buf, p, n) : buf.latin1Slice(p, p + n);
      p += n + 2;
    }
    this.#in.pos = p;
    this.#scan = 0;
    this.consumed = this.#fed - (len - p);
    return args;
  }

  #multibulk(): string[] | null {
    for (;;) {
      if (this.#big !== null) {
        if (this.#bigFill < this.#bulkLen + 2) return null;
        const parts = this.#big;
        const payload = parts.length === 1 ? parts[0]! : Buffer.concat(parts, this.#bigFill);
        this.#big = null;
        this.#bigFill = 0;
        this.#args.push(payload.latin1Slice(0, this.#bulkLen));
        this.#bulkLen = -1;
        if (--this.#argc === 0) return this.#finish();
      }
      if (this.#bulkLen < 0) {
        const st = this.#lengthLine(true);
        if (st !== OK) return this.#lineFailure(st, 'BULK_COUNT_TOO_BIG', 'INVALID_BULK_LEN');
        const n = this.#num;
        if (n < 0 || (n > this.limits.maxBulkLen && !this.primary) || n > MAX_STRING) {
          return this.#fail(protocolError('INVALID_BULK_LEN'));
        }
        if (n > UNAUTH_MAX_BULK && this.unauthenticated) return this.#fail(protocolError('UNAUTH_BULK_LEN'));
        this.#bulkLen = n;
      }
      const n = this.#bulkLen;
      const pos = this.#in.pos;
      const avail = this.#in.len - pos;
      if (avail < n + 2) {
        if (n >= BIG_ARG) this.#startBig(avail);
        return null;
      }
      this.#args.push(n <= 8 ? shortString(this.#in.buf, pos, n) : this.#in.buf.latin1Slice(pos, pos + n));
      this.#in.pos = pos + n + 2; // the two bytes after the payload are not checked (Redis skips them too)
      this.#bulkLen = -1;
      if (--this.#argc === 0) return this.#finish();
    }
  }

  /** A large argument is still arriving: move what we have of it out of #buf and collect the rest by reference,
   *  so it is copied once when complete rather than on every chunk, and memory grows only with bytes received. */
  #startBig(avail: number): void {
    this.#big = avail > 0 ? [this.#in.takeRest()] : [];
    this.#bigFill = avail;
    this.#in.release();
    this.#scan = 0;
  }

  #finish(): string[] {
    this.consumed = this.#fed - (this.#in.len - this.#in.pos);
    const args = this.#args;
    this.#args = [];
    this.#argc = 0;
    return args;
  }

  #inline(): string[] | null {
    const pos = this.#in.pos;
    const nl = this.#lineEnd(0x0a);
    if (nl === -1) {
      if (this.#in.len - pos > this.limits.maxInlineSize) return this.#fail(protocolError('INLINE_TOO_BIG'));
      return null;
    }
    const buf = this.#in.buf;
    const end = nl > pos && buf[nl - 1] === 0x0d ? nl - 1 : nl;
    const args = splitArgs(buf.latin1Slice(pos, end));
    if (args === null) return this.#fail(protocolError('UNBALANCED_QUOTES'));
    // a primary may send a bare newline as a keepalive, never an inline command
    if (end !== pos && this.primary) return this.#fail(protocolError('PRIMARY_INLINE'));
    this.#in.pos = nl + 1;
    this.#scan = 0;
    this.consumed = this.#fed - (this.#in.len - this.#in.pos);
    return args;
  }

  /**
   * Parses the `*<n>` / `$<n>` line at #pos into #num and moves past it. The fast path takes the well-formed
   * common case; anything else goes to #lengthLineSlow, which has Redis's exact semantics.
   */
  #lengthLine(bulk: boolean): number {
    const buf = this.#in.buf;
    const len = this.#in.len;
    const pos = this.#in.pos;
    if (!bulk || buf[pos] === 0x24) {
      let i = pos + 1;
      if (i < len) {
        let c = buf[i]!;
        if (c >= 0x31 && c <= 0x39) {
          let n = c - 48;
          const stop = Math.min(len, pos + 16); // at most 15 digits: exact in a double
          for (i++; i < stop; i++) {
            c = buf[i]!;
            if (c < 0x30 || c > 0x39) break;
            n = n * 10 + c - 48;
          }
          if (i + 1 < len && buf[i] === 0x0d && i - pos <= this.limits.maxInlineSize) {
            this.#num = n;
            this.#in.pos = i + 2;
            this.#scan = 0;
            return OK;
          }
        } else if (c === 0x30 && i + 2 < len && buf[i + 1] === 0x0d) {
          this.#num = 0;
          this.#in.pos = i + 3;
          this.#scan = 0;
          return OK;
        }
      }
    }
    return this.#lengthLineSlow(bulk);
  }

  #lengthLineSlow(bulk: boolean): number {
    const pos = this.#in.pos;
    const cr = this.#lineEnd(0x0d);
    if (cr === -1) return this.#in.len - pos > this.limits.maxInlineSize ? TOO_BIG : NEED;
    if (cr + 1 >= this.#in.len) return NEED; // the byte after CR must be there too
    if (bulk && this.#in.buf[pos] !== 0x24) return NOT_DOLLAR;
    const n = string2ll(this.#in.buf, pos + 1, cr);
    if (n === null) return INVALID;
    this.#num = n;
    this.#in.pos = cr + 2;
    this.#scan = 0;
    return OK;
  }

  /**
   * Index of the first `term` byte at or after #pos, or -1 if there is none yet or a NUL comes first (Redis's
   * strchr stops there, so the line never completes). Searches at most maxInlineSize + 1 bytes (a terminator
   * further on makes the line too big anyway) and remembers how far it got, so a line arriving byte by byte costs
   * O(n) in total.
   */
  #lineEnd(term: number): number {
    const buf = this.#in.buf;
    const pos = this.#in.pos;
    const limit = Math.min(this.#in.len, pos + this.limits.maxInlineSize + 1);
    let i = pos + this.#scan;
    for (; i < limit; i++) {
      const c = buf[i]!;
      if (c === term) return i;
      if (c === 0) break;
    }
    this.#scan = i - pos;
    return -1;
  }

  #lineFailure(st: number, tooBig: 'MBULK_COUNT_TOO_BIG' | 'BULK_COUNT_TOO_BIG', invalid: 'INVALID_MBULK_LEN' | 'INVALID_BULK_LEN'): null {
    if (st === NEED) return null;
    if (st === TOO_BIG) return this.#fail(protocolError(tooBig));
    if (st === NOT_DOLLAR) return this.#fail(expectedDollar(this.#in.buf[this.#in.pos]!));
    return this.#fail(protocolError(invalid));
  }

  #fail(err: ProtocolError): null {
    this.error = err;
    this.#in.clear();
    this.#scan = 0;
    this.#big = null;
    this.#args = [];
    return null;
  }
}
