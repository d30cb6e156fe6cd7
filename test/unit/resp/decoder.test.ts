import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DECODER_LIMITS,
  RespDecoder,
  RespReplyError,
  toPlain,
  type DecoderLimits,
  type RespValue,
} from '../../../src/resp/index.js';
import { bytes, chunkings } from './parse-helpers.js';
import { encode, referenceDecode } from './reference-decoder.js';

interface DecodeRun<B extends string | Buffer> {
  values: RespValue<B>[];
  error: string | null;
  offsets: number[];
  maxBuffered: number;
}

function decodeChunks(chunks: readonly Uint8Array[], limits: Partial<DecoderLimits> = {}): DecodeRun<string> {
  const d = new RespDecoder(limits);
  const values: RespValue[] = [];
  const offsets: number[] = [];
  let maxBuffered = 0;
  for (const c of chunks) {
    d.feed(Buffer.from(c));
    for (let v = d.next(); v !== undefined; v = d.next()) {
      values.push(v);
      offsets.push(d.offset);
    }
    maxBuffered = Math.max(maxBuffered, d.buffered);
    if (d.error !== null) break;
  }
  return { values, error: d.error?.reason ?? null, offsets, maxBuffered };
}

function everyChunking(input: Uint8Array, limits: Partial<DecoderLimits> = {}): DecodeRun<string> {
  let first: DecodeRun<string> | undefined;
  for (const { name, chunks } of chunkings(input)) {
    const got = decodeChunks(chunks, limits);
    if (first === undefined) first = got;
    else {
      expect(got.values, name).toEqual(first.values);
      expect(got.error, name).toBe(first.error);
      expect(got.offsets, name).toEqual(first.offsets);
    }
  }
  return first!;
}

const CASES: Array<[string, string, RespValue[]]> = [
  ['simple string', '+OK\r\n', [{ type: 'simple', value: 'OK' }]],
  ['empty simple string', '+\r\n', [{ type: 'simple', value: '' }]],
  ['error', '-ERR unknown command\r\n', [{ type: 'error', value: 'ERR unknown command', blob: false }]],
  ['integer', ':1000\r\n', [{ type: 'integer', value: 1000 }]],
  ['negative integer', ':-42\r\n', [{ type: 'integer', value: -42 }]],
  ['plus integer', ':+7\r\n', [{ type: 'integer', value: 7 }]],
  ['int64 max', ':9223372036854775807\r\n', [{ type: 'integer', value: 9223372036854775807n }]],
  ['int64 min', ':-9223372036854775808\r\n', [{ type: 'integer', value: -9223372036854775808n }]],
  ['bulk', '$5\r\nhello\r\n', [{ type: 'bulk', value: 'hello' }]],
  ['empty bulk', '$0\r\n\r\n', [{ type: 'bulk', value: '' }]],
  ['bulk with CRLF inside', '$4\r\n\r\n\r\n\r\n', [{ type: 'bulk', value: '\r\n\r\n' }]],
  ['null bulk', '$-1\r\n', [{ type: 'null', from: '$' }]],
  ['null array', '*-1\r\n', [{ type: 'null', from: '*' }]],
  ['RESP3 null', '_\r\n', [{ type: 'null', from: '_' }]],
  ['booleans', '#t\r\n#f\r\n', [{ type: 'bool', value: true }, { type: 'bool', value: false }]],
  ['double', ',0.10000000000000001\r\n', [{ type: 'double', value: 0.1, raw: '0.10000000000000001' }]],
  ['double exponent', ',1e+17\r\n', [{ type: 'double', value: 1e17, raw: '1e+17' }]],
  ['double inf', ',inf\r\n,-inf\r\n', [{ type: 'double', value: Infinity, raw: 'inf' }, { type: 'double', value: -Infinity, raw: '-inf' }]],
  ['double nan', ',nan\r\n', [{ type: 'double', value: NaN, raw: 'nan' }]],
  ['big number', '(3492890328409238509324850943850943825024385\r\n', [{ type: 'bigNumber', value: 3492890328409238509324850943850943825024385n }]],
  ['blob error', '!21\r\nSYNTAX invalid syntax\r\n', [{ type: 'error', value: 'SYNTAX invalid syntax', blob: true }]],
  ['verbatim', '=15\r\ntxt:Some string\r\n', [{ type: 'verbatim', format: 'txt', value: 'Some string' }]],
  ['empty verbatim', '=4\r\nmkd:\r\n', [{ type: 'verbatim', format: 'mkd', value: '' }]],
  ['array', '*2\r\n$3\r\nfoo\r\n:1\r\n', [{ type: 'array', items: [{ type: 'bulk', value: 'foo' }, { type: 'integer', value: 1 }] }]],
  ['empty array', '*0\r\n', [{ type: 'array', items: [] }]],
  ['set', '~2\r\n+a\r\n+b\r\n', [{ type: 'set', items: [{ type: 'simple', value: 'a' }, { type: 'simple', value: 'b' }] }]],
  [
    'map',
    '%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n',
    [
      {
        type: 'map',
        entries: [
          [{ type: 'simple', value: 'first' }, { type: 'integer', value: 1 }],
          [{ type: 'simple', value: 'second' }, { type: 'integer', value: 2 }],
        ],
      },
    ],
  ],
  ['empty map', '%0\r\n', [{ type: 'map', entries: [] }]],
  [
    'push',
    '>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n',
    [{ type: 'push', items: ['message', 'ch', 'hi'].map((value) => ({ type: 'bulk' as const, value })) }],
  ],
  [
    'nested',
    '*2\r\n*2\r\n:1\r\n*0\r\n%1\r\n+k\r\n~1\r\n_\r\n',
    [
      {
        type: 'array',
        items: [
          { type: 'array', items: [{ type: 'integer', value: 1 }, { type: 'array', items: [] }] },
          { type: 'map', entries: [[{ type: 'simple', value: 'k' }, { type: 'set', items: [{ type: 'null', from: '_' }] }]] },
        ],
      },
    ],
  ],
  [
    'top-level attribute',
    '|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n*1\r\n:2\r\n',
    [
      {
        type: 'array',
        items: [{ type: 'integer', value: 2 }],
        attributes: [
          [
            { type: 'simple', value: 'key-popularity' },
            { type: 'map', entries: [[{ type: 'bulk', value: 'a' }, { type: 'double', value: 0.1923, raw: '0.1923' }]] },
          ],
        ],
      },
    ],
  ],
  [
    'attribute on an element',
    '*2\r\n:1\r\n|1\r\n+ttl\r\n:3600\r\n:2\r\n',
    [
      {
        type: 'array',
        items: [
          { type: 'integer', value: 1 },
          { type: 'integer', value: 2, attributes: [[{ type: 'simple', value: 'ttl' }, { type: 'integer', value: 3600 }]] },
        ],
      },
    ],
  ],
  [
    'two attributes merge; an empty one annotates nothing',
    '|0\r\n|1\r\n+a\r\n:1\r\n|1\r\n+b\r\n:2\r\n+x\r\n',
    [
      {
        type: 'simple',
        value: 'x',
        attributes: [
          [{ type: 'simple', value: 'a' }, { type: 'integer', value: 1 }],
          [{ type: 'simple', value: 'b' }, { type: 'integer', value: 2 }],
        ],
      },
    ],
  ],
  ['pipelined replies', '+OK\r\n:1\r\n$-1\r\n', [{ type: 'simple', value: 'OK' }, { type: 'integer', value: 1 }, { type: 'null', from: '$' }]],
];

describe('RespDecoder: every type, any chunking', () => {
  for (const [name, input, expected] of CASES) {
    it(name, () => {
      const run = everyChunking(bytes(input));
      expect(run.error).toBeNull();
      expect(run.values).toEqual(expected);
      expect(referenceDecode(bytes(input), DEFAULT_DECODER_LIMITS)).toEqual({ values: expected, error: null });
      // offset after the last value is the whole input
      expect(run.offsets.at(-1)).toBe(input.length);
    });
  }

  it('all 256 byte values survive a bulk string, as a byte string and as a Buffer', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const input = Buffer.concat([Buffer.from('$256\r\n'), all, Buffer.from('\r\n=260\r\ntxt:'), all, Buffer.from('\r\n')]);
    expect(everyChunking(input).values).toEqual([
      { type: 'bulk', value: all.toString('latin1') },
      { type: 'verbatim', format: 'txt', value: all.toString('latin1') },
    ]);
    for (const { chunks } of chunkings(input)) {
      const d = new RespDecoder<Buffer>({ buffers: true });
      const got: RespValue<Buffer>[] = [];
      for (const c of chunks) {
        d.feed(Buffer.from(c));
        for (let v = d.next(); v !== undefined; v = d.next()) got.push(v);
      }
      expect(got).toEqual([
        { type: 'bulk', value: all },
        { type: 'verbatim', format: 'txt', value: all },
      ]);
    }
  });

  it('a 1 MB bulk fed in 1000-byte chunks is joined once and nothing is held afterwards', () => {
    const payload = Buffer.alloc(1 << 20, 0x5a);
    const input = Buffer.concat([Buffer.from(`$${payload.length}\r\n`), payload, Buffer.from('\r\n+after\r\n')]);
    const d = new RespDecoder();
    const got: RespValue[] = [];
    for (let i = 0; i < input.length; i += 1000) {
      d.feed(input.subarray(i, i + 1000));
      for (let v = d.next(); v !== undefined; v = d.next()) got.push(v);
      expect(d.buffered).toBeLessThanOrEqual(payload.length + 2);
    }
    expect(got).toEqual([{ type: 'bulk', value: payload.toString('latin1') }, { type: 'simple', value: 'after' }]);
    expect(d.buffered).toBe(0);
    expect(d.offset).toBe(input.length);
  });

  it('nesting deeper than the JS stack could recurse is fine within maxDepth', () => {
    const depth = 100_000;
    const d = new RespDecoder({ maxDepth: depth + 1 });
    d.feed(Buffer.from('*1\r\n'.repeat(depth) + ':1\r\n'));
    let v = d.next();
    let n = 0;
    while (v?.type === 'array') {
      v = v.items[0];
      n++;
    }
    expect(n).toBe(depth);
    expect(v).toEqual({ type: 'integer', value: 1 });
  });
});

describe('RespDecoder: framing errors (sticky, never thrown)', () => {
  const cases: Array<[string, string, string, Partial<DecoderLimits>?]> = [
    ['unknown type', '@x\r\n', 'BAD_TYPE'],
    ['bad length', '$x\r\n', 'BAD_LENGTH'],
    ['negative length other than -1', '$-2\r\n', 'BAD_LENGTH'],
    ['null set is not a thing', '~-1\r\n', 'BAD_LENGTH'],
    ['streamed string unsupported', '$?\r\n', 'BAD_LENGTH'],
    ['bad integer', ':12a\r\n', 'BAD_INTEGER'],
    ['integer overflow', ':9223372036854775808\r\n', 'BAD_INTEGER'],
    ['bad double', ',1.2.3\r\n', 'BAD_DOUBLE'],
    ['bad boolean', '#x\r\n', 'BAD_BOOLEAN'],
    ['bad big number', '(12x\r\n', 'BAD_BIG_NUMBER'],
    ['bad null', '_x\r\n', 'BAD_NULL'],
    ['short verbatim', '=3\r\ntxt\r\n', 'BAD_VERBATIM'],
    ['verbatim without colon', '=5\r\ntxt-x\r\n', 'BAD_VERBATIM'],
    ['CR without LF', '+OK\rx', 'EXPECTED_CRLF'],
    ['bulk without CRLF', '$2\r\nabcd', 'EXPECTED_CRLF'],
    ['line too long', `+${'a'.repeat(11)}\r\n`, 'LINE_TOO_LONG', { maxLineLength: 10 }],
    ['line too long without CR', `+${'a'.repeat(11)}`, 'LINE_TOO_LONG', { maxLineLength: 10 }],
    ['bulk too big', '$11\r\n', 'BULK_TOO_BIG', { maxBulkLen: 10 }],
    ['aggregate too big', '*4\r\n', 'AGGREGATE_TOO_BIG', { maxAggregateLen: 3 }],
    ['map pairs count', '%4\r\n', 'AGGREGATE_TOO_BIG', { maxAggregateLen: 3 }],
    ['too deep', '*1\r\n*1\r\n*1\r\n:1\r\n', 'TOO_DEEP', { maxDepth: 2 }],
  ];
  for (const [name, input, reason, limits] of cases) {
    it(name, () => {
      const run = everyChunking(bytes(`+before\r\n${input}`), limits);
      expect(run.values).toEqual([{ type: 'simple', value: 'before' }]);
      expect(run.error).toBe(reason);
      expect(referenceDecode(bytes(`+before\r\n${input}`), { ...DEFAULT_DECODER_LIMITS, ...limits }).error).toBe(reason);
    });
  }

  it('reports the error as a RespDecodeError with a stable code and the offset', () => {
    const d = new RespDecoder();
    d.feed(Buffer.from('+ok\r\n@'));
    expect(d.next()).toEqual({ type: 'simple', value: 'ok' });
    d.feed(Buffer.from('\r\n'));
    expect(d.next()).toBeUndefined();
    expect(d.error).toMatchObject({ name: 'RespDecodeError', code: 'ERESP_BAD_TYPE', reason: 'BAD_TYPE', offset: 5 });
    d.feed(Buffer.from('+more\r\n'));
    expect(d.next()).toBeUndefined();
    expect(d.buffered).toBe(0);
  });
});

describe('toPlain', () => {
  it('maps to ordinary JS values', () => {
    const d = new RespDecoder();
    d.feed(Buffer.from('*8\r\n+OK\r\n:1\r\n$-1\r\n#t\r\n,1.5\r\n-WRONGTYPE Operation\r\n%1\r\n+k\r\n~1\r\n$1\r\nv\r\n=8\r\ntxt:info\r\n'));
    const v = toPlain(d.next()!);
    expect(v).toEqual(['OK', 1, null, true, 1.5, expect.any(RespReplyError), new Map([['k', ['v']]]), 'info']);
    const err = (v as unknown[])[5] as RespReplyError;
    expect(err.message).toBe('WRONGTYPE Operation');
    expect(err.code).toBe('WRONGTYPE');
  });
});
