import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, RequestParser } from '../../../src/resp/index.js';
import { string2ll } from '../../../src/resp/scan.js';
import { bytes, chunkings, parseChunks, type ParseOptions } from './parse-helpers.js';
import { referenceParse } from './reference-request-parser.js';
import { BIG_CASES, CASES, E, PING } from './request-cases.js';

function expectSameAsReference(input: Uint8Array, opts: ParseOptions = {}): void {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const ref = referenceParse(input, { limits, unauthenticated: opts.unauthenticated, primary: opts.primary });
  for (const { name, chunks } of chunkings(input)) {
    const got = parseChunks(chunks, opts);
    const where = `${name} of ${JSON.stringify(Buffer.from(input).toString('latin1').slice(0, 80))}`;
    expect(got.commands, where).toEqual(ref.commands);
    expect(got.consumed, where).toEqual(ref.consumed);
    expect(got.error, where).toBe(ref.error);
    expect(got.finalConsumed, where).toBe(ref.finalConsumed);
  }
}

describe('RequestParser: Redis 7.0.15 outcomes', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const input = bytes(c.input);
      const ref = referenceParse(input, { ...c.opts, limits: { ...DEFAULT_LIMITS, ...c.opts?.limits } });
      // the oracle agrees with what redis-server did …
      expect(ref.commands).toEqual(c.commands);
      expect(ref.error).toBe(c.error ?? null);
      // … and the parser agrees with the oracle whatever the chunking, consumed offsets included
      expectSameAsReference(input, c.opts);
    });
  }
});

describe('RequestParser: line length limits', () => {
  const big = (n: number): string => 'A'.repeat(n);

  it('inline: 64 KB without newline waits, one byte more fails', () => {
    expect(parseChunks([bytes(big(65536))]).error).toBeNull();
    expect(parseChunks([bytes(big(65537))]).error).toBe(E('too big inline request'));
  });

  it('inline: a line of up to 64 KB before its LF (CR included) is accepted, longer fails whatever the chunking', () => {
    const ok = bytes(`PING${' '.repeat(65531)}\r\n`); // 65536 bytes before LF
    const tooBig = bytes(`PING${' '.repeat(65532)}\r\n`); // 65537
    for (const chunks of [[ok], [ok.subarray(0, 30000), ok.subarray(30000)]]) {
      expect(parseChunks(chunks).commands).toEqual([['PING']]);
    }
    for (const chunks of [[tooBig], [tooBig.subarray(0, 30000), tooBig.subarray(30000)]]) {
      const r = parseChunks(chunks);
      expect(r.commands).toEqual([]);
      expect(r.error).toBe(E('too big inline request'));
    }
  });

  it('count and bulk length lines: 64 KB without CR waits, one more fails', () => {
    expect(parseChunks([bytes(`*${'1'.repeat(65535)}`)]).error).toBeNull();
    expect(parseChunks([bytes(`*${'1'.repeat(65536)}`)]).error).toBe(E('too big mbulk count string'));
    expect(parseChunks([bytes(`*1\r\n$${'1'.repeat(65535)}`)]).error).toBeNull();
    expect(parseChunks([bytes(`*1\r\n$${'1'.repeat(65536)}`)]).error).toBe(E('too big bulk count string'));
    // an over-long line that is not a `$` line is still "too big", not "expected '$'"
    expect(parseChunks([bytes(`*1\r\nx${'1'.repeat(65536)}`)]).error).toBe(E('too big bulk count string'));
  });

  it('a NUL-stalled line fails once more than 64 KB are buffered', () => {
    expect(parseChunks([bytes(`PI\0NG\r\n${big(65529)}`)]).error).toBeNull();
    expect(parseChunks([bytes(`PI\0NG\r\n${big(65530)}`)]).error).toBe(E('too big inline request'));
    expect(parseChunks([bytes(`${PING}PI\0NG\r\n${big(65536)}`)])).toMatchObject({ commands: [['PING']], error: E('too big inline request') });
    expect(parseChunks([bytes(`*1\r\n\0\r\n${big(65536)}`)]).error).toBe(E('too big bulk count string'));
    expect(parseChunks([bytes(`*1\0\r\n${big(65536)}`)]).error).toBe(E('too big mbulk count string'));
  });

  for (const c of BIG_CASES) {
    it(c.name, () => {
      const input = bytes(c.input);
      for (const chunks of [[input], [input.subarray(0, 1), input.subarray(1)], [input.subarray(0, 30000), input.subarray(30000)]]) {
        const r = parseChunks(chunks, c.opts);
        expect(r.commands).toEqual(c.commands);
        expect(r.error).toBe(c.error ?? null);
      }
    });
  }

  it('small limits agree with the reference at every split', () => {
    const limits = { maxInlineSize: 8, maxBulkLen: 10, maxMultibulkLen: 3 };
    for (const s of [
      'PING 12345\r\n',
      'PING 123456\r\n',
      'PING 1234567\r\n',
      '*123456789\r\n',
      '*1234567\r\n',
      '*4\r\n',
      '*3\r\n$10\r\n0123456789\r\n$11\r\n',
      '*1\r\n$1234567\r\n',
      '*1\r\n$12345678\r\n',
      '*1\r\nabcdefgh\r\n',
      'AB\0CDEFGH',
    ]) {
      expectSameAsReference(bytes(s), { limits });
    }
  });
});

describe('RequestParser: large arguments', () => {
  it('assembles a 1 MB argument arriving in 1000-byte chunks, then continues with what follows', () => {
    const payload = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 31 + 7) & 0xff;
    const input = Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${payload.length}\r\n`), payload, Buffer.from(`\r\n${PING}`)]);
    const chunks: Buffer[] = [];
    for (let i = 0; i < input.length; i += 1000) chunks.push(input.subarray(i, i + 1000));
    const r = parseChunks(chunks);
    expect(r.error).toBeNull();
    expect(r.commands.length).toBe(2);
    expect(r.commands[0]![2]).toBe(payload.toString('latin1'));
    expect(r.commands[1]).toEqual(['PING']);
    expect(r.consumed).toEqual([input.length - PING.length, input.length]);
    // while it arrives, `buffered` counts it, so the server core can apply client-query-buffer-limit
    expect(r.maxBuffered).toBeGreaterThan(1024 * 1024 - 1000);
  });

  it('does not allocate a claimed length up front', () => {
    const p = new RequestParser();
    const before = process.memoryUsage().arrayBuffers;
    p.feed(Buffer.from('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$500000000\r\n'));
    p.feed(Buffer.alloc(40000, 0x61));
    expect(p.next()).toBeNull();
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(10 * 1024 * 1024);
    expect(p.buffered).toBe(Buffer.byteLength('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$500000000\r\n') + 40000);
  });

  it('caps bulk lengths at the longest JS string even when proto-max-bulk-len allows more', () => {
    const p = new RequestParser({ maxBulkLen: 2 ** 32 });
    p.feed(Buffer.from(`*1\r\n$${2 ** 30}\r\n`));
    expect(p.next()).toBeNull();
    expect(p.error?.code).toBe('INVALID_BULK_LEN');
  });
});

describe('RequestParser: state', () => {
  it('an error is sticky and releases the buffer', () => {
    const p = new RequestParser();
    p.feed(Buffer.from(`*1\r\nx\r\n${PING}`));
    expect(p.next()).toBeNull();
    expect(p.error).toEqual({ code: 'EXPECTED_DOLLAR', reply: E("expected '$', got 'x'") });
    p.feed(Buffer.from(PING));
    expect(p.next()).toBeNull();
    expect(p.buffered).toBe(0);
    expect(p.consumed).toBe(0);
  });

  it('unauthenticated limits apply to the command parsed after the flag changes', () => {
    const p = new RequestParser();
    p.unauthenticated = true;
    p.feed(Buffer.from(`*2\r\n$4\r\nAUTH\r\n$1\r\np\r\n*1\r\n$16385\r\n`));
    expect(p.next()).toEqual(['AUTH', 'p']);
    p.unauthenticated = false; // AUTH succeeded
    expect(p.next()).toBeNull();
    expect(p.error).toBeNull();
  });

  it('a million *0 lines in one chunk do not overflow the stack', () => {
    const p = new RequestParser();
    p.feed(Buffer.from('*0\r\n'.repeat(1_000_000) + PING));
    expect(p.next()).toEqual(['PING']);
    expect(p.consumed).toBe(4_000_000 + PING.length);
  });

  it('limits can be changed at run time (CONFIG SET proto-max-bulk-len)', () => {
    const p = new RequestParser();
    p.limits.maxBulkLen = 3;
    p.feed(Buffer.from('*1\r\n$4\r\nPING\r\n'));
    expect(p.next()).toBeNull();
    expect(p.error?.code).toBe('INVALID_BULK_LEN');
  });
});

describe('string2ll', () => {
  const parse = (s: string): number | null => string2ll(Buffer.from(s), 0, s.length);
  it('follows util.c', () => {
    expect(parse('0')).toBe(0);
    expect(parse('7')).toBe(7);
    expect(parse('-7')).toBe(-7);
    expect(parse('123456789012345')).toBe(123456789012345);
    for (const bad of ['', '-', '+1', '01', '-0', '00', '1 ', ' 1', '1a', '9223372036854775808', '-9223372036854775809', '12345678901234567890']) {
      expect(parse(bad), bad).toBeNull();
    }
    // beyond 2^53 the value is approximate; only its range matters to the callers
    expect(parse('9223372036854775807')).toBeGreaterThan(9.2e18);
    expect(parse('-9223372036854775808')).toBeLessThan(-9.2e18);
  });
});
