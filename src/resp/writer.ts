/**
 * RESP reply writer: encodes replies for one connection straight into a growing byte buffer, so a burst of
 * pipelined commands costs one socket write. The same calls produce RESP2 or RESP3 according to `proto`
 * (a map becomes a flat array in RESP2, a double a bulk string, a boolean an integer, null the RESP2 null kinds).
 *
 * Strings are byte strings (see common/bytes.ts): each char is one byte, written with latin1. Callers holding
 * Unicode text convert with utf8ToBytes first; protocol text is ASCII and needs nothing.
 */
import { formatDouble } from './double.js';

const CRLF = 0x0a0d; // little-endian "\r\n" for writeUInt16LE

export class RespWriter {
  proto: 2 | 3 = 2;
  #buf: Buffer;
  #pos = 0;

  constructor(initialSize = 16 * 1024) {
    this.#buf = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes currently buffered. */
  get length(): number {
    return this.#pos;
  }

  /** Hand over everything buffered (a fresh Buffer the caller may keep) and start empty; null if nothing. */
  take(): Buffer | null {
    if (this.#pos === 0) return null;
    const out = Buffer.allocUnsafe(this.#pos);
    this.#buf.copy(out, 0, 0, this.#pos);
    this.#pos = 0;
    if (this.#buf.length > 1024 * 1024) this.#buf = Buffer.allocUnsafe(16 * 1024); // don't pin a huge buffer
    return out;
  }

  /** Drop everything written after `mark` (used to undo a partially written reply). */
  truncate(mark: number): void {
    if (mark < this.#pos) this.#pos = mark;
  }

  #ensure(extra: number): void {
    const need = this.#pos + extra;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  #ascii(s: string): void {
    this.#ensure(s.length);
    this.#pos += this.#buf.latin1Write(s, this.#pos);
  }

  #line(prefix: string, s: string): void {
    this.#ensure(s.length + 3);
    this.#pos += this.#buf.latin1Write(prefix, this.#pos);
    this.#pos += this.#buf.latin1Write(s, this.#pos);
    this.#buf.writeUInt16LE(CRLF, this.#pos);
    this.#pos += 2;
  }

  /** Pre-encoded bytes, written as they are. */
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

  /** `+s`. The text must not contain CR or LF (Redis replaces them with spaces; so do we). */
  simple(s: string): void {
    this.#line('+', sanitizeLine(s));
  }

  /** `-s`, where s starts with the error code: `ERR ...`, `WRONGTYPE ...`. */
  error(s: string): void {
    this.#line('-', sanitizeLine(s));
  }

  int(n: number | bigint): void {
    this.#line(':', typeof n === 'bigint' ? n.toString() : Number.isInteger(n) ? n.toString() : Math.trunc(n).toString());
  }

  bulk(s: string | Buffer): void {
    if (typeof s === 'string') {
      const len = s.length;
      this.#ensure(len + 16);
      this.#pos += this.#buf.latin1Write('$' + len + '\r\n', this.#pos);
      this.#pos += this.#buf.latin1Write(s, this.#pos);
    } else {
      const len = s.length;
      this.#ensure(len + 16);
      this.#pos += this.#buf.latin1Write('$' + len + '\r\n', this.#pos);
      s.copy(this.#buf, this.#pos);
      this.#pos += len;
    }
    this.#buf.writeUInt16LE(CRLF, this.#pos);
    this.#pos += 2;
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
    this.#line('*', n.toString());
  }

  /** A map of n pairs: `%n` in RESP3, a flat array of 2n elements in RESP2. */
  map(n: number): void {
    if (this.proto === 3) this.#line('%', n.toString());
    else this.#line('*', (n * 2).toString());
  }

  set(n: number): void {
    this.#line(this.proto === 3 ? '~' : '*', n.toString());
  }

  /** Out-of-band push (pub/sub messages): `>n` in RESP3, a plain array in RESP2. */
  push(n: number): void {
    this.#line(this.proto === 3 ? '>' : '*', n.toString());
  }

  /** Attribute map (RESP3 only; RESP2 clients never see it). */
  attribute(n: number): void {
    if (this.proto === 3) this.#line('|', n.toString());
  }

  /** Double as Redis 7.0 formats it (%.17g, inf/-inf): `,d` in RESP3, a bulk string in RESP2. */
  double(d: number): void {
    const s = formatDouble(d);
    if (this.proto === 3) this.#line(',', s);
    else this.bulk(s);
  }

  bool(b: boolean): void {
    if (this.proto === 3) this.#ascii(b ? '#t\r\n' : '#f\r\n');
    else this.#ascii(b ? ':1\r\n' : ':0\r\n');
  }

  bigNumber(s: string): void {
    if (this.proto === 3) this.#line('(', s);
    else this.bulk(s);
  }

  /** Verbatim string (`=len\r\ntxt:...`) in RESP3, a bulk string in RESP2 (INFO, CLIENT LIST, ...). */
  verbatim(s: string, format: 'txt' | 'mkd' = 'txt'): void {
    if (this.proto === 3) {
      const len = s.length + 4;
      this.#ascii('=' + len + '\r\n' + format + ':');
      this.#ensure(s.length + 2);
      this.#pos += this.#buf.latin1Write(s, this.#pos);
      this.#buf.writeUInt16LE(CRLF, this.#pos);
      this.#pos += 2;
    } else {
      this.bulk(s);
    }
  }

  /** Convenience: array of bulk strings (null elements become null bulks). */
  bulkArray(items: readonly (string | null)[]): void {
    this.array(items.length);
    for (const it of items) {
      if (it === null) this.nil();
      else this.bulk(it);
    }
  }
}

function sanitizeLine(s: string): string {
  // Redis's addReplyError/addReplyStatus never let CR/LF through (it would break framing).
  return s.indexOf('\r') === -1 && s.indexOf('\n') === -1 ? s : s.replace(/[\r\n]/g, ' ');
}
