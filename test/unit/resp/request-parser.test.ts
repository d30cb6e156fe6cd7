import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, RequestParser } from '../../../src/resp/index.js';
import { string2ll } from '../../../src/resp/request-parser.js';
import { bytes, chunkings, parseChunks, type ParseOptions } from './parse-helpers.js';
import { referenceParse } from './reference-request-parser.js';

interface Case {
  name: string;
  input: string;
  commands: string[][];
  error?: string;
  opts?: ParseOptions;
}

const E = (s: string): string => `ERR Protocol error: ${s}`;
const PING = '*1\r\n$4\r\nPING\r\n';

/**
 * Expected outcomes recorded from redis-server 7.0.15 with a raw socket (the same inputs run against it in
 * test/integration/resp-errors.test.ts): a command here is one Redis executed, an error the reply before it closed.
 */
const CASES: Case[] = [
  { name: 'multibulk', input: '*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n', commands: [['ECHO', 'hi']] },
  { name: 'pipelined', input: `${PING}*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n`, commands: [['PING'], ['SET', 'k', '']] },
  { name: 'binary payload with CRLF and NUL inside', input: '*1\r\n$6\r\na\r\n\0\xffb\r\n', commands: [['a\r\n\0\xffb']] },
  { name: 'INT_MAX count is accepted (waits for args)', input: '*2147483647\r\n', commands: [] },
  { name: 'count above INT_MAX', input: '*2147483648\r\n', commands: [], error: E('invalid multibulk length') },
  { name: 'count 1048577 accepted (7.0 has no 1M cap)', input: '*1048577\r\n', commands: [] },
  { name: 'leading zero count', input: `*01\r\n$4\r\nPING\r\n`, commands: [], error: E('invalid multibulk length') },
  { name: 'plus sign count', input: '*+1\r\n', commands: [], error: E('invalid multibulk length') },
  { name: 'empty count', input: '*\r\n', commands: [], error: E('invalid multibulk length') },
  { name: 'count with trailing space', input: `*1 \r\n$4\r\nPING\r\n`, commands: [], error: E('invalid multibulk length') },
  { name: '*-1 is skipped', input: `*-1\r\nPING\r\n`, commands: [['PING']] },
  { name: '*0 is skipped', input: `*0\r\nPING\r\n`, commands: [['PING']] },
  { name: '*-5 is skipped', input: `*-5\r\nPING\r\n`, commands: [['PING']] },
  { name: '*-0 is invalid', input: `*-0\r\nPING\r\n`, commands: [], error: E('invalid multibulk length') },
  { name: 'LLONG_MIN count skipped', input: '*-9223372036854775808\r\nPING\r\n', commands: [['PING']] },
  { name: 'below LLONG_MIN', input: '*-9223372036854775809\r\nPING\r\n', commands: [], error: E('invalid multibulk length') },
  { name: 'mixed empties', input: `${PING}*0\r\n*-1\r\n\r\n${PING}`, commands: [['PING'], [], ['PING']] },
  { name: 'blank inline line then PING', input: '   \r\nPING\r\n', commands: [[], ['PING']] },
  { name: 'inline with bare LF', input: 'PING\n', commands: [['PING']] },
  { name: 'inline CR CR LF', input: 'PING\r\r\n', commands: [['PING']] },
  { name: 'empty lines', input: '\n\n\nPING\r\n', commands: [[], [], [], ['PING']] },
  { name: '$-1 inside a request', input: '*1\r\n$-1\r\n', commands: [], error: E('invalid bulk length') },
  { name: '$-0', input: '*1\r\n$-0\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'leading zero bulk length', input: '*1\r\n$04\r\nPING\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'bulk length with space', input: '*1\r\n$4 \r\nPING\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'empty bulk length', input: '*1\r\n$\r\n', commands: [], error: E('invalid bulk length') },
  { name: '20-digit bulk length', input: '*1\r\n$99999999999999999999\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'LLONG_MAX+1 bulk length', input: '*1\r\n$9223372036854775808\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'bulk above proto-max-bulk-len', input: '*1\r\n$536870913\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'expected $', input: '*1\r\nx\r\n', commands: [], error: E("expected '$', got 'x'") },
  { name: 'expected $ got CR', input: '*1\r\n\r\n', commands: [], error: E("expected '$', got ' '") },
  { name: 'expected $ got LF', input: '*1\r\n\n\r\n', commands: [], error: E("expected '$', got ' '") },
  { name: 'expected $ got 0xff', input: '*1\r\n\xff\r\n', commands: [], error: E("expected '$', got '\xff'") },
  { name: 'PING then expected $', input: `${PING}*1\r\nx\r\n`, commands: [['PING']], error: E("expected '$', got 'x'") },
  { name: 'incomplete line is not judged yet', input: '*1\r\nx', commands: [] },
  { name: 'NUL stalls the $ line', input: '*1\r\n\0\r\n', commands: [] },
  { name: 'NUL stalls the count line', input: `*1\0\r\n$4\r\nPING\r\n`, commands: [] },
  { name: 'NUL stalls a bulk length line', input: '*1\r\n$4\0\r\nPING\r\n', commands: [] },
  { name: 'NUL stalls an inline line', input: 'PI\0NG\r\n', commands: [] },
  { name: 'NUL after a token stalls too', input: 'PING \0 x\r\n', commands: [] },
  { name: 'leading NUL', input: '\0PING\r\n', commands: [] },
  { name: 'NUL after complete command', input: `${PING}\0`, commands: [['PING']] },
  { name: 'bytes after payload are not checked', input: '*1\r\n$4\r\nPINGxxPING\r\n', commands: [['PING'], ['PING']] },
  { name: 'byte after CR is not checked', input: '*1\r\n$4\rxPING\r\n', commands: [['PING']] },
  { name: 'byte after count CR is not checked', input: '*1\rx$4\r\nPING\r\n', commands: [['PING']] },
  { name: 'bad CRLF after bulk accepted', input: '*2\r\n$4\r\nECHO\r\n$3\r\nabc\n\n', commands: [['ECHO', 'abc']] },
  { name: 'empty command name', input: '*1\r\n$0\r\n\r\n', commands: [['']] },
  { name: 'partial command waits', input: `${PING}*1\r\n$4\r\nPI`, commands: [['PING']] },
  { name: 'closing quote then text', input: '"foo"bar\r\n', commands: [], error: E('unbalanced quotes in request') },
  { name: 'hex and \\n escapes', input: 'ECHO "a\\x41\\n"\r\n', commands: [['ECHO', 'aA\n']] },
  { name: 'escaped single quote', input: "ECHO 'a\\'b'\r\n", commands: [['ECHO', "a'b"]] },
  { name: 'vertical tab inside a token', input: 'ECHO a\x0bb\r\n', commands: [['ECHO', 'a\x0bb']] },
  { name: 'vertical tab after a closing quote', input: 'ECHO "a"\x0b\r\n', commands: [['ECHO', 'a']] },
  { name: 'short hex escape', input: 'ECHO "\\x4"\r\n', commands: [['ECHO', 'x4']] },
  { name: 'bad hex escape', input: 'ECHO "\\x4g"\r\n', commands: [['ECHO', 'x4g']] },
  { name: 'backslash before closing quote', input: 'ECHO "abc\\"\r\n', commands: [], error: E('unbalanced quotes in request') },
  { name: 'escaped NUL', input: 'ECHO "\\x00z"\r\n', commands: [['ECHO', '\0z']] },
  { name: 'unknown escape', input: 'ECHO "a\\zb"\r\n', commands: [['ECHO', 'azb']] },
  { name: 'single quotes keep backslash-n', input: "ECHO 'a\\nb'\r\n", commands: [['ECHO', 'a\\nb']] },
  { name: 'single quote then text', input: "ECHO 'ab'c\r\n", commands: [], error: E('unbalanced quotes in request') },
  { name: 'unterminated double quote', input: 'ECHO "ab\r\n', commands: [], error: E('unbalanced quotes in request') },
  { name: 'unterminated single quote', input: "ECHO 'ab\r\n", commands: [], error: E('unbalanced quotes in request') },
  { name: 'quotes mid token', input: 'ECHO a"b c"d\r\n', commands: [], error: E('unbalanced quotes in request') },
  { name: 'empty double quotes', input: 'ECHO ""\r\n', commands: [['ECHO', '']] },
  { name: 'tab after closing quote', input: 'ECHO "a"\t\r\n', commands: [['ECHO', 'a']] },
  { name: 'escaped double quote', input: 'ECHO "a\\""\r\n', commands: [['ECHO', 'a"']] },
  { name: 'UTF-8 bytes in quotes', input: 'ECHO "\xc3\xa9"\r\n', commands: [['ECHO', '\xc3\xa9']] },
  { name: 'upper-case hex', input: 'ECHO "\\xFF\\xfe"\r\n', commands: [['ECHO', '\xff\xfe']] },
  { name: 'spaces around', input: '  PING  \r\n', commands: [['PING']] },
  { name: 'form feed ends no token', input: '\tPING\x0c\r\n', commands: [['PING\x0c']] },
  { name: 'vertical tab before', input: '\x0bPING\r\n', commands: [['PING']] },
  { name: 'POST line parses as inline', input: 'POST / HTTP/1.1\r\n', commands: [['POST', '/', 'HTTP/1.1']] },
  // unauthenticated limits (requirepass set, not yet authenticated)
  { name: 'unauth *11', input: '*11\r\n', commands: [], error: E('unauthenticated multibulk length'), opts: { unauthenticated: true } },
  { name: 'unauth *10', input: '*10\r\n', commands: [], opts: { unauthenticated: true } },
  { name: 'unauth $16385', input: '*1\r\n$16385\r\n', commands: [], error: E('unauthenticated bulk length'), opts: { unauthenticated: true } },
  { name: 'unauth $16384', input: '*1\r\n$16384\r\n', commands: [], opts: { unauthenticated: true } },
  { name: 'unauth $-1 is invalid first', input: '*1\r\n$-1\r\n', commands: [], error: E('invalid bulk length'), opts: { unauthenticated: true } },
  { name: 'unauth huge count is invalid first', input: '*99999999999\r\n', commands: [], error: E('invalid multibulk length'), opts: { unauthenticated: true } },
  // a replica's link to its primary
  { name: 'primary: bare newline is a keepalive', input: `\n${PING}`, commands: [[], ['PING']], opts: { primary: true } },
  { name: 'primary: inline command is a desync', input: 'PING\r\n', commands: [], error: E('Master using the inline protocol. Desync?'), opts: { primary: true } },
  { name: 'primary: no proto-max-bulk-len', input: '*1\r\n$11\r\nhello world\r\n', commands: [['hello world']], opts: { primary: true, limits: { maxBulkLen: 10 } } },
];

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
