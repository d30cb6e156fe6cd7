/**
 * Server-side request parser: turns the bytes a client sends into commands (arrays of byte strings), accepting
 * both the multibulk form (`*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n`) and the inline form (`ECHO "hi"\r\n`) exactly as
 * Redis 7.0's processMultibulkBuffer / processInlineBuffer do, including their limits and error texts.
 *
 * Push-style and I/O-free: `feed(chunk)`, then call `next()` until it returns null. A protocol error is sticky:
 * `next()` returns null from then on and `error` says what went wrong (the caller replies and closes, as Redis does).
 * An empty inline line yields an empty array (replicas send `\n` as a keepalive; the caller ignores it otherwise).
 */
import { splitArgs } from '../common/split-args.js';
import { expectedDollar, protocolError, type ProtocolError } from './errors.js';

export interface ParserLimits {
  /** proto-max-bulk-len (default 512 MB). */
  maxBulkLen: number;
  /** Largest accepted `*<n>` (Redis rejects n > INT_MAX). */
  maxMultibulkLen: number;
  /** Longest inline line / count line without a newline (PROTO_INLINE_MAX_SIZE, 64 KB). */
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
/** Bulk payloads at least this large are assembled in a dedicated buffer instead of concatenating chunks. */
const BIG_ARG = 32 * 1024;

export class RequestParser {
  readonly limits: ParserLimits;
  /** Set when the connection is not yet authenticated: tighter limits apply. */
  unauthenticated = false;
  /** Sticky protocol error; once set, nothing more is parsed. */
  error: ProtocolError | null = null;
  /** Total bytes consumed into complete commands (and skipped empty lines) since creation; replicas use it for
   *  replication offsets. */
  consumed = 0;

  #buf: Buffer = Buffer.alloc(0);
  #pos = 0;
  // Multibulk state carried across chunks. Invariant: the bytes of the command in progress are
  // `#prev` bytes already dropped from #buf (or held in #big) plus #buf[#start, #pos).
  #argc = -1; // args still to read, -1 when not inside a multibulk
  #args: string[] = [];
  #bulkLen = -1; // length of the bulk being read, -1 when a `$` line is expected
  #big: Buffer | null = null; // dedicated buffer (payload + CRLF) for a large bulk
  #bigFill = 0;
  #prev = 0;
  #start = 0;

  constructor(limits: Partial<ParserLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** Bytes received but not yet part of a complete command. */
  get buffered(): number {
    return this.#buf.length - this.#pos + (this.#argc > 0 ? this.#prev + this.#pos - this.#start : 0);
  }

  feed(chunk: Buffer): void {
    if (this.error !== null || chunk.length === 0) return;
    if (this.#big !== null) {
      // copy straight into the argument's own buffer
      const n = Math.min(this.#big.length - this.#bigFill, chunk.length);
      chunk.copy(this.#big, this.#bigFill, 0, n);
      this.#bigFill += n;
      chunk = chunk.subarray(n);
      if (chunk.length === 0) return;
    }
    if (this.#argc > 0) {
      this.#prev += this.#pos - this.#start;
    }
    this.#buf = this.#pos >= this.#buf.length ? chunk : Buffer.concat([this.#buf.subarray(this.#pos), chunk]);
    this.#pos = 0;
    this.#start = 0;
  }

  next(): string[] | null {
    if (this.error !== null) return null;
    if (this.#big !== null) {
      if (this.#bigFill < this.#big.length) return null;
      const big = this.#big;
      this.#big = null;
      this.#prev += big.length;
      this.#args.push(big.latin1Slice(0, big.length - 2));
      this.#bulkLen = -1;
      if (--this.#argc === 0) return this.#finish();
    }
    if (this.#argc < 0) {
      const buf = this.#buf;
      if (this.#pos >= buf.length) return null;
      if (buf[this.#pos] !== 0x2a /* '*' */) return this.#inline();
      const nl = buf.indexOf(0x0d, this.#pos);
      if (nl === -1 || nl + 1 >= buf.length) {
        if (buf.length - this.#pos > this.limits.maxInlineSize) return this.#fail(protocolError('MBULK_COUNT_TOO_BIG'));
        return null;
      }
      const count = parseIntStrict(buf, this.#pos + 1, nl);
      if (count === null || count > this.limits.maxMultibulkLen) return this.#fail(protocolError('INVALID_MBULK_LEN'));
      if (count > UNAUTH_MAX_MULTIBULK && this.unauthenticated) return this.#fail(protocolError('UNAUTH_MBULK_LEN'));
      if (count <= 0) {
        // `*0` / `*-1`: nothing to run; Redis resets the client and keeps reading
        this.consumed += nl + 2 - this.#pos;
        this.#pos = nl + 2;
        return this.next();
      }
      this.#argc = count;
      this.#args = [];
      this.#prev = 0;
      this.#start = this.#pos;
      this.#pos = nl + 2;
    }
    return this.#multibulk();
  }

  #multibulk(): string[] | null {
    const buf = this.#buf;
    while (this.#argc > 0) {
      if (this.#bulkLen < 0) {
        if (this.#pos >= buf.length) return null;
        if (buf[this.#pos] !== 0x24 /* '$' */) return this.#fail(expectedDollar(buf[this.#pos]!));
        const nl = buf.indexOf(0x0d, this.#pos);
        if (nl === -1 || nl + 1 >= buf.length) {
          if (buf.length - this.#pos > this.limits.maxInlineSize) return this.#fail(protocolError('BULK_COUNT_TOO_BIG'));
          return null;
        }
        const len = parseIntStrict(buf, this.#pos + 1, nl);
        if (len === null || len < 0 || len > this.limits.maxBulkLen) return this.#fail(protocolError('INVALID_BULK_LEN'));
        if (len > UNAUTH_MAX_BULK && this.unauthenticated) return this.#fail(protocolError('UNAUTH_BULK_LEN'));
        this.#pos = nl + 2;
        this.#bulkLen = len;
        if (len >= BIG_ARG && buf.length - this.#pos < len + 2) {
          // a large argument still arriving: give it its own buffer; feed() copies the rest straight in
          const big = Buffer.allocUnsafe(len + 2);
          this.#bigFill = buf.copy(big, 0, this.#pos, buf.length);
          this.#big = big;
          this.#prev += this.#pos - this.#start;
          this.#buf = Buffer.alloc(0);
          this.#pos = 0;
          this.#start = 0;
          return null;
        }
      }
      const len = this.#bulkLen;
      if (buf.length - this.#pos < len + 2) return null;
      this.#args.push(buf.latin1Slice(this.#pos, this.#pos + len));
      this.#pos += len + 2;
      this.#bulkLen = -1;
      this.#argc--;
    }
    return this.#finish();
  }

  #finish(): string[] {
    this.consumed += this.#prev + this.#pos - this.#start;
    const args = this.#args;
    this.#args = [];
    this.#argc = -1;
    this.#prev = 0;
    this.#start = this.#pos;
    return args;
  }

  #inline(): string[] | null {
    const buf = this.#buf;
    const nl = buf.indexOf(0x0a, this.#pos);
    if (nl === -1) {
      if (buf.length - this.#pos > this.limits.maxInlineSize) return this.#fail(protocolError('INLINE_TOO_BIG'));
      return null;
    }
    const end = nl > this.#pos && buf[nl - 1] === 0x0d ? nl - 1 : nl;
    const line = buf.latin1Slice(this.#pos, end);
    this.consumed += nl + 1 - this.#pos;
    this.#pos = nl + 1;
    const args = splitArgs(line);
    if (args === null) return this.#fail(protocolError('UNBALANCED_QUOTES'));
    return args;
  }

  #fail(err: ProtocolError): null {
    this.error = err;
    this.#buf = Buffer.alloc(0);
    this.#pos = 0;
    this.#big = null;
    return null;
  }
}

/** string2ll over buf[start, end): optional '-', digits only, no leading '+', no overflow past 2^53. */
function parseIntStrict(buf: Buffer, start: number, end: number): number | null {
  if (start >= end) return null;
  let i = start;
  let neg = false;
  if (buf[i] === 0x2d) {
    neg = true;
    i++;
    if (i >= end) return null;
  }
  let n = 0;
  for (; i < end; i++) {
    const c = buf[i]! - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
    if (n > Number.MAX_SAFE_INTEGER) return null;
  }
  return neg ? -n : n;
}
