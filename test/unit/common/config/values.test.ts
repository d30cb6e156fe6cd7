import { describe, expect, it } from 'vitest';
import { formatMemory, parseInteger, parseMemory, parseYesNo } from '../../../../src/common/config/index.js';

describe('value parsers (Redis util.c / config.c)', () => {
  it('parseYesNo is case-insensitive and strict', () => {
    expect(parseYesNo('YES')).toBe(true);
    expect(parseYesNo('no')).toBe(false);
    expect(parseYesNo('y')).toBeUndefined();
    expect(parseYesNo('')).toBeUndefined();
  });

  it('parseInteger follows string2ll', () => {
    expect(parseInteger('0')).toBe(0);
    expect(parseInteger('-12')).toBe(-12);
    for (const bad of ['+1', ' 1', '1 ', '01', '-', '', '1.0', '0x10', '-0']) {
      expect(parseInteger(bad), bad).toBeUndefined();
    }
    expect(parseInteger('9007199254740993')).toBeUndefined();
  });

  it('parseMemory follows memtoull units', () => {
    expect(parseMemory('100')).toBe(100);
    expect(parseMemory('1k')).toBe(1000);
    expect(parseMemory('1KB')).toBe(1024);
    expect(parseMemory('2m')).toBe(2_000_000);
    expect(parseMemory('2mb')).toBe(2 * 1024 * 1024);
    expect(parseMemory('1g')).toBe(1e9);
    expect(parseMemory('1Gb')).toBe(1024 ** 3);
    expect(parseMemory('5b')).toBe(5);
    for (const bad of ['1x', '-1', '1 kb', '1.5mb', '1kbb']) expect(parseMemory(bad), bad).toBeUndefined();
  });

  it('formatMemory uses the largest exact unit (rewriteConfigFormatMemory)', () => {
    expect(formatMemory(0)).toBe('0');
    expect(formatMemory(100 * 1024 * 1024)).toBe('100mb');
    expect(formatMemory(3 * 1024 ** 3)).toBe('3gb');
    expect(formatMemory(2048)).toBe('2kb');
    expect(formatMemory(1000)).toBe('1000');
  });
});
