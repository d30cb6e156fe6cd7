import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { SentinelCore } from '../../../../src/sentinel/core/core.js';
import { loadSentinelDirectives } from '../../../../src/sentinel/config/directives.js';
import { instanceFields } from '../../../../src/sentinel/protocol/instance-fields.js';
import { sentinelInfoSection } from '../../../../src/sentinel/protocol/info-section.js';

const DIR = 'test/fixtures/redis-7.0.15/info';

/** Minimal RESP2 reader for the captured replies: returns nested arrays of strings. */
function readResp(buf: string): unknown {
  let i = 0;
  const line = (): string => {
    const e = buf.indexOf('\r\n', i);
    const s = buf.slice(i, e);
    i = e + 2;
    return s;
  };
  const value = (): unknown => {
    const l = line();
    const t = l[0];
    const n = Number(l.slice(1));
    if (t === '*') return n < 0 ? null : Array.from({ length: n }, () => value());
    if (t === '$') {
      if (n < 0) return null;
      const s = buf.slice(i, i + n);
      i += n + 2;
      return s;
    }
    return l.slice(1);
  };
  return value();
}

const keys = (flat: string[]): string[] => flat.filter((_, j) => j % 2 === 0);

function fixtureState(): SentinelCore {
  const core = new SentinelCore({ random: seededRandom(1), now: 1000 });
  loadSentinelDirectives(
    core,
    1000,
    [
      { args: ['monitor', 'mymaster', '127.0.0.1', '23100', '2'] },
      { args: ['known-replica', 'mymaster', '127.0.0.1', '23101'] },
      { args: ['known-replica', 'mymaster', '127.0.0.1', '23102'] },
      { args: ['known-sentinel', 'mymaster', '127.0.0.1', '23202', 'f'.repeat(40)] },
      { args: ['known-sentinel', 'mymaster', '127.0.0.1', '23203', 'c'.repeat(40)] },
    ],
    { isExecutable: () => true },
  );
  for (const l of core.state.links.values()) {
    l.disconnected = false;
    l.cc = 'up';
  }
  return core;
}

describe('instance maps have the fixture field order', () => {
  const core = fixtureState();
  const m = core.state.masters.get('mymaster')!;

  it('SENTINEL MASTER', () => {
    const fx = readResp(readFileSync(`${DIR}/sentinel-master.resp2.bin`, 'latin1')) as string[];
    expect(instanceFields(m, 2000, false).map(([k]) => k)).toEqual(keys(fx));
    expect(Object.fromEntries(instanceFields(m, 2000, false))).toMatchObject({ flags: 'master', 'num-slaves': '2', 'num-other-sentinels': '2', quorum: '2' });
  });

  it('SENTINEL REPLICAS', () => {
    const fx = readResp(readFileSync(`${DIR}/sentinel-replicas.resp2.bin`, 'latin1')) as string[][];
    const r = m.replicas.get('127.0.0.1:23101')!;
    expect(instanceFields(r, 2000, false).map(([k]) => k)).toEqual(keys(fx[0]!));
  });

  it('SENTINEL SENTINELS', () => {
    const fx = readResp(readFileSync(`${DIR}/sentinel-sentinels.resp2.bin`, 'latin1')) as string[][];
    const p = m.sentinels.get('f'.repeat(40))!;
    const f = Object.fromEntries(instanceFields(p, 2000, false));
    expect(instanceFields(p, 2000, false).map(([k]) => k)).toEqual(keys(fx[0]!));
    expect(f['voted-leader']).toBe('?');
    expect(f.runid).toBe(f.name);
  });

  it('conditional fields appear in place: failover-state, s-down-time, o-down-time, scripts', () => {
    m.sDown = true;
    m.sDownSince = 1500;
    m.oDown = true;
    m.oDownSince = 1600;
    m.failoverInProgress = true;
    m.failoverState = 1;
    m.notificationScript = '/n.sh';
    const f = instanceFields(m, 2000, false);
    const names = f.map(([k]) => k);
    expect(names.slice(5, 9)).toEqual(['link-pending-commands', 'link-refcount', 'failover-state', 'last-ping-sent']);
    expect(names.indexOf('s-down-time')).toBe(names.indexOf('last-ping-reply') + 1);
    expect(names.indexOf('o-down-time')).toBe(names.indexOf('s-down-time') + 1);
    expect(names[names.length - 1]).toBe('notification-script');
    const o = Object.fromEntries(f);
    expect(o.flags).toBe('s_down,o_down,master,failover_in_progress');
    expect(o['failover-state']).toBe('wait_start');
    expect(o['s-down-time']).toBe('500');
  });

  it('INFO sentinel section matches the captured layout', () => {
    const fresh = fixtureState();
    const text = sentinelInfoSection(fresh.state, 2000, { running: 0, queued: 0 });
    const fx = readFileSync(`${DIR}/sentinel-info.txt`, 'latin1');
    const section = fx.slice(fx.indexOf('# Sentinel'));
    expect(text).toBe(section.replace('sentinels=3', 'sentinels=3'));
  });
});
