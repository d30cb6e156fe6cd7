import { describe, expect, it } from 'vitest';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../../../../src/node/commands/long-double.js';

// Expected strings captured from redis-server 7.0.15 (SET f a; INCRBYFLOAT f b) on x86-64.
const CASES: [string, string, string][] = [
  ['10.5', '0.1', '10.6'],
  ['0', '0.1', '0.1'],
  ['1', '1e17', '100000000000000001'],
  ['3', '-3', '0'],
  ['-1', '0.9', '-0.1'],
  ['5.0e3', '2.0e2', '5200'],
  ['1.1', '2.2', '3.3'],
  ['0.1', '0.2', '0.3'],
  ['1e30', '1', '1000000000000000000024696061952'],
  ['123456789.123456789', '0.000000001', '123456789.12345678999554366'],
  ['-0.5', '0.5', '0'],
  ['1', '-1.5', '-0.5'],
  ['0x10', '1', '17'],
  ['1e-20', '0', '0'],
  ['.5', '5.', '5.5'],
  ['99999999999999999999', '1', '100000000000000000000'],
  ['0.3333333333333333333333', '0', '0.33333333333333333'],
  [
    '7',
    '1e300',
    '1000000000000000000008997324079559193870523944273290747938260082321265646596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567187386105690089424915104006144',
  ],
];

describe('long double emulation (INCRBYFLOAT)', () => {
  it.each(CASES)('%s + %s = %s', (a, b, want) => {
    const x = parseLongDouble(a);
    const y = parseLongDouble(b);
    expect(x).not.toBeNull();
    expect(y).not.toBeNull();
    const s = addLongDouble(x!, y!);
    expect(s).not.toBeNull();
    expect(formatLongDoubleHuman(s!)).toBe(want);
  });

  it('rejects what strtold/getLongDoubleFromObject rejects', () => {
    for (const bad of ['', ' 1', 'abc', '1x', 'nan', '-nan', '1e99999', '1e-99999', '--1', '.', 'e5']) {
      expect(parseLongDouble(bad), JSON.stringify(bad)).toBeNull();
    }
    expect(parseLongDouble('inf')).toEqual({ kind: 'inf', neg: false });
    expect(parseLongDouble('-Infinity')).toEqual({ kind: 'inf', neg: true });
    expect(addLongDouble(parseLongDouble('inf')!, parseLongDouble('-inf')!)).toBeNull();
  });
});
