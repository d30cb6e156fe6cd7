/**
 * The replication stream as a replica consumes it (networking.c processInputBuffer/commandProcessed for the master
 * client), push-style and I/O-free.
 *
 * - The stream is RESP arrays; an inline command from the master is stream corruption (processInlineBuffer drops
 *   the link), except empty lines, which are keepalives and are counted like any other byte.
 * - Offsets: `readOffset` counts every byte received (slave_read_repl_offset). After each completely executed
 *   command outside MULTI, everything read up to its end is credited (`appliedOffset`, slave_repl_offset); a
 *   MULTI … EXEC block is credited only once EXEC ran. Exactly the credited bytes go to the replica's own backlog
 *   and sub-replicas, so a chain carries the byte-identical stream.
 * - The handler runs each command before it is credited, so while `REPLCONF GETACK` executes, `appliedOffset`
 *   is the offset before the GETACK — what a 7.0 replica reports in its immediate ACK.
 */
import { RequestParser } from '../../../resp/request-parser.js';

export interface StreamHandler {
  /** Execute one command from the master (no reply goes back; the caller suppresses it). */
  command(argv: string[]): void;
  /** Bytes credited since the last call, ending at stream offset `offset`; called at most once per feed. */
  applied(raw: Buffer, offset: number): void;
  /** The stream is corrupt; the link must be dropped. */
  error(reason: string): void;
}

export class StreamReader {
  readonly #parser = new RequestParser({ maxBulkLen: Number.MAX_SAFE_INTEGER, maxMultibulkLen: Number.MAX_SAFE_INTEGER });
  /** Received, not yet credited bytes, oldest first. */
  #raw: Buffer[] = [];
  #rawLen = 0;
  /** Bytes the parser had consumed at the last credit. */
  #creditedConsumed = 0;
  #inMulti = false;
  #failed = false;
  readOffset: number;
  appliedOffset: number;

  /** Start right after stream byte `offset` (the +FULLRESYNC offset, or the cached offset on +CONTINUE). */
  constructor(offset: number) {
    this.readOffset = offset;
    this.appliedOffset = offset;
  }

  /** The master's DB context is the handler's business; here only MULTI/EXEC framing matters. */
  get inMulti(): boolean {
    return this.#inMulti;
  }

  feed(chunk: Buffer, h: StreamHandler): void {
    if (this.#failed || chunk.length === 0) return;
    this.readOffset += chunk.length;
    this.#raw.push(chunk);
    this.#rawLen += chunk.length;
    const p = this.#parser;
    p.feed(chunk);
    let credit = 0;
    for (;;) {
      const before = p.consumed;
      const startByte = this.#byteAt(before - this.#creditedConsumed);
      const argv = p.next();
      if (argv === null) break;
      if (argv.length === 0) continue; // keepalive newline: counted with the next credit
      if (startByte !== 0x2a /* '*' */) {
        this.#failed = true;
        h.error('Master using the inline protocol. Desync?');
        return;
      }
      h.command(argv);
      if (this.#failed) return;
      const name = argv[0]!.toLowerCase();
      if (name === 'multi') this.#inMulti = true;
      else if (name === 'exec' || name === 'discard') this.#inMulti = false;
      if (!this.#inMulti) {
        credit = p.consumed - this.#creditedConsumed;
        this.appliedOffset = this.readOffset - this.#rawLen + credit;
      }
    }
    if (p.error !== null) {
      this.#failed = true;
      h.error(p.error.reply);
      return;
    }
    if (credit > 0) {
      this.#creditedConsumed += credit;
      h.applied(this.#take(credit), this.appliedOffset);
    }
  }

  /** Stop processing (the link is being dropped). */
  fail(): void {
    this.#failed = true;
  }

  #byteAt(i: number): number {
    for (const b of this.#raw) {
      if (i < b.length) return b[i]!;
      i -= b.length;
    }
    return -1;
  }

  #take(n: number): Buffer {
    this.#rawLen -= n;
    const first = this.#raw[0]!;
    if (first.length === n) {
      this.#raw.shift();
      return first;
    }
    if (first.length > n) {
      this.#raw[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let pos = 0;
    while (pos < n) {
      const b = this.#raw[0]!;
      const k = Math.min(b.length, n - pos);
      b.copy(out, pos, 0, k);
      pos += k;
      if (k === b.length) this.#raw.shift();
      else this.#raw[0] = b.subarray(k);
    }
    return out;
  }
}
