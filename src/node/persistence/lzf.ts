/**
 * LZF, the compressor Redis uses for RDB strings (src/lzf_c.c, src/lzf_d.c, liblzf 3.6 with HLOG 16 and
 * VERY_FAST). The format:
 *
 *   000LLLLL <L+1 literal bytes>
 *   LLLooooo oooooooo            back reference of L+2 bytes (L in 1..6), distance o+1
 *   111ooooo LLLLLLLL oooooooo   back reference of L+9 bytes
 *
 * The compressor follows lzf_compress's match search (3-byte hash into a 64K-slot table, the "VERY_FAST" re-hash
 * after a match) so its output is what Redis would write for the same input, though any valid stream decodes
 * identically.
 */

const HLOG = 16;
const HSIZE = 1 << HLOG;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

// One table reused across calls (the event loop is single-threaded); slots hold position+1 so 0 means empty,
// and a generation counter avoids clearing 256 KB per call.
const htab = new Int32Array(HSIZE);
const hgen = new Uint32Array(HSIZE);
let generation = 0;

function idx(h: number): number {
  // IDX(h) for VERY_FAST: ((h >> (3*8 - HLOG)) - h*5) & (HSIZE - 1), h being a 24-bit value
  return ((h >>> (24 - HLOG)) - Math.imul(h, 5)) & (HSIZE - 1);
}

/**
 * Compress `input[start, end)`. Returns the compressed bytes, or null when they would not fit in `maxOut` bytes
 * (Redis asks for at least 4 bytes of saving: maxOut = len - 4, rdbSaveLzfStringObject).
 */
export function lzfCompress(input: Uint8Array, maxOut: number, start = 0, end = input.length): Buffer | null {
  const inLen = end - start;
  if (inLen === 0 || maxOut <= 0) return null;
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    hgen.fill(0);
    generation = 1;
  }
  const gen = generation;
  const out = Buffer.allocUnsafe(maxOut + 1);
  const outEnd = maxOut;
  let ip = start;
  let op = 0;
  let lit = 0;
  op++; // start run

  let hval = (input[ip]! << 8) | input[ip + 1]!;
  while (ip < end - 2) {
    hval = ((hval << 8) | input[ip + 2]!) & 0xffffff;
    const slot = idx(hval);
    const ref = hgen[slot] === gen ? htab[slot]! : -1;
    htab[slot] = ip;
    hgen[slot] = gen;
    let off: number;
    if (
      ref > start && // lzf_compress: `ref > in_data` — the first input byte is never a match source
      ref < ip &&
      (off = ip - ref - 1) < MAX_OFF &&
      ip + 4 < end &&
      input[ref] === input[ip] &&
      input[ref + 1] === input[ip + 1] &&
      input[ref + 2] === input[ip + 2]
    ) {
      let len = 2;
      let maxlen = end - ip - len;
      if (maxlen > MAX_REF) maxlen = MAX_REF;

      out[op - lit - 1] = lit - 1; // stop run
      if (lit === 0) op--; // undo run if length is zero
      if (op + 3 + 1 >= outEnd) return null;

      do len++;
      while (len < maxlen && input[ref + len] === input[ip + len]);

      len -= 2; // len is now #octets - 1
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++; // start run

      ip += len + 1;
      if (ip >= end - 2) break;

      // VERY_FAST: re-hash the two positions before the new ip
      ip -= 2;
      hval = (input[ip]! << 8) | input[ip + 1]!;
      hval = ((hval << 8) | input[ip + 2]!) & 0xffffff;
      let s = idx(hval);
      htab[s] = ip;
      hgen[s] = gen;
      ip++;
      hval = ((hval << 8) | input[ip + 2]!) & 0xffffff;
      s = idx(hval);
      htab[s] = ip;
      hgen[s] = gen;
      ip++;
    } else {
      if (op >= outEnd) return null;
      lit++;
      out[op++] = input[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }

  if (op + 3 > outEnd) return null; // at most 3 bytes can be missing here

  while (ip < end) {
    lit++;
    out[op++] = input[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1; // end run
  if (lit === 0) op--;
  if (op > maxOut) return null;
  return out.subarray(0, op);
}

export class LzfError extends Error {
  override readonly name = 'LzfError';
}

/**
 * Decompress `input[start, end)` into exactly `outLen` bytes. Throws LzfError on a malformed stream or when the
 * output length differs (rdbLoadLzfStringObject: "Invalid LZF compressed string").
 */
export function lzfDecompress(input: Uint8Array, outLen: number, start = 0, end = input.length): Buffer {
  const out = Buffer.allocUnsafe(outLen);
  let ip = start;
  let op = 0;
  if (start >= end) {
    if (outLen === 0) return out;
    throw new LzfError('empty LZF input');
  }
  do {
    const ctrl = input[ip++]!;
    if (ctrl < 32) {
      const n = ctrl + 1;
      if (op + n > outLen) throw new LzfError('LZF output overflow');
      if (ip + n > end) throw new LzfError('LZF input truncated');
      for (let k = 0; k < n; k++) out[op++] = input[ip++]!;
    } else {
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= end) throw new LzfError('LZF input truncated');
      if (len === 7) {
        len += input[ip++]!;
        if (ip >= end) throw new LzfError('LZF input truncated');
      }
      ref -= input[ip++]!;
      if (op + len + 2 > outLen) throw new LzfError('LZF output overflow');
      if (ref < 0) throw new LzfError('LZF back reference before start');
      // byte by byte: the source may overlap the bytes being written (run-length style references)
      for (let k = len + 2; k > 0; k--) out[op++] = out[ref++]!;
    }
  } while (ip < end);
  if (op !== outLen) throw new LzfError(`LZF output is ${op} bytes, expected ${outLen}`);
  return out;
}
