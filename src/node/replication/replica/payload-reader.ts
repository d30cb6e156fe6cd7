/**
 * The full-sync payload as a replica receives it (replication.c readSyncBulkPayload), push-style and I/O-free:
 *
 *   [\n keepalives] `$<len>\r\n` <len RDB bytes>                       disk-based (no trailing CRLF)
 *   [\n keepalives] `$EOF:<40-char mark>\r\n` <RDB bytes> <mark>       diskless
 *
 * A `-<error>` header means the master aborted. Anything after the payload is replication stream and is handed
 * back untouched. A 7.0 replica detects the EOF form only when at least 40 characters follow `$EOF:`.
 *
 * The mark is searched across chunk boundaries, holding back the last 39 bytes until it is clear they are data:
 * a Redis master sends nothing after the mark until our first ACK, but a chunk may still end anywhere.
 */
import { REPLID_LEN } from '../wire.js';

export type PayloadEvent =
  | { readonly kind: 'keepalive' }
  /** Header read: the size, or null in the EOF-marked form. */
  | { readonly kind: 'start'; readonly size: number | null }
  | { readonly kind: 'data'; readonly chunk: Buffer }
  /** Payload complete; `rest` is what followed it (stream bytes). */
  | { readonly kind: 'end'; readonly rest: Buffer }
  | { readonly kind: 'error'; readonly reason: string };

/** Headers longer than this without a newline are garbage (Redis reads the header line into a 1 KB buffer). */
const MAX_HEADER = 1024;

export class PayloadReader {
  #phase: 'header' | 'sized' | 'marked' | 'done' | 'failed' = 'header';
  #pending: Buffer = Buffer.alloc(0);
  #left = 0;
  #mark: Buffer | null = null;
  /** Bytes received since the header (the RDB, and the mark in the EOF form): INFO master_sync_read_bytes. */
  readBytes = 0;
  /** master_sync_total_bytes: -1 before the header, 0 in the EOF form (size unknown), else the length. */
  totalBytes = -1;

  get done(): boolean {
    return this.#phase === 'done';
  }

  feed(chunk: Buffer, emit: (e: PayloadEvent) => void): void {
    if (this.#phase === 'done' || this.#phase === 'failed') return;
    // held-back bytes of the EOF form were already counted in readBytes
    const heldBefore = this.#phase === 'marked' ? this.#pending.length : 0;
    let buf = this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : chunk;
    this.#pending = Buffer.alloc(0);
    while (this.#phase === 'header') {
      const nl = buf.indexOf(0x0a);
      if (nl === -1) {
        if (buf.length > MAX_HEADER) return this.#fail(emit, 'Bad protocol from MASTER: payload header too long');
        this.#pending = buf;
        return;
      }
      const line = buf.latin1Slice(0, nl > 0 && buf[nl - 1] === 0x0d ? nl - 1 : nl);
      buf = buf.subarray(nl + 1);
      if (line.length === 0) {
        emit({ kind: 'keepalive' });
        continue;
      }
      if (line[0] === '-') return this.#fail(emit, `MASTER aborted replication with an error: ${line.slice(1)}`);
      if (line[0] !== '$') {
        return this.#fail(emit, `Bad protocol from MASTER, the first byte is not '$' (we received '${line}')`);
      }
      if (line.startsWith('$EOF:') && line.length - 5 >= REPLID_LEN) {
        this.#mark = Buffer.from(line.slice(5, 5 + REPLID_LEN), 'latin1');
        this.#phase = 'marked';
        this.totalBytes = 0;
        emit({ kind: 'start', size: null });
      } else {
        const size = strtol(line.slice(1));
        if (size < 0) return this.#fail(emit, `Bad protocol from MASTER: invalid payload length '${line}'`);
        this.#left = size;
        this.#phase = 'sized';
        this.totalBytes = size;
        emit({ kind: 'start', size });
      }
    }
    if (this.#phase === 'sized') {
      const n = Math.min(this.#left, buf.length);
      if (n > 0) emit({ kind: 'data', chunk: buf.subarray(0, n) });
      this.#left -= n;
      this.readBytes += n;
      if (this.#left === 0) {
        this.#phase = 'done';
        emit({ kind: 'end', rest: buf.subarray(n) });
      }
      return;
    }
    // marked: bytes count as read when they arrive (repl_transfer_read), held-back ones included
    const mark = this.#mark!;
    this.readBytes += buf.length - heldBefore;
    const at = buf.indexOf(mark);
    if (at !== -1) {
      if (at > 0) emit({ kind: 'data', chunk: buf.subarray(0, at) });
      const rest = buf.subarray(at + REPLID_LEN);
      this.readBytes -= rest.length;
      this.#phase = 'done';
      emit({ kind: 'end', rest });
      return;
    }
    // keep a possible partial mark at the end
    const hold = Math.min(buf.length, REPLID_LEN - 1);
    const safe = buf.length - hold;
    if (safe > 0) emit({ kind: 'data', chunk: buf.subarray(0, safe) });
    this.#pending = Buffer.from(buf.subarray(safe));
  }

  #fail(emit: (e: PayloadEvent) => void, reason: string): void {
    this.#phase = 'failed';
    this.#pending = Buffer.alloc(0);
    emit({ kind: 'error', reason });
  }
}

/** strtol(s, NULL, 10) as readSyncBulkPayload uses it on `$<len>`: leading digits, -1 when there are none. */
function strtol(s: string): number {
  const m = /^\s*(-?\d+)/.exec(s);
  return m === null ? -1 : Number(m[1]);
}
