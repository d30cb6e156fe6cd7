import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { crc64, Crc64 } from '../../../../src/node/persistence/crc64.js';
import { decodeIntset, encodeIntset } from '../../../../src/node/persistence/intset.js';
import { parseStrictInt } from '../../../../src/node/persistence/int-string.js';
import { decodeListpack, encodeListpack, FormatError } from '../../../../src/node/persistence/listpack.js';
import { lzfCompress, lzfDecompress, LzfError } from '../../../../src/node/persistence/lzf.js';
import { RdbCursor } from '../../../../src/node/persistence/rdb-cursor.js';
import { RdbEncoder } from '../../../../src/node/persistence/rdb-encoder.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('crc64 (Jones, as Redis)', () => {
  it('matches the crc64.c self-test value', () => {
    expect(crc64(Buffer.from('123456789'))).toBe(0xe9c6d914c4b8d9can);
  });

  it('matches the spec test vectors (RDB trailers accepted by redis-check-rdb)', () => {
    const vectors = [
      '524544495330303130 ff a9fd37fe89a77eeb',
      '524544495330303039 ff 9aac7abcfb0fad74',
      '524544495330303039 fe00 fb0100 00 046f6e6c79 036f6e65 ff bda019b99a11dde2',
    ];
    for (const v of vectors) {
      const b = hex(v);
      const c = new Crc64().update(b, 0, b.length - 8);
      expect(c.matches(b, b.length - 8)).toBe(true);
      expect(c.bytes().equals(b.subarray(b.length - 8))).toBe(true);
    }
  });

  it('is the same computed in one piece or split at every offset (slicing-by-8 vs bytewise)', () => {
    const r = seededRandom(7);
    const data = Buffer.from(Array.from({ length: 257 }, () => r.int(256)));
    const whole = crc64(data);
    for (let cut = 0; cut <= data.length; cut++) {
      const c = new Crc64().update(data, 0, cut).update(data, cut);
      expect(c.value()).toBe(whole);
    }
    // reference: bit-at-a-time with BigInt
    let ref = 0n;
    for (const byte of data) {
      ref ^= BigInt(byte);
      for (let i = 0; i < 8; i++) ref = ref & 1n ? (ref >> 1n) ^ 0x95ac9329ac4bc9b5n : ref >> 1n;
    }
    expect(whole).toBe(ref);
  });
});

describe('LZF', () => {
  it('round-trips random, repetitive and mixed inputs', () => {
    const r = seededRandom(11);
    const inputs: Buffer[] = [
      Buffer.from('a'.repeat(100)),
      Buffer.from('Lorem ipsum dolor sit amet, '.repeat(80)),
      Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 13)),
      Buffer.from(Array.from({ length: 70000 }, () => r.int(4))),
    ];
    for (const inp of inputs) {
      const c = lzfCompress(inp, inp.length - 4);
      expect(c).not.toBeNull();
      expect(c!.length).toBeLessThan(inp.length - 4);
      expect(lzfDecompress(c!, inp.length).equals(inp)).toBe(true);
    }
  });

  it('refuses to expand incompressible data (returns null, as lzf_compress returns 0)', () => {
    const r = seededRandom(3);
    const inp = Buffer.from(Array.from({ length: 100 }, () => r.int(256)));
    expect(lzfCompress(inp, inp.length - 4)).toBeNull();
  });

  it('decodes a hand-made stream with an overlapping back reference', () => {
    // literal "ab" then back reference distance 2, length 6: "abababab"
    const stream = Buffer.from([0x01, 0x61, 0x62, (4 << 5) | 0, 0x01]);
    expect(lzfDecompress(stream, 8).toString()).toBe('abababab');
  });

  it('rejects malformed streams', () => {
    expect(() => lzfDecompress(Buffer.from([0x05, 0x61]), 6)).toThrow(LzfError); // literal runs past input
    expect(() => lzfDecompress(Buffer.from([0x00, 0x61, 0x20, 0x05]), 4)).toThrow(LzfError); // ref before start
    expect(() => lzfDecompress(Buffer.from([0x00, 0x61]), 2)).toThrow(LzfError); // wrong length
  });
});

describe('strict integers (string2ll)', () => {
  it('accepts canonical int64 decimals only', () => {
    expect(parseStrictInt('0')).toBe(0);
    expect(parseStrictInt('-1')).toBe(-1);
    expect(parseStrictInt('9223372036854775807')).toBe(9223372036854775807n);
    expect(parseStrictInt('-9223372036854775808')).toBe(-9223372036854775808n);
    for (const bad of ['', '-', '-0', '007', '+1', ' 1', '1 ', '3.14', '9223372036854775808', '1e3', '0x10']) {
      expect(parseStrictInt(bad)).toBeNull();
    }
  });
});

describe('listpack', () => {
  it('encodes each element class with the Redis encoding and decodes it back', () => {
    const items = ['0', '127', '128', '-1', '-4096', '4095', '4096', '-32768', '32768', '-8388608', '8388608', '2147483647',
      '-2147483648', '2147483648', '9223372036854775807', '-9223372036854775808', '', 'x'.repeat(63), 'y'.repeat(64),
      'z'.repeat(4095), 'w'.repeat(4096), '3.14', '007', '-0', '\x00\xff\x80'];
    const lp = encodeListpack(items);
    expect(decodeListpack(lp)).toEqual(items);
    // spot-check encodings: '0' → 0x00, '128' → 13-bit int 0xc0 0x80
    expect(lp[6]).toBe(0x00);
    expect(lp.readUInt32LE(0)).toBe(lp.length);
    expect(lp.readUInt16LE(4)).toBe(items.length);
  });

  it('matches the bytes redis-server 7.0.15 DUMPs for ZADD zs -3 c 1 a 2.5 b', () => {
    const lp = encodeListpack(['c', '-3', 'a', '1', 'b', '2.5']);
    expect(lp.toString('hex')).toBe(
      '1a000000' + '0600' + '8163' + '02' + 'dffd' + '02' + '8161' + '02' + '01' + '01' + '8162' + '02' + '83322e35' + '04' + 'ff',
    );
  });

  it('rejects corrupt blobs', () => {
    const lp = encodeListpack(['a', 'b']);
    const badCount = Buffer.from(lp);
    badCount[4] = 3;
    expect(() => decodeListpack(badCount)).toThrow(FormatError);
    const badBack = Buffer.from(lp);
    badBack[8] = 9;
    expect(() => decodeListpack(badBack)).toThrow(FormatError);
    expect(() => decodeListpack(lp.subarray(0, lp.length - 1))).toThrow(FormatError);
  });
});

describe('intset', () => {
  it('picks the narrowest width and sorts', () => {
    expect(encodeIntset([3, 1, 2]).toString('hex')).toBe('02000000' + '03000000' + '0100' + '0200' + '0300');
    expect(encodeIntset([70000, 1]).readUInt32LE(0)).toBe(4);
    expect(encodeIntset([1n << 40n, 1]).readUInt32LE(0)).toBe(8);
    expect(decodeIntset(encodeIntset([5, -9223372036854775808n, 2 ** 40]))).toEqual(['-9223372036854775808', '5', '1099511627776']);
  });

  it('rejects unsorted or duplicate members', () => {
    const b = encodeIntset([1, 2]);
    b.writeInt16LE(1, 10);
    expect(() => decodeIntset(b)).toThrow(FormatError);
  });
});

describe('RdbEncoder.string (rdbSaveRawString, verbatim form)', () => {
  it('writes strings both sides of the short-string cut (32) verbatim after the length, across chunk boundaries', () => {
    const r = seededRandom(13);
    // bytes 0x80-0xff included: the short-string loop must keep each char's low byte, as latin1Write does
    const strings: string[] = [];
    for (let len = 1; len <= 63; len++) {
      for (let k = 0; k < 3; k++) strings.push(String.fromCharCode(...Array.from({ length: len }, () => 0x41 + r.int(0xbf))));
    }
    const chunks: Buffer[] = [];
    const enc = new RdbEncoder((c) => chunks.push(c), { compression: false, checksum: false, chunkSize: 97 });
    for (const s of strings) enc.string(s);
    enc.flush();
    const out = Buffer.concat(chunks);
    const expected = Buffer.concat(strings.map((s) => Buffer.concat([Buffer.from([s.length]), Buffer.from(s, 'latin1')])));
    expect(out.equals(expected)).toBe(true);
    const cur = new RdbCursor(out);
    for (const s of strings) expect(cur.string()).toBe(s);
  });
});
