/**
 * Seeded fuzz loop for RequestParser against the literal networking.c port: random and mutated request streams,
 * random limits and flags, random chunking. Set RESP_FUZZ_SEED / RESP_FUZZ_CASES to reproduce or extend a run;
 * a failure names the case seed.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../../src/common/random.js';
import { DEFAULT_LIMITS, type ParserLimits } from '../../../src/resp/index.js';
import { parseChunks } from './parse-helpers.js';
import { referenceParse } from './reference-request-parser.js';

const BASE_SEED = Number(process.env.RESP_FUZZ_SEED ?? 20240607);
const CASES = Number(process.env.RESP_FUZZ_CASES ?? 2500);

const INTERESTING = [0x0d, 0x0a, 0x00, 0x2a, 0x24, 0x2d, 0x30, 0x31, 0x39, 0x22, 0x27, 0x5c, 0x20, 0x78, 0xff];

function randomBytes(r: Random, n: number): number[] {
  return Array.from({ length: n }, () => (r.int(3) === 0 ? INTERESTING[r.int(INTERESTING.length)]! : r.int(256)));
}

function multibulk(r: Random): number[] {
  const kind = r.int(20);
  if (kind === 0) return [...Buffer.from('*0\r\n')];
  if (kind === 1) return [...Buffer.from('*-1\r\n')];
  const argc = 1 + r.int(5);
  const out = [...Buffer.from(`*${argc}\r\n`)];
  for (let i = 0; i < argc; i++) {
    const len = r.int(50) === 0 ? 33 * 1024 + r.int(100) : r.int(12);
    out.push(...Buffer.from(`$${len}\r\n`), ...randomBytes(r, len), 0x0d, 0x0a);
  }
  return out;
}

function inline(r: Random): number[] {
  const tokens = ['PING', 'SET', 'k', '"a b"', "'c\\'d'", '"\\x41\\n"', '""', 'x"y z"', '"\\"', '\t', '  ', '"open', "'\\\\'"];
  const n = r.int(5);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(tokens[r.int(tokens.length)]!);
  return [...Buffer.from(words.join(' ') + (r.int(3) === 0 ? '\n' : '\r\n'), 'latin1')];
}

function mutate(r: Random, bytes: number[]): number[] {
  const out = bytes.slice();
  const n = 1 + r.int(3);
  for (let i = 0; i < n && out.length > 0; i++) {
    const at = r.int(out.length);
    switch (r.int(4)) {
      case 0:
        out[at] = INTERESTING[r.int(INTERESTING.length)]!;
        break;
      case 1:
        out.splice(at, 0, INTERESTING[r.int(INTERESTING.length)]!);
        break;
      case 2:
        out.splice(at, 1);
        break;
      default:
        out.length = at;
    }
  }
  return out;
}

function stream(r: Random): number[] {
  const out: number[] = [];
  const frames = 1 + r.int(8);
  for (let i = 0; i < frames; i++) {
    const kind = r.int(10);
    let frame = kind < 5 ? multibulk(r) : kind < 8 ? inline(r) : randomBytes(r, r.int(40));
    if (r.int(4) === 0) frame = mutate(r, frame);
    out.push(...frame);
  }
  return out;
}

function randomChunks(r: Random, input: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let i = 0;
  while (i < input.length) {
    const mode = r.int(4);
    const n = mode === 0 ? 1 : mode === 1 ? 1 + r.int(8) : 1 + r.int(Math.max(1, input.length));
    chunks.push(input.subarray(i, i + n));
    i += n;
  }
  return chunks;
}

const SMALL: ParserLimits = { maxInlineSize: 64, maxBulkLen: 100, maxMultibulkLen: 8 };

describe('RequestParser fuzz (seeded)', () => {
  it(`${CASES} random and mutated streams agree with the networking.c port`, () => {
    for (let c = 0; c < CASES; c++) {
      const seed = BASE_SEED + c;
      const r = seededRandom(seed);
      const small = r.int(2) === 0;
      const limits = small ? SMALL : DEFAULT_LIMITS;
      const opts = { limits, unauthenticated: r.int(5) === 0, primary: r.int(10) === 0 };
      const input = Uint8Array.from(stream(r));
      const where = `seed ${seed} (RESP_FUZZ_SEED=${seed} RESP_FUZZ_CASES=1)`;
      let got;
      try {
        got = parseChunks(randomChunks(r, input), opts);
      } catch (e) {
        throw new Error(`${where}: exception escaped: ${String(e)}`, { cause: e });
      }
      const ref = referenceParse(input, opts);
      expect(got.commands, where).toEqual(ref.commands);
      expect(got.consumed, where).toEqual(ref.consumed);
      expect(got.error, where).toBe(ref.error);
      expect(got.finalConsumed, where).toBe(ref.finalConsumed);
      if (small && !opts.primary) {
        // whatever the peer sends (a primary is exempt from proto-max-bulk-len), what is held for one unfinished command stays within the limits
        const bound = SMALL.maxInlineSize + SMALL.maxMultibulkLen * (SMALL.maxInlineSize + 2 + SMALL.maxBulkLen + 2);
        expect(got.maxBuffered, where).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('garbage without line ends never buffers past the inline limit', () => {
    const r = seededRandom(BASE_SEED ^ 0xabcdef);
    for (let c = 0; c < 200; c++) {
      const input = Uint8Array.from({ length: 3000 }, () => 0x41 + r.int(26));
      const got = parseChunks(randomChunks(r, input), { limits: SMALL });
      expect(got.error).toBe('ERR Protocol error: too big inline request');
      expect(got.maxBuffered).toBeLessThanOrEqual(SMALL.maxInlineSize);
    }
  });
});
