import { describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../../src/common/random.js';
import { RespDecoder, RespWriter, type RespValue } from '../../../src/resp/index.js';

function written(proto: 2 | 3, f: (w: RespWriter) => void): string {
  const w = new RespWriter();
  w.proto = proto;
  f(w);
  return w.take()?.toString('latin1') ?? '';
}

describe('RespWriter: RESP2 and RESP3 shapes', () => {
  const cases: Array<[string, (w: RespWriter) => void, string, string]> = [
    ['ok', (w) => w.ok(), '+OK\r\n', '+OK\r\n'],
    ['simple', (w) => w.simple('PONG'), '+PONG\r\n', '+PONG\r\n'],
    ['simple with CRLF', (w) => w.simple('a\r\nb'), '+a  b\r\n', '+a  b\r\n'],
    ['error', (w) => w.error('ERR bad\nthing'), '-ERR bad thing\r\n', '-ERR bad thing\r\n'],
    ['int', (w) => w.int(-42), ':-42\r\n', ':-42\r\n'],
    ['int 0..10', (w) => [0, 9, 10, 99, 100].forEach((n) => w.int(n)), ':0\r\n:9\r\n:10\r\n:99\r\n:100\r\n', ':0\r\n:9\r\n:10\r\n:99\r\n:100\r\n'],
    ['int extremes', (w) => [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER].forEach((n) => w.int(n)), ':9007199254740991\r\n:-9007199254740991\r\n', ':9007199254740991\r\n:-9007199254740991\r\n'],
    ['int bigint', (w) => w.int(-9223372036854775808n), ':-9223372036854775808\r\n', ':-9223372036854775808\r\n'],
    ['int truncates', (w) => [3.7, -3.7, 1e20].forEach((n) => w.int(n)), ':3\r\n:-3\r\n:100000000000000000000\r\n', ':3\r\n:-3\r\n:100000000000000000000\r\n'],
    ['bulk', (w) => w.bulk('hello'), '$5\r\nhello\r\n', '$5\r\nhello\r\n'],
    ['empty bulk', (w) => w.bulk(''), '$0\r\n\r\n', '$0\r\n\r\n'],
    ['long bulk', (w) => w.bulk('x'.repeat(20)), `$20\r\n${'x'.repeat(20)}\r\n`, `$20\r\n${'x'.repeat(20)}\r\n`],
    ['Buffer bulk', (w) => w.bulk(Buffer.from([0, 255, 13, 10])), '$4\r\n\x00\xff\r\n\r\n', '$4\r\n\x00\xff\r\n\r\n'],
    ['nil', (w) => w.nil(), '$-1\r\n', '_\r\n'],
    ['nilArray', (w) => w.nilArray(), '*-1\r\n', '_\r\n'],
    ['array', (w) => w.array(2), '*2\r\n', '*2\r\n'],
    ['map', (w) => w.map(2), '*4\r\n', '%2\r\n'],
    ['set', (w) => w.set(3), '*3\r\n', '~3\r\n'],
    ['push', (w) => w.push(3), '*3\r\n', '>3\r\n'],
    ['double', (w) => w.double(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
    ['double inf', (w) => w.double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
    ['bool', (w) => (w.bool(true), w.bool(false)), ':1\r\n:0\r\n', '#t\r\n#f\r\n'],
    ['bigNumber', (w) => w.bigNumber('12345678901234567890'), '$20\r\n12345678901234567890\r\n', '(12345678901234567890\r\n'],
    ['verbatim', (w) => w.verbatim('a\nb'), '$3\r\na\nb\r\n', '=7\r\ntxt:a\nb\r\n'],
    ['verbatim mkd', (w) => w.verbatim('# x', 'mkd'), '$3\r\n# x\r\n', '=7\r\nmkd:# x\r\n'],
    ['bulkArray', (w) => w.bulkArray(['a', null, Buffer.from('b')]), '*3\r\n$1\r\na\r\n$-1\r\n$1\r\nb\r\n', '*3\r\n$1\r\na\r\n_\r\n$1\r\nb\r\n'],
    ['raw', (w) => w.raw('+X\r\n'), '+X\r\n', '+X\r\n'],
  ];
  for (const [name, f, resp2, resp3] of cases) {
    it(name, () => {
      expect(written(2, f)).toBe(resp2);
      expect(written(3, f)).toBe(resp3);
    });
  }

  it('attribute: written in RESP3 only, and the caller is told whether to write its entries', () => {
    const f = (w: RespWriter): void => {
      if (w.attribute(1)) {
        w.bulk('ttl');
        w.int(5);
      }
      w.bulk('v');
    };
    expect(written(2, f)).toBe('$1\r\nv\r\n');
    expect(written(3, f)).toBe('|1\r\n$3\r\nttl\r\n:5\r\n$1\r\nv\r\n');
  });
});

describe('RespWriter: bytes', () => {
  it('all 256 byte values, as a byte string, a Buffer, a simple string and verbatim text', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const s = all.toString('latin1');
    const w = new RespWriter();
    w.proto = 3;
    w.bulk(s);
    w.bulk(all);
    w.verbatim(s);
    const out = w.take()!;
    expect(out.equals(Buffer.concat([Buffer.from('$256\r\n'), all, Buffer.from('\r\n$256\r\n'), all, Buffer.from('\r\n=260\r\ntxt:'), all, Buffer.from('\r\n')]))).toBe(true);
  });

  it('UTF-8 text converted at the edge keeps its byte length', () => {
    const text = Buffer.from('héllo ✓', 'utf8').toString('latin1');
    expect(written(2, (w) => w.bulk(text))).toBe(`$${Buffer.byteLength('héllo ✓')}\r\n${text}\r\n`);
  });
});

describe('RespWriter: buffer ownership', () => {
  it('take() hands out a region that later writes never touch, even across slab changes and growth', () => {
    const w = new RespWriter(64);
    w.bulk('first');
    const a = w.take()!;
    const aCopy = Buffer.from(a);
    for (let i = 0; i < 2000; i++) w.bulk(`value-${i}`);
    const b = w.take()!;
    const bCopy = Buffer.from(b);
    w.bulk('x'.repeat(100_000));
    const c = w.take()!;
    w.simple('after');
    const d = w.take()!;
    expect(a.equals(aCopy)).toBe(true);
    expect(b.equals(bCopy)).toBe(true);
    expect(c.length).toBe(100_000 + 11);
    expect(d.toString()).toBe('+after\r\n');
    // and the caller may scribble on what it got
    a.fill(0);
    w.simple('more');
    expect(w.take()!.toString()).toBe('+more\r\n');
  });

  it('take() returns null when nothing is pending; length counts pending bytes', () => {
    const w = new RespWriter();
    expect(w.take()).toBeNull();
    w.ok();
    expect(w.length).toBe(5);
    w.take();
    expect(w.length).toBe(0);
    expect(w.take()).toBeNull();
  });

  it('truncate undoes a partial reply', () => {
    const w = new RespWriter();
    w.ok();
    w.take();
    w.int(1);
    const mark = w.length;
    w.array(2);
    w.bulk('half');
    w.truncate(mark);
    w.error('ERR oops');
    expect(w.take()!.toString()).toBe(':1\r\n-ERR oops\r\n');
  });

  it('deferred lengths, nested, across growth, per protocol', () => {
    for (const proto of [2, 3] as const) {
      const w = new RespWriter(32);
      w.proto = proto;
      w.ok();
      w.take();
      w.int(7);
      const outer = w.deferred();
      for (let i = 0; i < 3; i++) {
        w.bulk(`k${i}`);
        const inner = w.deferred();
        for (let j = 0; j < 40; j++) w.int(j);
        w.setDeferred(inner, 'set', 40);
      }
      w.setDeferred(outer, 'map', 3);
      const expected = new RespWriter();
      expected.proto = proto;
      expected.int(7);
      expected.map(3);
      for (let i = 0; i < 3; i++) {
        expected.bulk(`k${i}`);
        expected.set(40);
        for (let j = 0; j < 40; j++) expected.int(j);
      }
      expect(w.take()!.toString('latin1')).toBe(expected.take()!.toString('latin1'));
    }
  });
});

/** Writes a decoded value back with the writer's calls (RESP3 shapes). */
function writeValue(w: RespWriter, v: RespValue): void {
  if (v.attributes !== undefined && w.attribute(v.attributes.length)) {
    for (const [k, val] of v.attributes) {
      writeValue(w, k as RespValue);
      writeValue(w, val as RespValue);
    }
  }
  switch (v.type) {
    case 'simple':
      return w.simple(v.value);
    case 'error':
      return w.error(v.value);
    case 'integer':
      return w.int(v.value);
    case 'bulk':
      return w.bulk(v.value);
    case 'null':
      return w.nil();
    case 'bool':
      return w.bool(v.value);
    case 'double':
      return w.double(v.value);
    case 'bigNumber':
      return w.bigNumber(v.value.toString());
    case 'verbatim':
      return w.verbatim(v.value, v.format === 'mkd' ? 'mkd' : 'txt');
    case 'array':
      w.array(v.items.length);
      return v.items.forEach((it) => writeValue(w, it));
    case 'set':
      w.set(v.items.length);
      return v.items.forEach((it) => writeValue(w, it));
    case 'push':
      w.push(v.items.length);
      return v.items.forEach((it) => writeValue(w, it));
    case 'map':
      w.map(v.entries.length);
      return v.entries.forEach(([k, val]) => (writeValue(w, k), writeValue(w, val)));
  }
}

function randomValue(r: Random, depth: number): RespValue {
  const bytes = (n: number): string => String.fromCharCode(...Array.from({ length: r.int(n) }, () => r.int(256)));
  const text = (n: number): string => String.fromCharCode(...Array.from({ length: r.int(n) }, () => 0x20 + r.int(95)));
  switch (r.int(depth > 2 ? 10 : 14)) {
    case 0:
      return { type: 'simple', value: text(10) };
    case 1:
      return { type: 'error', value: 'ERR ' + text(10), blob: false };
    case 2:
      return { type: 'integer', value: r.int(2e9) - 1e9 };
    case 3:
    case 4:
      return { type: 'bulk', value: bytes(r.int(20) === 0 ? 20000 : 30) };
    case 5:
      return { type: 'null', from: '_' };
    case 6:
      return { type: 'bool', value: r.int(2) === 1 };
    case 7: {
      const d = (r.next() - 0.5) * 10 ** (r.int(40) - 20);
      return { type: 'double', value: d, raw: '' };
    }
    case 8:
      return { type: 'bigNumber', value: BigInt(r.int(1e9)) * 10n ** 25n };
    case 9:
      return { type: 'verbatim', format: 'txt', value: bytes(30) };
    case 10:
      return { type: 'array', items: Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1)) };
    case 11:
      return { type: 'set', items: Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1)) };
    case 12:
      return { type: 'push', items: Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1)) };
    default:
      return { type: 'map', entries: Array.from({ length: r.int(3) }, (): [RespValue, RespValue] => [randomValue(r, depth + 1), randomValue(r, depth + 1)]) };
  }
}

describe('RespWriter → RespDecoder round trip (seeded)', () => {
  it('RESP3 values survive writing and decoding', () => {
    const seed = 31337;
    const r = seededRandom(seed);
    const w = new RespWriter(128);
    w.proto = 3;
    const d = new RespDecoder();
    for (let i = 0; i < 3000; i++) {
      const v = randomValue(r, 0);
      writeValue(w, v);
      d.feed(w.take()!);
      const back = d.next();
      const norm = JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `big:${x}` : x))) as unknown;
      const got = JSON.parse(JSON.stringify(back, (k, x: unknown) => (typeof x === 'bigint' ? `big:${x}` : k === 'raw' ? '' : x))) as unknown;
      expect(got, `seed ${seed} value #${i}`).toEqual(norm);
    }
  });
});
