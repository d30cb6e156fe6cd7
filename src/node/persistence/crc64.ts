/**
 * CRC-64/Jones as Redis computes it (src/crc64.c): reflected polynomial 0x95AC9329AC4BC9B5, initial value 0, no
 * final XOR. It guards RDB files (over every byte from "REDIS" through the EOF opcode) and DUMP payloads.
 *
 * JavaScript has no fast 64-bit integers, so the register is kept as two uint32 halves and the table is split the
 * same way. Slicing-by-8 (eight tables, one 8-byte step per iteration, input read as 32-bit words — x86 and ARM
 * Node builds are little-endian) keeps a 1M-key save from spending its time here; bytes before the first aligned
 * word and after the last one go byte by byte.
 */

/** Word reads assume a little-endian host; elsewhere everything goes byte by byte. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

/** T[k][b] for k = 0..7, stored hi/lo in two flat arrays of 8 × 256 entries. */
const T_HI = new Uint32Array(8 * 256);
const T_LO = new Uint32Array(8 * 256);

(function buildTables(): void {
  for (let b = 0; b < 256; b++) {
    let hi = 0;
    let lo = b;
    for (let i = 0; i < 8; i++) {
      const drop = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (drop) {
        hi = (hi ^ POLY_HI) >>> 0;
        lo = (lo ^ POLY_LO) >>> 0;
      }
    }
    T_HI[b] = hi;
    T_LO[b] = lo;
  }
  // T[k][b] = T[0][T[k-1][b] & 0xff] ^ (T[k-1][b] >> 8)
  for (let k = 1; k < 8; k++) {
    for (let b = 0; b < 256; b++) {
      const phi = T_HI[(k - 1) * 256 + b]!;
      const plo = T_LO[(k - 1) * 256 + b]!;
      const idx = plo & 0xff;
      T_HI[k * 256 + b] = (T_HI[idx]! ^ (phi >>> 8)) >>> 0;
      T_LO[k * 256 + b] = (T_LO[idx]! ^ ((plo >>> 8) | (phi << 24))) >>> 0;
    }
  }
})();

/** An incremental CRC-64 register. */
export class Crc64 {
  hi = 0;
  lo = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    let hi = this.hi;
    let lo = this.lo;
    let i = start;
    // bytewise up to a 4-byte boundary, so the bulk can be read as little-endian 32-bit words
    while (i < end && ((buf.byteOffset + i) & 3) !== 0) {
      const idx = (lo ^ buf[i]!) & 0xff;
      lo = (T_LO[idx]! ^ ((lo >>> 8) | (hi << 24))) >>> 0;
      hi = (T_HI[idx]! ^ (hi >>> 8)) >>> 0;
      i++;
    }
    const words = LITTLE_ENDIAN ? ((end - i) >>> 3) << 1 : 0;
    if (words > 0) {
      const w = new Uint32Array(buf.buffer, buf.byteOffset + i, words);
      for (let k = 0; k < words; k += 2) {
        // fold 8 input bytes into the register, then look each byte up in its own table (slicing-by-8)
        const a = (lo ^ w[k]!) >>> 0;
        const b = (hi ^ w[k + 1]!) >>> 0;
        const i7 = 7 * 256 + (a & 0xff);
        const i6 = 6 * 256 + ((a >>> 8) & 0xff);
        const i5 = 5 * 256 + ((a >>> 16) & 0xff);
        const i4 = 4 * 256 + (a >>> 24);
        const i3 = 3 * 256 + (b & 0xff);
        const i2 = 2 * 256 + ((b >>> 8) & 0xff);
        const i1 = 256 + ((b >>> 16) & 0xff);
        const i0 = b >>> 24;
        hi = T_HI[i7]! ^ T_HI[i6]! ^ T_HI[i5]! ^ T_HI[i4]! ^ T_HI[i3]! ^ T_HI[i2]! ^ T_HI[i1]! ^ T_HI[i0]!;
        lo = T_LO[i7]! ^ T_LO[i6]! ^ T_LO[i5]! ^ T_LO[i4]! ^ T_LO[i3]! ^ T_LO[i2]! ^ T_LO[i1]! ^ T_LO[i0]!;
      }
      i += words * 4;
    }
    for (; i < end; i++) {
      const idx = (lo ^ buf[i]!) & 0xff;
      lo = (T_LO[idx]! ^ ((lo >>> 8) | (hi << 24))) >>> 0;
      hi = (T_HI[idx]! ^ (hi >>> 8)) >>> 0;
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  /** The register as an unsigned 64-bit integer. */
  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The register as Redis stores it: 8 bytes little-endian. */
  bytes(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32LE(this.lo, 0);
    out.writeUInt32LE(this.hi, 4);
    return out;
  }

  /** Whether 8 little-endian bytes at `buf[at]` equal the register. */
  matches(buf: Uint8Array, at: number): boolean {
    const lo = (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
    const hi = (buf[at + 4]! | (buf[at + 5]! << 8) | (buf[at + 6]! << 16) | (buf[at + 7]! << 24)) >>> 0;
    return lo === this.lo && hi === this.hi;
  }
}

/** CRC-64 of one buffer. */
export function crc64(buf: Uint8Array, start = 0, end = buf.length): bigint {
  return new Crc64().update(buf, start, end).value();
}

/** Hex as Redis logs a CRC (`%llx`: lowercase, no leading zeros). */
export function formatCrc(v: bigint): string {
  return v.toString(16);
}

/** Read 8 little-endian bytes as an unsigned 64-bit integer. */
export function readU64LE(buf: Uint8Array, at: number): bigint {
  const lo = (buf[at]! | (buf[at + 1]! << 8) | (buf[at + 2]! << 16) | (buf[at + 3]! << 24)) >>> 0;
  const hi = (buf[at + 4]! | (buf[at + 5]! << 8) | (buf[at + 6]! << 16) | (buf[at + 7]! << 24)) >>> 0;
  return (BigInt(hi) << 32n) | BigInt(lo);
}
