/**
 * The byte layer of the RDB writer: length and string encodings (rdb.c rdbSaveLen, rdbSaveRawString,
 * rdbSaveLzfBlob), expiry and double encodings, and chunked output with a running CRC-64.
 *
 * Output goes to a sink in chunks (64 KB by default) as it is produced, so a caller can stream a snapshot to a file
 * or a replica socket without holding the whole RDB in memory. With a ChunkPool the chunks come from the pool
 * (and the chunk size is the pool's); each chunk is emitted once, as one view, and never touched again by the
 * encoder, so the sink may give it back to the pool as soon as it has written it.
 */
import type { ChunkPool } from './chunk-pool.js';
import { Crc64 } from './crc64.js';
import { parseStrictInt } from './int-string.js';
import { lzfCompress } from './lzf.js';
import { RDB_32BITLEN, RDB_64BITLEN, RDB_ENC_INT16, RDB_ENC_INT32, RDB_ENC_INT8, RDB_ENC_LZF, RDB_ENCVAL } from './rdb-constants.js';

export type ChunkSink = (chunk: Buffer) => void;

export const DEFAULT_CHUNK_SIZE = 64 * 1024;

/** Strings up to this length are copied into the chunk by a JS loop (see string()). */
const SHORT_STRING = 32;

export class RdbEncoder {
  /** rdbcompression: try LZF on strings longer than 20 bytes. */
  readonly compression: boolean;
  readonly #crc: Crc64 | null;
  readonly #sink: ChunkSink;
  readonly #chunkSize: number;
  readonly #pool: ChunkPool | null;
  #buf: Buffer;
  #pos = 0;
  #written = 0;

  constructor(sink: ChunkSink, opts: { compression: boolean; checksum: boolean; chunkSize?: number; pool?: ChunkPool }) {
    this.compression = opts.compression;
    this.#crc = opts.checksum ? new Crc64() : null;
    this.#sink = sink;
    this.#pool = opts.pool ?? null;
    this.#chunkSize = this.#pool?.size ?? opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.#buf = this.#newChunk();
  }

  #newChunk(): Buffer {
    return this.#pool !== null ? this.#pool.take() : Buffer.allocUnsafe(this.#chunkSize);
  }

  /** Bytes produced so far (flushed or buffered). */
  get bytesWritten(): number {
    return this.#written + this.#pos;
  }

  /** Bytes buffered and not yet handed to the sink. */
  get buffered(): number {
    return this.#pos;
  }

  /** Hand everything buffered to the sink. */
  flush(): void {
    if (this.#pos === 0) return;
    const out = this.#buf.subarray(0, this.#pos);
    this.#emit(out);
    this.#buf = this.#newChunk();
    this.#pos = 0;
  }

  #emit(out: Buffer): void {
    this.#crc?.update(out);
    this.#written += out.length;
    this.#sink(out);
  }

  #ensure(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    this.flush();
    if (n > this.#buf.length) this.#buf = Buffer.allocUnsafe(n);
  }

  byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#pos++] = b;
  }

  /** Raw bytes. Large buffers bypass the chunk (no copy). */
  bytes(data: Buffer): void {
    if (data.length >= this.#chunkSize >>> 1) {
      this.flush();
      this.#emit(data);
      return;
    }
    this.#ensure(data.length);
    data.copy(this.#buf, this.#pos);
    this.#pos += data.length;
  }

  /** Raw bytes, always copied (across chunk boundaries as needed), so the caller may reuse `data` at once. */
  copyBytes(data: Buffer): void {
    let off = 0;
    while (off < data.length) {
      if (this.#pos === this.#buf.length) this.flush();
      const n = Math.min(data.length - off, this.#buf.length - this.#pos);
      data.copy(this.#buf, this.#pos, off, off + n);
      this.#pos += n;
      off += n;
    }
  }

  /** rdbSaveLen: the shortest of the 6-bit, 14-bit, 32-bit and 64-bit forms. */
  length(n: number): void {
    this.#ensure(9);
    const b = this.#buf;
    if (n < 64) {
      b[this.#pos++] = n;
    } else if (n < 16384) {
      b[this.#pos++] = 0x40 | (n >>> 8);
      b[this.#pos++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      b[this.#pos++] = RDB_32BITLEN;
      b.writeUInt32BE(n, this.#pos);
      this.#pos += 4;
    } else {
      b[this.#pos++] = RDB_64BITLEN;
      b.writeBigUInt64BE(BigInt(n), this.#pos);
      this.#pos += 8;
    }
  }

  /** rdbSaveRawString for a byte string: integer encoding, then LZF, then verbatim. */
  string(s: string): void {
    const len = s.length;
    if (len <= 11 && len > 0 && this.#tryInt(s)) return;
    if (this.compression && len > 20 && this.#tryLzf(Buffer.from(s, 'latin1'))) return;
    this.length(len);
    if (len === 0) return;
    if (len >= this.#chunkSize >>> 1) {
      this.bytes(Buffer.from(s, 'latin1'));
      return;
    }
    this.#ensure(len);
    if (len > SHORT_STRING) {
      this.#pos += this.#buf.latin1Write(s, this.#pos, len);
      return;
    }
    // short strings (most keys and values): a JS loop beats the latin1Write binding call ~2x (bench/persistence-
    // snapshot-cpu.ts); storing a char code into a byte keeps its low 8 bits, as latin1Write does
    const b = this.#buf;
    const p = this.#pos;
    for (let i = 0; i < len; i++) b[p + i] = s.charCodeAt(i);
    this.#pos = p + len;
  }

  /** rdbSaveRawString for binary data (listpack, intset and ziplist blobs): LZF when it saves space, else verbatim. */
  blob(data: Buffer): void {
    if (this.compression && data.length > 20 && this.#tryLzf(data)) return;
    this.length(data.length);
    this.bytes(data);
  }

  /** An integer as Redis's rdbSaveLongLongAsStringObject writes it (used for AUX numbers). */
  integerString(v: number): void {
    if (!this.#writeInt(v)) this.string(String(v));
  }

  #tryInt(s: string): boolean {
    const c = s.charCodeAt(0);
    if (c !== 0x2d && (c < 0x30 || c > 0x39)) return false;
    const v = parseStrictInt(s);
    return typeof v === 'number' && this.#writeInt(v);
  }

  /** rdbEncodeInteger: int8/int16/int32 little-endian after an RDB_ENCVAL marker. */
  #writeInt(v: number): boolean {
    if (!Number.isInteger(v)) return false;
    this.#ensure(5);
    const b = this.#buf;
    if (v >= -128 && v <= 127) {
      b[this.#pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
      b.writeInt8(v, this.#pos);
      this.#pos += 1;
    } else if (v >= -32768 && v <= 32767) {
      b[this.#pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
      b.writeInt16LE(v, this.#pos);
      this.#pos += 2;
    } else if (v >= -2147483648 && v <= 2147483647) {
      b[this.#pos++] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
      b.writeInt32LE(v, this.#pos);
      this.#pos += 4;
    } else {
      return false;
    }
    return true;
  }

  /** rdbSaveLzfStringObject: only when at least 4 bytes are saved. */
  #tryLzf(data: Buffer): boolean {
    const out = lzfCompress(data, data.length - 4);
    if (out === null) return false;
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.length(out.length);
    this.length(data.length);
    this.bytes(out);
    return true;
  }

  /** An already LZF-compressed blob (rdbSaveLzfBlob). */
  lzfBlob(compressed: Buffer, originalLength: number): void {
    this.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
    this.length(compressed.length);
    this.length(originalLength);
    this.bytes(compressed);
  }

  /** rdbSaveMillisecondTime: int64 little-endian. */
  millis(ms: number): void {
    this.#ensure(8);
    const lo = ms % 4294967296;
    const hi = Math.floor(ms / 4294967296);
    this.#buf.writeUInt32LE(lo < 0 ? lo + 4294967296 : lo, this.#pos);
    this.#buf.writeInt32LE(hi, this.#pos + 4);
    this.#pos += 8;
  }

  /** rdbSaveBinaryDoubleValue: IEEE-754 little-endian. */
  binaryDouble(d: number): void {
    this.#ensure(8);
    this.#buf.writeDoubleLE(d, this.#pos);
    this.#pos += 8;
  }

  /** The 8-byte CRC trailer after EOF: the running CRC, or zeros with rdbchecksum no. */
  finishWithChecksum(): void {
    this.flush();
    const trailer = this.#crc !== null ? this.#crc.bytes() : Buffer.alloc(8);
    this.#written += 8;
    this.#sink(trailer);
  }
}
