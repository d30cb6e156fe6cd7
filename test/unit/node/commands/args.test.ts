import { describe, expect, it } from 'vitest';
import { parseDouble, parseInt64, parseInt64Exact, parseLooseDouble, parseNonNegative } from '../../../../src/node/commands/args.js';
import { parseSetOptions } from '../../../../src/node/commands/set-options.js';

describe('string2ll / strtod acceptance', () => {
  it('integers as string2ll', () => {
    for (const ok of ['0', '-1', '9223372036854775807', '-9223372036854775808', '123']) expect(parseInt64(ok), ok).not.toBeNull();
    for (const bad of ['', '-0', '+1', '01', ' 1', '1 ', '1.0', '9223372036854775808', '-9223372036854775809', '0x10', '-'])
      expect(parseInt64(bad), bad).toBeNull();
    expect(parseInt64Exact('-9223372036854775808')).toBe(-(2n ** 63n));
    expect(parseNonNegative('-1', 'M')).toBe('M');
    expect(parseNonNegative('x', 'M')).toBe('M');
    expect(parseNonNegative('7', 'M')).toBe(7);
  });

  it('doubles as getDoubleFromObject and zslParseRange', () => {
    expect(parseDouble('1.5')).toBe(1.5);
    expect(parseDouble('inf')).toBe(Infinity);
    expect(parseDouble('-Infinity')).toBe(-Infinity);
    expect(parseDouble('0x10')).toBe(16);
    expect(parseDouble('1e400')).toBeNull(); // ERANGE overflow
    expect(parseDouble('1e-400')).toBeNull(); // underflow to zero
    expect(parseDouble('nan')).toBeNull();
    expect(parseDouble(' 1')).toBeNull();
    expect(parseDouble('')).toBeNull();
    expect(parseDouble('1x')).toBeNull();
    // integers take a fast path: the same values strtod gives, -0 and leading zeros included
    for (const [t, v] of [['-5', -5], ['007', 7], ['123456789012345', 123456789012345], ['1234567890123456', 1234567890123456], ['+5', 5]] as const) {
      expect(parseDouble(t), t).toBe(v);
    }
    expect(Object.is(parseDouble('-0'), -0)).toBe(true);
    expect(Object.is(parseDouble('-000'), -0)).toBe(true);
    expect(parseDouble('-')).toBeNull();
    expect(parseDouble('+')).toBeNull();
    expect(parseDouble('-+1')).toBeNull();
    // redis-benchmark's zero-padded __rand_int__, and lengths on both sides of the 15-digit fast path
    for (const t of ['000000012345', '-000000012345', '999999999999999', '0999999999999999', '9007199254740993', '+0000000000000001']) {
      expect(parseDouble(t), t).toBe(Number(t));
    }
    expect(parseLooseDouble(' 1')).toBe(1); // strtod skips leading space
    expect(parseLooseDouble('')).toBe(0);
    expect(parseLooseDouble('1e400')).toBe(Infinity);
    expect(parseLooseDouble('nan')).toBeNull();
  });

  it('SET/GETEX option grammar', () => {
    expect(parseSetOptions(['SET', 'k', 'v', 'NX', 'GET', 'EX', '10'], 3, 'set')).toEqual({ nx: true, get: true, unit: 'EX', expire: '10' });
    expect(parseSetOptions(['SET', 'k', 'v', 'NX', 'XX'], 3, 'set')).toBeNull();
    expect(parseSetOptions(['SET', 'k', 'v', 'EX', '1', 'PX', '2'], 3, 'set')).toBeNull();
    expect(parseSetOptions(['SET', 'k', 'v', 'EX', '1', 'EX', '2'], 3, 'set')).toEqual({ unit: 'EX', expire: '2' });
    expect(parseSetOptions(['SET', 'k', 'v', 'KEEPTTL', 'EX', '1'], 3, 'set')).toBeNull();
    expect(parseSetOptions(['SET', 'k', 'v', 'PERSIST'], 3, 'set')).toBeNull();
    expect(parseSetOptions(['GETEX', 'k', 'PERSIST'], 2, 'get')).toEqual({ persist: true });
    expect(parseSetOptions(['GETEX', 'k', 'NX'], 2, 'get')).toBeNull();
    expect(parseSetOptions(['SET', 'k', 'v', 'EX'], 3, 'set')).toBeNull();
  });
});
