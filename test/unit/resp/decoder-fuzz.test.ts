/**
 * Seeded fuzz loop for RespDecoder against the recursive-descent reference: random RESP3 values, encoded,
 * concatenated, sometimes mutated or replaced by noise, fed in random chunks. Set RESP_FUZZ_SEED /
 * RESP_FUZZ_CASES to reproduce or extend a run; a failure names the case seed.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../../src/common/random.js';
import { DEFAULT_DECODER_LIMITS, RespDecoder, type DecoderLimits, type RespValue } from '../../../src/resp/index.js';
import { encode, referenceDecode } from './reference-decoder.js';

const BASE_SEED = Number(process.env.RESP_FUZZ_SEED ?? 777001);
const CASES = Number(process.env.RESP_FUZZ_CASES ?? 2500);

function randomText(r: Random, max: number, binary: boolean): string {
  let s = '';
  const n = r.int(max + 1);
  for (let i = 0; i < n; i++) {
    const c = binary ? r.int(256) : 0x20 + r.int(95);
    s += String.fromCharCode(c);
  }
  return s;
}

function randomValue(r: Random, depth: number): RespValue {
  const kinds = depth > 3 ? 11 : 16;
  let v: RespValue;
  switch (r.int(kinds)) {
    case 0:
      v = { type: 'simple', value: randomText(r, 10, false) };
      break;
    case 1:
      v = { type: 'error', value: 'ERR ' + randomText(r, 10, false), blob: r.int(2) === 0 };
      break;
    case 2: {
      const big = r.int(4) === 0;
      const n = big ? BigInt(Math.floor(r.next() * 2 ** 53)) * 1000n * (r.int(2) ? 1n : -1n) : r.int(2000) - 1000;
      const value = typeof n === 'bigint' && n <= 9007199254740991n && n >= -9007199254740991n ? Number(n) : n;
      v = { type: 'integer', value };
      break;
    }
    case 3:
    case 4:
      v = { type: 'bulk', value: randomText(r, r.int(30) === 0 ? 40000 : 12, true) };
      break;
    case 5:
      v = { type: 'null', from: (['_', '$', '*'] as const)[r.int(3)]! };
      break;
    case 6:
      v = { type: 'bool', value: r.int(2) === 0 };
      break;
    case 7: {
      const value = (r.next() - 0.5) * 10 ** (r.int(40) - 20);
      v = { type: 'double', value, raw: String(value) };
      break;
    }
    case 8:
      v = { type: 'bigNumber', value: BigInt(r.int(1e9)) * 10n ** BigInt(r.int(30)) };
      break;
    case 9:
      v = { type: 'verbatim', format: r.int(2) ? 'txt' : 'mkd', value: randomText(r, 12, true) };
      break;
    case 10:
      v = { type: 'simple', value: 'OK' };
      break;
    case 11:
    case 12:
    case 13:
    case 14: {
      const items = Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
      v = { type: (['array', 'set', 'push', 'array'] as const)[r.int(4)]!, items };
      break;
    }
    default: {
      const entries = Array.from({ length: r.int(3) }, (): [RespValue, RespValue] => [randomValue(r, depth + 1), randomValue(r, depth + 1)]);
      v = { type: 'map', entries };
    }
  }
  if (r.int(12) === 0) {
    v.attributes = Array.from({ length: 1 + r.int(2) }, (): [RespValue, RespValue] => [
      { type: 'simple', value: randomText(r, 5, false) },
      randomValue(r, depth + 2),
    ]);
  }
  return v;
}

const INTERESTING = [0x0d, 0x0a, 0x2a, 0x24, 0x2d, 0x30, 0x31, 0x3a, 0x7c, 0x25, 0x5f, 0x3f];

function mutate(r: Random, b: number[]): number[] {
  const out = b.slice();
  for (let i = 0, n = 1 + r.int(3); i < n && out.length > 0; i++) {
    const at = r.int(out.length);
    const byte = r.int(2) ? INTERESTING[r.int(INTERESTING.length)]! : r.int(256);
    switch (r.int(3)) {
      case 0:
        out[at] = byte;
        break;
      case 1:
        out.splice(at, 0, byte);
        break;
      default:
        out.splice(at, 1);
    }
  }
  return out;
}

function randomChunks(r: Random, input: Uint8Array): Buffer[] {
  const chunks: Buffer[] = [];
  for (let i = 0; i < input.length; ) {
    const mode = r.int(4);
    const n = mode === 0 ? 1 : mode === 1 ? 1 + r.int(8) : 1 + r.int(input.length);
    chunks.push(Buffer.from(input.subarray(i, i + n)));
    i += n;
  }
  return chunks;
}

const SMALL: DecoderLimits = { maxBulkLen: 64, maxAggregateLen: 3, maxLineLength: 16, maxDepth: 3 };

describe('RespDecoder fuzz (seeded)', () => {
  it(`${CASES} random and mutated reply streams agree with the reference decoder`, () => {
    for (let c = 0; c < CASES; c++) {
      const seed = BASE_SEED + c;
      const r = seededRandom(seed);
      const limits = r.int(3) === 0 ? SMALL : DEFAULT_DECODER_LIMITS;
      let stream: number[] = [];
      for (let i = 0, n = 1 + r.int(5); i < n; i++) stream.push(...Buffer.from(encode(randomValue(r, 0)), 'latin1'));
      if (r.int(3) === 0) stream = mutate(r, stream);
      if (r.int(20) === 0) stream = Array.from({ length: r.int(200) }, () => r.int(256));
      const input = Uint8Array.from(stream);
      const where = `seed ${seed} (RESP_FUZZ_SEED=${seed} RESP_FUZZ_CASES=1)`;

      const d = new RespDecoder(limits);
      const values: RespValue[] = [];
      let maxBuffered = 0;
      let lastChunk = 0;
      try {
        for (const chunk of randomChunks(r, input)) {
          d.feed(chunk);
          lastChunk = chunk.length;
          for (let v = d.next(); v !== undefined; v = d.next()) values.push(v);
          // once drained, what is held is one unfinished line or payload (plus at most the chunk that brought it)
          maxBuffered = Math.max(maxBuffered, d.buffered - lastChunk);
        }
      } catch (e) {
        throw new Error(`${where}: exception escaped: ${String(e)}`, { cause: e });
      }
      const ref = referenceDecode(input, limits);
      expect(values, where).toEqual(ref.values);
      expect(d.error?.reason ?? null, where).toBe(ref.error);
      if (limits === SMALL) expect(maxBuffered, where).toBeLessThanOrEqual(SMALL.maxBulkLen + 2 + SMALL.maxLineLength + 3);
    }
  });
});
