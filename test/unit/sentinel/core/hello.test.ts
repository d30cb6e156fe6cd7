import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { loadSentinelDirectives } from '../../../../src/sentinel/config/directives.js';
import { publishHello } from '../../../../src/sentinel/core/admin.js';
import { SentinelCore } from '../../../../src/sentinel/core/core.js';
import type { Effect } from '../../../../src/sentinel/core/io.js';

const ME = 'a'.repeat(40);
const P1 = 'b'.repeat(40);
const P2 = 'c'.repeat(40);

function core(extra: string[][] = []): SentinelCore {
  const c = new SentinelCore({ random: seededRandom(7), now: 0, myid: ME });
  loadSentinelDirectives(
    c,
    0,
    [
      { args: ['monitor', 'm', '10.0.0.1', '6379', '2'] },
      { args: ['known-replica', 'm', '10.0.0.2', '6379'] },
      { args: ['client-reconfig-script', 'm', '/bin/reconf'] },
      ...extra.map((args) => ({ args })),
    ],
    { isExecutable: () => true },
  );
  return c;
}

const hello = (ip: string, port: number, runid: string, epoch: number, mip = '10.0.0.1', mport = 6379, cfg = 0): string =>
  `${ip},${port},${runid},${epoch},m,${mip},${mport},${cfg}`;
const events = (effects: Effect[]): string[] => effects.flatMap((e) => (e.type === 'event' ? [`${e.event.type} ${e.event.payload}`] : []));

describe('hello processing', () => {
  it('a new sentinel: +sentinel, and the config is flushed', () => {
    const c = core();
    const r = publishHello(c, 10, hello('10.0.1.2', 26379, P1, 0));
    expect(events(r.effects)).toContain(`+sentinel sentinel ${P1} 10.0.1.2 26379 @ m 10.0.0.1 6379`);
    expect(r.effects.some((e) => e.type === 'persist')).toBe(true);
    expect([...c.state.masters.get('m')!.sentinels.keys()]).toEqual([P1]);
  });

  it('same runid at a new address: +sentinel-address-switch, the record moves', () => {
    const c = core([['known-sentinel', 'm', '10.0.1.2', '26379', P1]]);
    const r = publishHello(c, 10, hello('10.0.1.9', 26400, P1, 0));
    expect(events(r.effects)).toContain(`+sentinel-address-switch master m 10.0.0.1 6379 ip 10.0.1.9 port 26400 for ${P1}`);
    const p = c.state.masters.get('m')!.sentinels.get(P1)!;
    expect([p.addr.ip, p.addr.port]).toEqual(['10.0.1.9', 26400]);
  });

  it('a new runid at a known address: +sentinel-invalid-addr for the old one, +sentinel for the new', () => {
    const c = core([['known-sentinel', 'm', '10.0.1.2', '26379', P1]]);
    const r = publishHello(c, 10, hello('10.0.1.2', 26379, P2, 0));
    const ev = events(r.effects);
    expect(ev).toContain(`+sentinel-invalid-addr sentinel ${P1} 10.0.1.2 26379 @ m 10.0.0.1 6379`);
    expect(ev).toContain(`+sentinel sentinel ${P2} 10.0.1.2 26379 @ m 10.0.0.1 6379`);
    expect([...c.state.masters.get('m')!.sentinels.keys()]).toEqual([P2]);
  });

  it('a newer current epoch is adopted and flushed (+new-epoch)', () => {
    const c = core();
    const r = publishHello(c, 10, hello('10.0.1.2', 26379, P1, 7));
    expect(events(r.effects)).toContain('+new-epoch 7');
    expect(c.state.currentEpoch).toBe(7);
  });

  it('a newer config epoch with another master address switches (observer): +config-update-from, +switch-master, observer script', () => {
    const c = core();
    const r = publishHello(c, 10, hello('10.0.1.2', 26379, P1, 3, '10.0.0.2', 6379, 3));
    const ev = events(r.effects);
    expect(ev).toContain(`+config-update-from sentinel ${P1} 10.0.1.2 26379 @ m 10.0.0.1 6379`);
    expect(ev).toContain('+switch-master m 10.0.0.1 6379 10.0.0.2 6379');
    expect(ev).toContain('+slave slave 10.0.0.1:6379 10.0.0.1 6379 @ m 10.0.0.2 6379');
    const m = c.state.masters.get('m')!;
    expect([m.addr.ip, m.configEpoch]).toEqual(['10.0.0.2', 3]);
    expect([...m.replicas.keys()]).toEqual(['10.0.0.1:6379']);
    expect(r.effects).toContainEqual({ type: 'script', path: '/bin/reconf', args: ['m', 'observer', 'start', '10.0.0.1', '6379', '10.0.0.2', '6379'] });
    // an older or equal config epoch changes nothing
    const again = publishHello(c, 20, hello('10.0.1.2', 26379, P1, 3, '10.0.0.9', 6379, 3));
    expect(events(again.effects).some((e) => e.startsWith('+switch-master'))).toBe(false);
  });

  it('an unknown master name, a hostname without resolve-hostnames, and garbage are ignored', () => {
    const c = core();
    expect(publishHello(c, 10, `10.0.1.2,26379,${P1},0,other,10.0.0.1,6379,0`).effects).toEqual([]);
    expect(events(publishHello(c, 10, hello('sentinel-2.example', 26379, P1, 0)).effects)).toEqual([]);
    const g = publishHello(c, 10, 'x,y');
    expect(g.effects.filter((e) => e.type === 'log').map((e) => (e.type === 'log' ? e.msg : ''))).toEqual(['Ignoring malformed hello: expected 8 tokens, got 2']);
    expect(c.state.masters.get('m')!.sentinels.size).toBe(0);
  });
});
