/**
 * The unread bytes of a stream, for the push-style decoders: `buf[pos, len)`. A chunk that arrives when nothing is
 * pending is used as it is (no copy, the common case); otherwise pending bytes and the chunk are gathered into an
 * owned buffer that grows by doubling, so input trickling in byte by byte costs O(n) overall. A released owned
 * buffer is kept (if not huge) for the next partial frame instead of allocating again.
 *
 * Fields are public for the decoders' hot loops; only the decoders touch them.
 */
const EMPTY = Buffer.alloc(0);
/** A reusable buffer larger than this is dropped rather than kept. */
const MAX_SPARE = 1024 * 1024;

export class InputBuffer {
  buf: Buffer = EMPTY;
  /** End of valid bytes in `buf` (an owned buffer has spare capacity past it). */
  len = 0;
  pos = 0;
  /** `buf` is ours: writable past `len`, and reused later, so views into it must not escape. */
  owned = false;
  #spare: Buffer | null = null;

  get available(): number {
    return this.len - this.pos;
  }

  append(chunk: Buffer): void {
    const rest = this.len - this.pos;
    if (rest === 0) {
      this.release();
      this.buf = chunk;
      this.len = chunk.length;
      return;
    }
    const need = rest + chunk.length;
    if (this.owned && need <= this.buf.length) {
      if (this.len + chunk.length > this.buf.length) {
        this.buf.copyWithin(0, this.pos, this.len);
        this.pos = 0;
        this.len = rest;
      }
      chunk.copy(this.buf, this.len);
      this.len += chunk.length;
      return;
    }
    const spare = this.#spare;
    const target = spare !== null && spare.length >= need ? spare : Buffer.allocUnsafe(Math.max(need * 2, 16 * 1024));
    this.#spare = null;
    this.buf.copy(target, 0, this.pos, this.len);
    chunk.copy(target, rest);
    this.buf = target;
    this.pos = 0;
    this.len = need;
    this.owned = true;
  }

  /** buf[pos, len) as a Buffer the caller may keep (copied out of an owned buffer, a view of a caller's chunk). */
  takeRest(): Buffer {
    const rest = this.buf.subarray(this.pos, this.len);
    const out = this.owned ? Buffer.from(rest) : rest;
    this.release();
    return out;
  }

  /** Forget the contents (all consumed or moved elsewhere), keeping an owned buffer for reuse. */
  release(): void {
    if (this.owned && this.buf.length <= MAX_SPARE) this.#spare = this.buf;
    this.buf = EMPTY;
    this.owned = false;
    this.pos = 0;
    this.len = 0;
  }

  /** Drop everything, spare included (after a fatal error). */
  clear(): void {
    this.release();
    this.#spare = null;
  }
}
