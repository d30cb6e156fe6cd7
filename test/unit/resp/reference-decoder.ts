/**
 * Test oracle for RespDecoder: a slow recursive-descent decoder over the whole input at once (no streaming, no
 * cursor), written straight from the RESP3 specification, plus a plain encoder to generate streams. Input that
 * ends mid-value stops decoding ("need more"); a framing error stops it with the error's reason.
 */
import type { DecoderLimits, DecodeErrorCode, RespEntries, RespValue } from '../../../src/resp/index.js';

export interface RefDecoded {
  values: RespValue[];
  error: DecodeErrorCode | null;
}

class Fail {
  constructor(readonly reason: DecodeErrorCode) {}
}
class NeedMore {}

const latin1 = (b: Uint8Array, s: number, e: number): string => Buffer.from(b.subarray(s, e)).toString('latin1');

export function referenceDecode(input: Uint8Array, limits: DecoderLimits): RefDecoded {
  let pos = 0;

  const line = (): string => {
    // the line runs from after the type byte to the first CR; it must be followed by LF
    let cr = -1;
    for (let i = pos + 1; i < input.length; i++) {
      if (input[i] === 0x0d) {
        cr = i;
        break;
      }
    }
    if (cr === -1) {
      if (input.length - pos - 1 > limits.maxLineLength) throw new Fail('LINE_TOO_LONG');
      throw new NeedMore();
    }
    if (cr - pos - 1 > limits.maxLineLength) throw new Fail('LINE_TOO_LONG');
    if (cr + 1 >= input.length) throw new NeedMore();
    if (input[cr + 1] !== 0x0a) throw new Fail('EXPECTED_CRLF');
    const text = latin1(input, pos + 1, cr);
    pos = cr + 2;
    return text;
  };

  const length = (text: string): number => {
    if (text === '-1') return -1;
    if (!/^\d{1,15}$/.test(text)) return -2;
    return Number(text);
  };

  const payload = (n: number): string => {
    if (input.length - pos < n + 2) throw new NeedMore();
    const s = latin1(input, pos, pos + n);
    if (input[pos + n] !== 0x0d || input[pos + n + 1] !== 0x0a) throw new Fail('EXPECTED_CRLF');
    pos += n + 2;
    return s;
  };

  const value = (depth: number): RespValue => {
    if (pos >= input.length) throw new NeedMore();
    const type = String.fromCharCode(input[pos]!);
    const text = line();
    switch (type) {
      case '+':
        return { type: 'simple', value: text };
      case '-':
        return { type: 'error', value: text, blob: false };
      case ':': {
        const m = /^([+-]?)(\d{1,19})$/.exec(text);
        if (m === null) throw new Fail('BAD_INTEGER');
        const big = BigInt(m[2]!) * (m[1] === '-' ? -1n : 1n);
        if (big > 9223372036854775807n || big < -9223372036854775808n) throw new Fail('BAD_INTEGER');
        const small = big <= 9007199254740991n && big >= -9007199254740991n;
        return { type: 'integer', value: small ? Number(big) : big };
      }
      case '_':
        if (text !== '') throw new Fail('BAD_NULL');
        return { type: 'null', from: '_' };
      case '#':
        if (text !== 't' && text !== 'f') throw new Fail('BAD_BOOLEAN');
        return { type: 'bool', value: text === 't' };
      case ',': {
        let v: number;
        if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) v = Number(text);
        else if (/^[+]?inf$/i.test(text)) v = Infinity;
        else if (/^-inf$/i.test(text)) v = -Infinity;
        else if (/^-?nan$/i.test(text)) v = NaN;
        else throw new Fail('BAD_DOUBLE');
        return { type: 'double', value: v, raw: text };
      }
      case '(':
        if (!/^[+-]?\d+$/.test(text)) throw new Fail('BAD_BIG_NUMBER');
        return { type: 'bigNumber', value: BigInt(text) };
      case '$':
      case '=':
      case '!': {
        const n = length(text);
        if (n === -1 && type === '$') return { type: 'null', from: '$' };
        if (n < 0) throw new Fail('BAD_LENGTH');
        if (n > limits.maxBulkLen) throw new Fail('BULK_TOO_BIG');
        if (type === '=' && n < 4) throw new Fail('BAD_VERBATIM');
        const s = payload(n);
        if (type === '!') return { type: 'error', value: s, blob: true };
        if (type === '=') {
          if (s[3] !== ':') throw new Fail('BAD_VERBATIM');
          return { type: 'verbatim', format: s.slice(0, 3), value: s.slice(4) };
        }
        return { type: 'bulk', value: s };
      }
      case '*':
      case '~':
      case '>':
      case '%':
      case '|': {
        const n = length(text);
        if (n === -1 && type === '*') return { type: 'null', from: '*' };
        if (n < 0) throw new Fail('BAD_LENGTH');
        if (n > limits.maxAggregateLen) throw new Fail('AGGREGATE_TOO_BIG');
        const count = type === '%' || type === '|' ? 2 * n : n;
        if (count > 0 && depth >= limits.maxDepth) throw new Fail('TOO_DEEP');
        const items: RespValue[] = [];
        for (let i = 0; i < count; i++) items.push(value(depth + 1));
        const entries = (): RespEntries => {
          const out: RespEntries = [];
          for (let i = 0; i < items.length; i += 2) out.push([items[i]!, items[i + 1]!]);
          return out;
        };
        if (type === '|') {
          // an attribute annotates the value that follows it at the same level
          const v = value(depth);
          const attrs = entries();
          if (attrs.length > 0) v.attributes = [...attrs, ...(v.attributes ?? [])];
          return v;
        }
        if (type === '%') return { type: 'map', entries: entries() };
        return { type: type === '*' ? 'array' : type === '~' ? 'set' : 'push', items };
      }
      default:
        throw new Fail('BAD_TYPE');
    }
  };

  const values: RespValue[] = [];
  for (;;) {
    const start = pos;
    try {
      values.push(value(0));
    } catch (e) {
      if (e instanceof Fail) return { values, error: e.reason };
      if (e instanceof NeedMore) {
        pos = start;
        return { values, error: null };
      }
      throw e;
    }
  }
}

/** Encodes a value as RESP3 (RESP2 nulls where `from` says so), attributes first. */
export function encode(v: RespValue): string {
  let out = '';
  if (v.attributes !== undefined) {
    out += `|${v.attributes.length}\r\n`;
    for (const [k, val] of v.attributes) out += encode(k as RespValue) + encode(val as RespValue);
  }
  switch (v.type) {
    case 'simple':
      return `${out}+${v.value}\r\n`;
    case 'error':
      return v.blob ? `${out}!${v.value.length}\r\n${v.value}\r\n` : `${out}-${v.value}\r\n`;
    case 'integer':
      return `${out}:${v.value}\r\n`;
    case 'bulk':
      return `${out}$${v.value.length}\r\n${v.value}\r\n`;
    case 'null':
      return out + (v.from === '_' ? '_\r\n' : `${v.from}-1\r\n`);
    case 'bool':
      return `${out}#${v.value ? 't' : 'f'}\r\n`;
    case 'double':
      return `${out},${v.raw}\r\n`;
    case 'bigNumber':
      return `${out}(${v.value}\r\n`;
    case 'verbatim':
      return `${out}=${v.value.length + 4}\r\n${v.format}:${v.value}\r\n`;
    case 'array':
    case 'set':
    case 'push': {
      const t = v.type === 'array' ? '*' : v.type === 'set' ? '~' : '>';
      return `${out}${t}${v.items.length}\r\n${v.items.map(encode).join('')}`;
    }
    case 'map':
      return `${out}%${v.entries.length}\r\n${v.entries.map(([k, val]) => encode(k) + encode(val)).join('')}`;
  }
}
