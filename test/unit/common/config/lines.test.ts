import { describe, expect, it } from 'vitest';
import {
  asciiLower,
  formatConfigLine,
  parseConfigText,
  reprArg,
  trimConfigLine,
} from '../../../../src/common/config/index.js';
import { splitArgs } from '../../../../src/common/split-args.js';
import { seededRandom } from '../../../../src/common/random.js';

describe('parseConfigText', () => {
  it('skips comments and blank lines, trims, lowercases the directive name only', () => {
    const text = '# comment\n\n   PORT 7000  \r\n\t# indented comment\nRequirePass "Secret Word"\n';
    const { lines, errors } = parseConfigText(text, 'node.conf');
    expect(errors).toEqual([]);
    expect(lines.map((l) => [l.line, l.name, l.args, l.text])).toEqual([
      [3, 'port', ['PORT', '7000'], 'PORT 7000'],
      [5, 'requirepass', ['RequirePass', 'Secret Word'], 'RequirePass "Secret Word"'],
    ]);
    expect(lines.every((l) => l.file === 'node.conf' && !l.included)).toBe(true);
  });

  it('understands quotes and escapes like sdssplitargs', () => {
    const { lines } = parseConfigText(`user bob on ">p a\\"ss" '~k\\'x' "\\x41\\n"`, 'f');
    expect(lines[0]!.args).toEqual(['user', 'bob', 'on', '>p a"ss', "~k'x", 'A\n']);
  });

  it('reports an unbalanced quote with file, line and text, and keeps going', () => {
    const { lines, errors } = parseConfigText('port 1\nrequirepass "abc\nport 2\nbind "a"b\n', 'x.conf');
    expect(lines.map((l) => l.args)).toEqual([
      ['port', '1'],
      ['port', '2'],
    ]);
    expect(errors).toEqual([
      { file: 'x.conf', line: 2, text: 'requirepass "abc', message: 'Unbalanced quotes in configuration line' },
      { file: 'x.conf', line: 4, text: 'bind "a"b', message: 'Unbalanced quotes in configuration line' },
    ]);
  });

  it('keeps arbitrary bytes (latin1 byte strings) intact', () => {
    const text = Buffer.from([0x61, 0x20, 0xff, 0xc3, 0xa9, 0x0a]).toString('latin1');
    const { lines } = parseConfigText(text, 'f');
    expect(lines[0]!.args).toEqual(['a', '\xff\xc3\xa9']);
  });

  it('does not lowercase non-ASCII bytes (C locale tolower)', () => {
    expect(asciiLower('PoRT\xc9')).toBe('port\xc9');
  });

  it('trims only space, tab, CR and LF', () => {
    expect(trimConfigLine(' \t\r\nport 1 \x0b')).toBe('port 1 \x0b');
  });
});

describe('reprArg / formatConfigLine', () => {
  it('quotes like sdscatrepr', () => {
    expect(reprArg('p"a ss\\x01')).toBe('"p\\"a ss\\\\x01"');
    expect(reprArg('\n\r\t\x07\x08\x00\xff')).toBe('"\\n\\r\\t\\a\\b\\x00\\xff"');
    expect(reprArg('')).toBe('""');
  });

  it('round-trips any arguments through splitArgs', () => {
    const rnd = seededRandom(7);
    for (let i = 0; i < 2000; i++) {
      const args = Array.from({ length: 1 + rnd.int(4) }, () =>
        Array.from({ length: rnd.int(6) }, () => String.fromCharCode(rnd.int(256))).join(''),
      );
      args[0] = 'name';
      expect(splitArgs(formatConfigLine(args))).toEqual(args);
    }
  });

  it('leaves plain arguments unquoted', () => {
    expect(formatConfigLine(['sentinel', 'monitor', 'mymaster', '127.0.0.1', '6379', '2'])).toBe(
      'sentinel monitor mymaster 127.0.0.1 6379 2',
    );
    expect(formatConfigLine(['save', ''])).toBe('save ""');
  });
});
