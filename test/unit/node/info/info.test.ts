import { describe, expect, it } from 'vitest';
import { bytesToHuman } from '../../../../src/node/info/format.js';
import { averageTtl } from '../../../../src/node/info/node-info.js';
import { InfoRegistry } from '../../../../src/node/info/registry.js';
import { commandstatsSection, errorstatsSection, keyspaceSection } from '../../../../src/node/info/sections.js';

describe('INFO building blocks', () => {
  it('bytesToHuman as util.c (values from the 7.0.15 capture)', () => {
    expect(bytesToHuman(1206328)).toBe('1.15M');
    expect(bytesToHuman(25276502016)).toBe('23.54G');
    expect(bytesToHuman(200)).toBe('200B');
    expect(bytesToHuman(32768)).toBe('32.00K');
    expect(bytesToHuman(0)).toBe('0B');
  });

  it('selects sections like genRedisInfoString and joins them with an empty line', () => {
    const r = new InfoRegistry();
    r.add({ name: 'a', inDefault: true, render: () => '# A\r\nx:1\r\n' });
    r.add({ name: 'b', inDefault: false, render: () => '# B\r\ny:2' });
    r.add({ name: 'c', inDefault: true, render: () => '# C\r\n' });
    expect(r.generate([])).toBe('# A\r\nx:1\r\n\r\n# C\r\n');
    expect(r.generate(['default'])).toBe('# A\r\nx:1\r\n\r\n# C\r\n');
    expect(r.generate(['all'])).toBe('# A\r\nx:1\r\n\r\n# B\r\ny:2\r\n\r\n# C\r\n');
    expect(r.generate(['B', 'a'])).toBe('# A\r\nx:1\r\n\r\n# B\r\ny:2\r\n');
    expect(r.generate(['nope'])).toBe('');
  });

  it('keyspace, errorstats and commandstats lines', () => {
    expect(keyspaceSection([{ index: 0, keys: 6, expires: 1, avgTtl: 86395249 }, { index: 1, keys: 0, expires: 0, avgTtl: 0 }])).toBe(
      '# Keyspace\r\ndb0:keys=6,expires=1,avg_ttl=86395249\r\n',
    );
    expect(errorstatsSection(new Map([['ERR', 2], ['WRONGTYPE', 1]]))).toBe('# Errorstats\r\nerrorstat_ERR:count=2\r\nerrorstat_WRONGTYPE:count=1\r\n');
    expect(
      commandstatsSection([
        { name: 'get', calls: 4, usec: 11, rejectedCalls: 0, failedCalls: 1 },
        { name: 'set', calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 },
        { name: 'config|get', calls: 0, usec: 0, rejectedCalls: 2, failedCalls: 0 },
      ]),
    ).toBe(
      '# Commandstats\r\ncmdstat_get:calls=4,usec=11,usec_per_call=2.75,rejected_calls=0,failed_calls=1\r\ncmdstat_config|get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=2,failed_calls=0\r\n',
    );
  });

  it('avg_ttl averages the remaining TTL of live volatile keys', () => {
    expect(averageTtl(new Map([['a', 1100], ['b', 1300], ['c', 900]]), 1000)).toBe(200);
    expect(averageTtl(new Map(), 1000)).toBe(0);
  });
});
