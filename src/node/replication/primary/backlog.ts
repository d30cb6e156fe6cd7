/**
 * The replication backlog: the most recent `size` bytes of the replication stream, so a replica that lost its link
 * can continue from the byte it is missing (replication.c feedReplicationBacklog / addReplyReplicationBacklog).
 *
 * Offsets are 1-based stream byte numbers: the backlog holds bytes [firstByteOffset, endOffset], histlen of them.
 * Real Redis trims in 16 KB blocks so its histlen may slightly exceed the size; a ring holding exactly the last
 * `size` bytes is equivalent for the protocol (the PSYNC rule only asks "is byte N still here").
 *
 * Memory grows with use up to `size` (a 1 GB backlog on an idle master costs nothing), then the buffer turns
 * into a ring.
 */
const INITIAL_CAPACITY = 64 * 1024;

export class Backlog {
  #size: number;
  #buf: Buffer;
  /** Once wrapped, #buf has exactly `size` bytes, all of them history, and #idx is where the next byte goes
   *  (so the oldest byte is at #idx). Before that, history is #buf[0, #histlen). */
  #wrapped = false;
  #idx = 0;
  #histlen = 0;
  /** Offset of the last byte held (== master_repl_offset of the node feeding it). */
  #endOffset: number;

  /** A new backlog right after byte `endOffset` of the stream: first_byte_offset = endOffset + 1, histlen 0. */
  constructor(size: number, endOffset: number) {
    this.#size = size;
    this.#buf = Buffer.allocUnsafe(Math.min(size, INITIAL_CAPACITY));
    this.#endOffset = endOffset;
  }

  get size(): number {
    return this.#size;
  }

  get histlen(): number {
    return this.#histlen;
  }

  /** repl_backlog_first_byte_offset: the oldest byte held (endOffset + 1 while empty). */
  get firstByteOffset(): number {
    return this.#endOffset - this.#histlen + 1;
  }

  get endOffset(): number {
    return this.#endOffset;
  }

  append(data: Buffer): void {
    const n = data.length;
    if (n === 0) return;
    this.#endOffset += n;
    if (n >= this.#size) {
      // only the tail survives
      this.#ensureCapacity(this.#size);
      data.copy(this.#buf, 0, n - this.#size);
      this.#idx = 0;
      this.#histlen = this.#size;
      this.#wrapped = true;
      return;
    }
    if (!this.#wrapped) {
      // linear: content is #buf[0, #histlen)
      const need = this.#histlen + n;
      if (need > this.#buf.length && this.#buf.length < this.#size) {
        this.#ensureCapacity(Math.min(this.#size, Math.max(need, this.#buf.length * 2)));
      }
      if (need <= this.#buf.length) {
        data.copy(this.#buf, this.#histlen);
        this.#histlen = need;
        if (need === this.#size) {
          this.#wrapped = true;
          this.#idx = 0;
        }
        return;
      }
      // the buffer is at full size and this write wraps around
      this.#wrapped = true;
      this.#idx = this.#histlen;
    }
    const cap = this.#buf.length;
    const first = Math.min(n, cap - this.#idx);
    data.copy(this.#buf, this.#idx, 0, first);
    if (first < n) data.copy(this.#buf, 0, first, n);
    this.#idx = (this.#idx + n) % cap;
    this.#histlen = Math.min(cap, this.#histlen + n);
  }

  /** Whether byte `offset` onward can be served (the upper bound endOffset+1 means "nothing missing"). */
  covers(offset: number): boolean {
    return offset >= this.firstByteOffset && offset <= this.#endOffset + 1;
  }

  /** Bytes from `offset` through endOffset (empty when offset = endOffset + 1), or null if not covered. */
  bytesFrom(offset: number): Buffer | null {
    if (!this.covers(offset)) return null;
    const len = this.#endOffset + 1 - offset;
    if (len === 0) return Buffer.alloc(0);
    const out = Buffer.allocUnsafe(len);
    if (!this.#wrapped) {
      this.#buf.copy(out, 0, this.#histlen - len, this.#histlen);
      return out;
    }
    const cap = this.#buf.length;
    const start = (this.#idx - len + cap) % cap;
    const first = Math.min(len, cap - start);
    this.#buf.copy(out, 0, start, start + first);
    if (first < len) this.#buf.copy(out, first, 0, len - first);
    return out;
  }

  /** CONFIG SET repl-backlog-size: keep the newest min(histlen, newSize) bytes (resizeReplicationBacklog). */
  resize(newSize: number): void {
    if (newSize === this.#size) return;
    const keep = Math.min(this.#histlen, newSize);
    const tail = this.bytesFrom(this.#endOffset + 1 - keep) ?? Buffer.alloc(0);
    this.#size = newSize;
    this.#buf = Buffer.allocUnsafe(Math.min(newSize, Math.max(INITIAL_CAPACITY, keep)));
    this.#histlen = 0;
    this.#idx = 0;
    this.#wrapped = false;
    const end = this.#endOffset;
    this.#endOffset = end - tail.length;
    this.append(tail);
  }

  #ensureCapacity(cap: number): void {
    if (this.#buf.length >= cap) return;
    const next = Buffer.allocUnsafe(cap);
    // only called while linear, or when the whole content is about to be overwritten
    this.#buf.copy(next, 0, 0, Math.min(this.#histlen, this.#buf.length));
    this.#buf = next;
  }
}
