/**
 * Streaming RESP2/RESP3 reply decoder for the client side (tests, the replica's handshake, the CLI): push bytes
 * with `feed(chunk)`, then call `next()` until it returns undefined. No I/O, no callbacks.
 *
 * The cursor survives chunk boundaries: an aggregate in progress lives on an explicit stack (never re-parsed, no
 * recursion however deep), a line search resumes where it stopped, and a large bulk payload is collected as chunk
 * references and joined once, so decoding is O(n) in the bytes received however they are split.
 *
 * A malformed stream sets the sticky `error` (a RespDecodeError; nothing is thrown) and the caller should drop the
 * connection. Error *replies* (`-ERR ...`, `!len`) are ordinary values of type 'error'. Limits bound what a hostile
 * peer can make it hold: `buffered` never exceeds about maxLineLength or maxBulkLen plus one chunk.
 * RESP3 streamed strings and aggregates (`$?`, `*?`), which Redis never sends, are rejected as bad lengths.
 *
 * With `buffers: true`, payloads come out as Buffers: views into the fed chunks where possible (no copy; the
 * decoder never writes into a chunk it was given, so don't modify fed chunks afterwards), copies otherwise.
 */
import { constants as bufferConstants } from 'node:buffer';
import { RespDecodeError, type DecodeErrorCode } from './decoder-errors.js';
import { InputBuffer } from './input-buffer.js';
import { shortString } from './scan.js';
import type { RespEntries, RespValue } from './value.js';

export interface DecoderLimits {
  /** Largest bulk string / verbatim / blob error payload (default 512 MB, as proto-max-bulk-len). */
  maxBulkLen: number;
  /** Most elements in one array, set or push, or pairs in one map or attribute. */
  maxAggregateLen: number;
  /** Longest simple line (status, error, number) in bytes. */
  maxLineLength: number;
  /** Deepest nesting of aggregates. */
  maxDepth: number;
}

export const DEFAULT_DECODER_LIMITS: DecoderLimits = {
  maxBulkLen: 512 * 1024 * 1024,
  maxAggregateLen: 2147483647,
  maxLineLength: 1024 * 1024,
  maxDepth: 1000,
};

export type DecoderOptions<B extends string | Buffer> = Partial<DecoderLimits> &
  (B extends Buffer ? { buffers: true } : { buffers?: false });

/** Payloads at least this long still arriving are collected by reference instead of in the input buffer. */
const BIG_PAYLOAD = 32 * 1024;

type AggregateType = 'array' | 'set' | 'push' | 'map' | 'attribute';

interface Frame<B extends string | Buffer> {
  type: AggregateType;
  remaining: number;
  items: RespValue<B>[];
  /** Attributes that preceded this aggregate. */
  attributes: RespEntries<string | Buffer> | undefined;
  /** Attributes read at this level, waiting for the value they annotate. */
  pending: RespEntries<string | Buffer> | undefined;
}

const AGGREGATE: Record<number, AggregateType> = { 0x2a: 'array', 0x7e: 'set', 0x3e: 'push', 0x25: 'map', 0x7c: 'attribute' };
const DOUBLE_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export class RespDecoder<B extends string | Buffer = string> {
  readonly limits: DecoderLimits;
  /** Sticky: once set, nothing more is decoded. */
  error: RespDecodeError | null = null;

  readonly #buffers: boolean;
  readonly #in = new InputBuffer();
  #fed = 0;
  #scan = 0; // bytes from pos already searched for CR
  #stack: Frame<B>[] = [];
  #topPending: RespEntries<string | Buffer> | undefined = undefined;
  // a bulk-like payload whose header has been read: type byte, length, and (when large) its chunks so far
  #bulkType = 0;
  #bulkLen = -1;
  #parts: Buffer[] | null = null;
  #partsFill = 0;

  constructor(options?: DecoderOptions<B>) {
    const { buffers, ...limits }: Partial<DecoderLimits> & { buffers?: boolean } = options ?? {};
    this.#buffers = buffers === true;
    this.limits = { ...DEFAULT_DECODER_LIMITS, ...limits };
  }

  /** Raw bytes held: unread input plus a large payload still arriving. */
  get buffered(): number {
    return this.#in.available + this.#partsFill;
  }

  /** Stream bytes consumed so far; right after next() returns a value, the offset just past that value. */
  get offset(): number {
    return this.#fed - this.#in.available - this.#partsFill;
  }

  feed(chunk: Buffer): void {
    if (this.error !== null || chunk.length === 0) return;
    this.#fed += chunk.length;
    if (this.#parts !== null) {
      const want = this.#bulkLen + 2 - this.#partsFill;
      if (want > 0) {
        const n = Math.min(want, chunk.length);
        this.#parts.push(n === chunk.length ? chunk : chunk.subarray(0, n));
        this.#partsFill += n;
        if (n === chunk.length) return;
        chunk = chunk.subarray(n);
      }
    }
    this.#in.append(chunk);
  }

  /** The next complete top-level value, or undefined when more bytes are needed (or `error` is set). */
  next(): RespValue<B> | undefined {
    if (this.error !== null) return undefined;
    for (;;) {
      let v: RespValue<B> | null | undefined;
      if (this.#bulkLen >= 0) v = this.#payload();
      else if (this.#in.pos < this.#in.len) v = this.#item();
      else return undefined;
      if (v === undefined) return undefined;
      if (v === null) continue; // an aggregate header was pushed on the stack
      const top = this.#complete(v);
      if (top !== undefined) return top;
    }
  }

  /** Adds a finished value to its parent, popping every aggregate it completes; returns a finished top-level value. */
  #complete(value: RespValue<B>): RespValue<B> | undefined {
    let v = value;
    for (;;) {
      const stack = this.#stack;
      const top = stack[stack.length - 1];
      const pending = top === undefined ? this.#topPending : top.pending;
      if (pending !== undefined) {
        v.attributes = v.attributes === undefined ? pending : [...pending, ...v.attributes];
        if (top === undefined) this.#topPending = undefined;
        else top.pending = undefined;
      }
      if (top === undefined) return v;
      top.items.push(v);
      if (--top.remaining > 0) return undefined;
      stack.pop();
      const done = build(top);
      if (done === null) {
        // an attribute annotates whatever comes next at its own level
        const entries = pairs(top.items);
        const parent = stack[stack.length - 1];
        if (parent === undefined) this.#topPending = [...(this.#topPending ?? []), ...entries];
        else parent.pending = [...(parent.pending ?? []), ...entries];
        return undefined;
      }
      v = done;
    }
  }

  /** Decodes one item at pos: a value, null when an aggregate was opened, undefined when more bytes are needed. */
  #item(): RespValue<B> | null | undefined {
    const inp = this.#in;
    const type = inp.buf[inp.pos]!;
    const cr = this.#lineEnd();
    if (cr < 0) return undefined;
    const buf = inp.buf;
    const start = inp.pos + 1;
    inp.pos = cr + 2;
    this.#scan = 0;
    switch (type) {
      case 0x2b /* + */:
        return { type: 'simple', value: cr - start <= 8 ? shortString(buf, start, cr - start) : buf.latin1Slice(start, cr) };
      case 0x2d /* - */:
        return { type: 'error', value: buf.latin1Slice(start, cr), blob: false };
      case 0x3a /* : */:
        return this.#integer(buf, start, cr);
      case 0x24 /* $ */:
      case 0x3d /* = */:
      case 0x21 /* ! */:
        return this.#bulkHeader(type, buf, start, cr);
      case 0x2a /* * */:
      case 0x7e /* ~ */:
      case 0x3e /* > */:
      case 0x25 /* % */:
      case 0x7c /* | */:
        return this.#aggregateHeader(type, buf, start, cr);
      case 0x5f /* _ */:
        if (cr !== start) return this.#fail('BAD_NULL', start);
        return { type: 'null', from: '_' };
      case 0x23 /* # */: {
        const c = cr === start + 1 ? buf[start] : 0;
        if (c !== 0x74 && c !== 0x66) return this.#fail('BAD_BOOLEAN', start);
        return { type: 'bool', value: c === 0x74 };
      }
      case 0x2c /* , */: {
        const raw = buf.latin1Slice(start, cr);
        const value = parseDouble(raw);
        if (value === null) return this.#fail('BAD_DOUBLE', start);
        return { type: 'double', value, raw };
      }
      case 0x28 /* ( */: {
        const raw = buf.latin1Slice(start, cr);
        if (!/^[+-]?\d+$/.test(raw)) return this.#fail('BAD_BIG_NUMBER', start);
        return { type: 'bigNumber', value: BigInt(raw) };
      }
      default:
        return this.#fail('BAD_TYPE', start - 1);
    }
  }

  /**
   * Index of the CR ending the line at pos, once the LF after it has arrived; -1 when more bytes are needed or
   * the line is bad (error set). Resumes its search where the previous call stopped.
   */
  #lineEnd(): number {
    const inp = this.#in;
    const max = this.limits.maxLineLength;
    const from = inp.pos + (this.#scan > 0 ? this.#scan : 1); // the line starts after the type byte
    const limit = Math.min(inp.len, inp.pos + 1 + max + 1);
    let cr = from < limit ? inp.buf.indexOf(0x0d, from) : -1;
    if (cr >= limit) cr = -1;
    if (cr === -1) {
      this.#scan = Math.max(0, limit - inp.pos);
      if (inp.len - inp.pos > max + 1) this.#fail('LINE_TOO_LONG', inp.pos);
      return -1;
    }
    this.#scan = cr - inp.pos;
    if (cr + 1 >= inp.len) return -1;
    if (inp.buf[cr + 1] !== 0x0a) {
      this.#fail('EXPECTED_CRLF', cr);
      return -1;
    }
    return cr;
  }

  #integer(buf: Buffer, start: number, end: number): RespValue<B> | undefined {
    let i = start;
    const neg = buf[i] === 0x2d;
    if (neg || buf[i] === 0x2b) i++;
    if (i >= end || end - i > 19) return this.#fail('BAD_INTEGER', start);
    let n = 0;
    for (let j = i; j < end; j++) {
      const c = buf[j]! - 48;
      if (c < 0 || c > 9) return this.#fail('BAD_INTEGER', start);
      n = n * 10 + c;
    }
    if (n <= Number.MAX_SAFE_INTEGER) return { type: 'integer', value: neg ? -n : n };
    const big = BigInt(buf.latin1Slice(i, end));
    if (big > 9223372036854775807n + (neg ? 1n : 0n)) return this.#fail('BAD_INTEGER', start);
    return { type: 'integer', value: neg ? -big : big };
  }

  #length(buf: Buffer, start: number, end: number): number {
    if (start >= end || end - start > 15) return -2;
    let n = 0;
    for (let j = start; j < end; j++) {
      const c = buf[j]! - 48;
      if (c < 0 || c > 9) return end - start === 2 && buf[start] === 0x2d && buf[start + 1] === 0x31 ? -1 : -2;
      n = n * 10 + c;
    }
    return n;
  }

  #bulkHeader(type: number, buf: Buffer, start: number, end: number): RespValue<B> | undefined {
    const n = this.#length(buf, start, end);
    if (n === -1 && type === 0x24) return { type: 'null', from: '$' };
    if (n < 0) return this.#fail('BAD_LENGTH', start);
    const cap = this.#buffers ? bufferConstants.MAX_LENGTH : bufferConstants.MAX_STRING_LENGTH;
    if (n > this.limits.maxBulkLen || n > cap) return this.#fail('BULK_TOO_BIG', start);
    if (type === 0x3d && n < 4) return this.#fail('BAD_VERBATIM', start);
    this.#bulkType = type;
    this.#bulkLen = n;
    return this.#payload();
  }

  /** The payload of the bulk-like item whose header was read, once all of it (and its CRLF) is here. */
  #payload(): RespValue<B> | undefined {
    const n = this.#bulkLen;
    const inp = this.#in;
    let data: Buffer;
    let at: number;
    let owned = false;
    if (this.#parts !== null) {
      if (this.#partsFill < n + 2) return undefined;
      data = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#partsFill);
      at = 0;
      this.#parts = null;
      this.#partsFill = 0;
    } else {
      const avail = inp.len - inp.pos;
      if (avail < n + 2) {
        if (n >= BIG_PAYLOAD) {
          // moved out of the input buffer (copied if it is ours); feed() adds the rest by reference
          this.#parts = avail > 0 ? [inp.takeRest()] : [];
          this.#partsFill = avail;
          inp.release();
          this.#scan = 0;
        }
        return undefined;
      }
      data = inp.buf;
      at = inp.pos;
      owned = inp.owned;
      inp.pos += n + 2;
    }
    if (data[at + n] !== 0x0d || data[at + n + 1] !== 0x0a) return this.#fail('EXPECTED_CRLF', -1);
    const type = this.#bulkType;
    this.#bulkLen = -1;
    if (type === 0x21) return { type: 'error', value: data.latin1Slice(at, at + n), blob: true };
    if (type === 0x3d) {
      if (data[at + 3] !== 0x3a) return this.#fail('BAD_VERBATIM', -1);
      return { type: 'verbatim', format: data.latin1Slice(at, at + 3), value: this.#bytes(data, at + 4, at + n, owned) };
    }
    return { type: 'bulk', value: this.#bytes(data, at, at + n, owned) };
  }

  #bytes(data: Buffer, start: number, end: number, owned: boolean): B {
    if (!this.#buffers) return (end - start <= 8 ? shortString(data, start, end - start) : data.latin1Slice(start, end)) as B;
    if (!owned) return data.subarray(start, end) as B; // a view of a fed chunk, which nobody writes to again
    // our own input buffer gets reused: copy out of it
    const out = Buffer.allocUnsafe(end - start);
    data.copy(out, 0, start, end);
    return out as B;
  }

  #aggregateHeader(type: number, buf: Buffer, start: number, end: number): RespValue<B> | null | undefined {
    const n = this.#length(buf, start, end);
    if (n === -1 && type === 0x2a) return { type: 'null', from: '*' };
    if (n < 0) return this.#fail('BAD_LENGTH', start);
    if (n > this.limits.maxAggregateLen) return this.#fail('AGGREGATE_TOO_BIG', start);
    const kind = AGGREGATE[type]!;
    const pairsOf = kind === 'map' || kind === 'attribute';
    const frame: Frame<B> = { type: kind, remaining: pairsOf ? n * 2 : n, items: [], attributes: undefined, pending: undefined };
    if (frame.remaining === 0) {
      if (kind === 'attribute') return null; // an empty attribute annotates nothing
      return build(frame);
    }
    if (this.#stack.length >= this.limits.maxDepth) return this.#fail('TOO_DEEP', start);
    if (kind !== 'attribute') {
      // attributes read at this level annotate this aggregate, not its first element
      const top = this.#stack[this.#stack.length - 1];
      if (top === undefined) {
        frame.attributes = this.#topPending;
        this.#topPending = undefined;
      } else {
        frame.attributes = top.pending;
        top.pending = undefined;
      }
    }
    this.#stack.push(frame);
    return null;
  }

  #fail(code: DecodeErrorCode, at: number): undefined {
    const offset = this.#fed - (this.#in.len - (at >= 0 ? at : this.#in.pos));
    this.error = new RespDecodeError(code, offset);
    this.#in.clear();
    this.#parts = null;
    this.#partsFill = 0;
    this.#stack = [];
    this.#topPending = undefined;
    return undefined;
  }
}

/** The value an aggregate frame stands for; null for an attribute (which is not a value). */
function build<B extends string | Buffer>(f: Frame<B>): RespValue<B> | null {
  let v: RespValue<B>;
  switch (f.type) {
    case 'attribute':
      return null;
    case 'map':
      v = { type: 'map', entries: pairs(f.items) };
      break;
    default:
      v = { type: f.type, items: f.items };
  }
  if (f.attributes !== undefined) v.attributes = f.attributes;
  return v;
}

function pairs<B extends string | Buffer>(items: RespValue<B>[]): RespEntries<B> {
  const out: RespEntries<B> = [];
  for (let i = 0; i + 1 < items.length; i += 2) out.push([items[i]!, items[i + 1]!]);
  return out;
}

function parseDouble(raw: string): number | null {
  if (DOUBLE_RE.test(raw)) return Number(raw);
  switch (raw.toLowerCase()) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
    case '-nan':
      return NaN;
    default:
      return null;
  }
}
