import { describe, expect, it } from 'vitest';
import { splitArgs } from '../../../src/common/split-args.js';
import { seededRandom } from '../../../src/common/random.js';
import { refSplitArgs } from '../resp/reference-request-parser.js';

const ref = (line: string): string[] | null => refSplitArgs([...Buffer.from(line, 'latin1'), 0]);

describe('splitArgs (sdssplitargs)', () => {
  it.each([
    ['set foo bar', ['set', 'foo', 'bar']],
    ['  spaced\t\targs  ', ['spaced', 'args']],
    ['', []],
    ['   ', []],
    ['"hello world"', ['hello world']],
    ['"a\\x41\\n\\r\\t\\b\\a\\\\\\""', ['aA\n\r\t\b\x07\\"']],
    ['"\\x4" "\\xZZ"', ['x4', 'xZZ']],
    ["'it\\'s' 'a\\nb'", ["it's", 'a\\nb']],
    ['"" \'\'', ['', '']],
    ['a"b c"', ['ab c']],
    ['requirepass "p@ss word"', ['requirepass', 'p@ss word']],
    ['a\x0bb', ['a\x0bb']],
    ['\x0b\x0ca', ['a']],
    ['"\xff\xfe"', ['\xff\xfe']],
  ])('%j', (line, expected) => {
    expect(splitArgs(line)).toEqual(expected);
    expect(ref(line)).toEqual(expected);
  });

  it.each(['"unterminated', "'unterminated", '"a"b', "'a'b", '"abc\\"'])('rejects %j', (line) => {
    expect(ref(line)).toBeNull();
    expect(splitArgs(line)).toBeNull();
  });

  it('treats the line as a C string: a NUL ends it', () => {
    expect(splitArgs('a\0b c')).toEqual(['a']);
    expect(splitArgs('"a\0b"')).toBeNull(); // the quote is never closed
    expect(splitArgs('\0x')).toEqual([]);
    expect(splitArgs('x "a"\0b')).toEqual(['x', 'a']); // the closing quote is followed by the end of the string
  });

  it('agrees with a literal port of sds.c on random lines (seeded)', () => {
    const seed = 0x5eed + 1;
    const rnd = seededRandom(seed);
    const alphabet = ['a', 'b', ' ', '\t', '\n', '\r', '\x0b', '\x0c', '"', "'", '\\', 'x', 'n', '4', 'f', '\0', '\xff'];
    for (let n = 0; n < 20000; n++) {
      let line = '';
      const len = rnd.int(14);
      for (let i = 0; i < len; i++) line += alphabet[rnd.int(alphabet.length)];
      expect(splitArgs(line), `seed ${seed} iteration ${n}: ${JSON.stringify(line)}`).toEqual(ref(line));
    }
  });
});
