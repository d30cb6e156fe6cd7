/**
 * RESP reply writer: encodes replies for one connection straight into a byte buffer, so a burst of pipelined
 * commands costs one socket write. The same calls produce RESP2 or RESP3 according to `proto`, mapped as Redis 7.0
 * does (networking.c addReply*): a map becomes a flat array in RESP2, a set or push a plain array, a double or big
 * number a bulk string, a boolean `:1`/`:0`, a verbatim string a bulk string, null the RESP2 null kinds (`$-1`,
 * `*-1`); attributes exist only in RESP3.
 *
 * Strings are byte strings (see common/bytes.ts): each char is one byte, written with latin1, so a string's length
 * is its byte length. Callers holding Unicode text convert with utf8ToBytes first; protocol text is ASCII.
 *
 * Memory: replies are written into a slab (16 KB, like Redis's per-client reply buffer); `take()` hands out the
 * written region as a view without copying and keeps writing after it. A taken view is never written again, so it
 * belongs to the caller; the slab is freed once every view of it has been dropped (after the socket wrote it).
 */
import { formatDouble } from './double.js';

const SLAB = 16 * 1024;
/** When take() leaves less room than this, the next reply starts a fresh slab. */
const MIN_ROOM = 512;
const CR = 0x0d;
const LF = 0x0a;

export class RespWriter {
  proto: 2 | 3 = 2;
  #buf: Buffer;
  #start = 0; // first byte not yet taken
  #pos = 0; // end of what is written

  constructor(initialSize = SLAB) {
    this.#buf = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes written and not yet taken. Also the mark for `truncate` and deferred lengths. */
  get length(): number {
    return this.#pos - this.#start;
  }

  /** Hand over everything written since the last take (the caller may keep it), or null if nothing. */
  take(): Buffer | null {
    if (this.#pos === this.#start) return null;
    const out = this.#buf.subarray(this.#start, this.#pos);
    if (this.#buf.length - this.#pos < MIN_ROOM || this.#buf.length > 4 * SLAB) {
      this.#buf = Buffer.allocUnsafe(SLAB); // don't pin a huge buffer for the next small reply
      this.#pos = 0;
    }
    this.#start = this.#pos;
    return out;
  }

  /** Drop everything written after `mark` (a `length` read earlier), e.g. to undo a partially written reply. */
  truncate(mark: number): void {
    if (mark >= 0 && mark < this.#pos - this.#start) this.#pos = this.#start + mark;
  }

  #ensure(extra: number): void {
    if (this.#pos + extra <= this.#buf.length) return;
    const pending = this.#pos - this.#start;
    // geometric growth keeps a long reply built from many small writes O(n)
    const next = Buffer.allocUnsafe(Math.max(SLAB, pending * 2 + extra));
    this.#buf.copy(next, 0, this.#start, this.#pos);
    this.#buf = next;
    this.#start = 0;
    this.#pos = pending;
  }

  /** `<prefix><n>\r\n` for an integer n (lengths, counts, integer replies). */
  #header(prefix: number, n: number): void {
    this.#ensure(24);
    const buf = this.#buf;
    let pos = this.#pos;
    buf[pos++] = prefix;
    if (n < 0) {
      buf[pos++] = 0x2d;
      n = -n;
    }
    if (n < 10) {
      buf[pos++] = 48 + n;
    } else if (n < 1e15) {
      let digits = 1;
      for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
      pos += digits;
      for (let i = pos - 1, t = n; t > 0; i--, t = Math.floor(t / 10)) buf[i] = 48 + (t % 10);
    } else {
      pos += buf.latin1Write(n.toString(), pos);
    }
    buf[pos++] = CR;
    buf[pos++] = LF;
    this.#pos = pos;
  }

  /** `<prefix><text>\r\n` where text has no CR/LF. */
  #line(prefix: number, s: string): void {
    this.#ensure(s.length + 3);
    const buf = this.#buf;
    buf[this.#pos] = prefix;
    this.#pos += 1 + buf.latin1Write(s, this.#pos + 1);
    buf[this.#pos++] = CR;
    buf[this.#pos++] = LF;
  }

  #ascii(s: string): void {
    this.#ensure(s.length);
    if (s.length < 16) {
      const buf = this.#buf;
      let pos = this.#pos;
      for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
      this.#pos = pos;
    } else {
      this.#pos += this.#buf.latin1Write(s, this.#pos);
    }
  }

  #payload(s: string | Buffer): void {
    const buf = this.#buf;
    if (typeof s !== 'string') {
      s.copy(buf, this.#pos);
      this.#pos += s.length;
    } else if (s.length < 16) {
      // short strings: a loop beats the native call
      let pos = this.#pos;
      for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
      this.#pos = pos;
    } else {
      this.#pos += buf.latin1Write(s, this.#pos);
    }
    buf[this.#pos++] = CR;
    buf[this.#pos++] = LF;
  }

  /** Pre-encoded bytes, written as they are (a string is taken as a byte string). */
  raw(data: Buffer | string): void {
    if (typeof data === 'string') {
      this.#ascii(data);
    } else {
      this.#ensure(data.length);
      data.copy(this.#buf, this.#pos);
      this.#pos += data.length;
    }
  }

  ok(): void {
    this.#ascii('+OK\r\n');
  }

  /** `+s`. The text must not contain CR or LF (they would break framing; they become spaces, as Redis does). */
  simple(s: string): void {
    this.#line(0x2b, sanitizeLine(s));
  }

  /** `-s`, where s starts with the error code: `ERR ...`, `WRONGTYPE ...`. CR/LF become spaces (addReplyErrorFormat). */
  error(s: string): void {
    this.#line(0x2d, sanitizeLine(s));
  }

  /** `:n`; a non-integral number is truncated. */
  int(n: number | bigint): void {
    if (typeof n === 'bigint') this.#line(0x3a, n.toString());
    else if (Number.isSafeInteger(n)) this.#header(0x3a, n);
    else this.#line(0x3a, Number.isFinite(n) ? BigInt(Math.trunc(n)).toString() : '0');
  }

  bulk(s: string | Buffer): void {
    this.#header(0x24, s.length);
    this.#ensure(s.length + 2);
    this.#payload(s);
  }

  /** Null bulk string: `$-1` in RESP2, `_` in RESP3. */
  nil(): void {
    this.#ascii(this.proto === 3 ? '_\r\n' : '$-1\r\n');
  }

  /** Null array: `*-1` in RESP2, `_` in RESP3. */
  nilArray(): void {
    this.#ascii(this.proto === 3 ? '_\r\n' : '*-1\r\n');
  }

  array(n: number): void {
    this.#header(0x2a, n);
  }

  /** A map of n pairs: `%n` in RESP3, a flat array of 2n elements in RESP2. */
  map(n: number): void {
    if (this.proto === 3) this.#header(0x25, n);
    else this.#header(0x2a, n * 2);
  }

  set(n: number): void {
    this.#header(this.proto === 3 ? 0x7e : 0x2a, n);
  }

  /** Out-of-band push (pub/sub messages): `>n` in RESP3, a plain array in RESP2. */
  push(n: number): void {
    this.#header(this.proto === 3 ? 0x3e : 0x2a, n);
  }

  /**
   * Attribute map of n pairs (`|n`), RESP3 only. Returns whether the caller must now write the 2n elements:
   * false in RESP2, where Redis never sends attributes (addReplyAttributeLen asserts resp >= 3).
   */
  attribute(n: number): boolean {
    if (this.proto !== 3) return false;
    this.#header(0x7c, n);
    return true;
  }

  /** Double as Redis 7.0 formats it (%.17g, inf/-inf): `,d` in RESP3, a bulk string in RESP2. */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.proto === 3) this.#line(0x2c, s);
    else this.bulk(s);
  }

  bool(b: boolean): void {
    if (this.proto === 3) this.#ascii(b ? '#t\r\n' : '#f\r\n');
    else this.#ascii(b ? ':1\r\n' : ':0\r\n');
  }

  /** Big number (decimal digits): `(n` in RESP3, a bulk string in RESP2. */
  bigNumber(s: string): void {
    if (this.proto === 3) this.#line(0x28, s);
    else this.bulk(s);
  }

  /** Verbatim string (`=len\r\ntxt:...`) in RESP3, a bulk string in RESP2 (INFO, CLIENT LIST, ...). */
  verbatim(s: string, format: 'txt' | 'mkd' = 'txt'): void {
    if (this.proto !== 3) return this.bulk(s);
    this.#header(0x3d, s.length + 4);
    this.#ensure(s.length + 6);
    this.#pos += this.#buf.latin1Write(format, this.#pos);
    this.#buf[this.#pos++] = 0x3a;
    this.#payload(s);
  }

  /** Convenience: array of bulk strings (null elements become null bulks). */
  bulkArray(items: readonly (string | Buffer | null)[]): void {
    this.array(items.length);
    for (const it of items) {
      if (it === null) this.nil();
      else this.bulk(it);
    }
  }

  /**
   * Deferred aggregate length (Redis's addReplyDeferredLen): remember the position, write the elements, then
   * `setDeferred(mark, kind, n)` inserts the header before them. Returns the mark.
   */
  deferred(): number {
    return this.#pos - this.#start;
  }

  /** Completes a `deferred()` mark as an array / map (n pairs) / set of n elements, mapped per `proto`. */
  setDeferred(mark: number, kind: 'array' | 'map' | 'set', n: number): void {
    const at = this.#start + mark;
    if (mark < 0 || at > this.#pos) throw new RangeError(`RespWriter.setDeferred: mark ${mark} is past the written length`);
    const tail = this.#pos - at;
    // write the header at the end, then rotate it in front of the elements
    this.#ensure(24);
    if (kind === 'map') this.map(n);
    else if (kind === 'set') this.set(n);
    else this.array(n);
    const start = this.#start + mark; // #ensure may have moved the buffer
    const headerLen = this.#pos - start - tail;
    const header = Buffer.from(this.#buf.subarray(this.#pos - headerLen, this.#pos));
    this.#buf.copyWithin(start + headerLen, start, start + tail);
    header.copy(this.#buf, start);
  }
}

function sanitizeLine(s: string): string {
  return s.indexOf('\r') === -1 && s.indexOf('\n') === -1 ? s : s.replace(/[\r\n]/g, ' ');
}
