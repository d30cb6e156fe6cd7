import { describe, expect, it } from 'vitest';
import { settle } from './harness/scenarios.js';
import { World } from './harness/world.js';

describe('reconfiguration rules', () => {
  it('+fix-slave-config: a replica pointed at another master is sent back after failover-timeout', () => {
    const w = new World({ seed: 501, failoverTimeout: 3000 });
    settle(w);
    const stray = w.node(2);
    // an operator points it at the other replica by hand
    stray.becomeReplicaOf(w.node(1).host, w.node(1).port);
    w.run(2000);
    expect(`${stray.masterHost}:${stray.masterPort}`).toBe(w.node(1).addr);
    expect(w.runUntil(() => stray.masterHost === w.node(0).host && stray.masterPort === w.node(0).port, 20_000)).toBe(true);
    expect(w.sentinels.some((s) => s.events('+fix-slave-config').some((e) => e.payload.startsWith(`slave ${stray.addr}`)))).toBe(true);
  });

  it('master-reboot-down-after-period: a master that restarts into LOADING is SDOWN after the period', () => {
    const run = (period: number): boolean => {
      const w = new World({ seed: 502, extraConfig: period > 0 ? [`sentinel master-reboot-down-after-period mymaster ${period}`] : [] });
      settle(w);
      const m = w.node(0);
      w.killNode(m);
      w.restartNode(m); // comes straight back with a new run id ...
      m.loading = true; // ... loading its dataset: PING answers -LOADING, which normally counts as alive
      w.run(4000);
      const reboot = w.sentinels.some((s) => s.events('+reboot').length > 0);
      expect(reboot).toBe(true);
      return w.sentinels.some((s) => s.events('+sdown').some((e) => e.payload.startsWith('master')));
    };
    expect(run(1500)).toBe(true);
    expect(run(0)).toBe(false);
  });

  it('observers run client-reconfig-script with role observer and the old/new addresses', () => {
    const w = new World({ seed: 503, extraConfig: ['sentinel client-reconfig-script mymaster /bin/reconf'] });
    settle(w);
    const old = w.node(0);
    w.killNode(old);
    expect(w.runUntil(() => w.sentinels.every((s) => w.masterAddr(s) !== old.addr), 10_000)).toBe(true);
    w.run(1000);
    const [ip, port] = w.masterAddr(w.sentinels[0]!).split(':') as [string, string];
    const calls = w.sentinels.flatMap((s) => s.scripts.filter((a) => a[0] === '/bin/reconf'));
    expect(calls.filter((a) => a[2] === 'leader')).toEqual([['/bin/reconf', 'mymaster', 'leader', 'start', old.host, '6379', ip, port]]);
    expect(calls.filter((a) => a[2] === 'observer')).toEqual([
      ['/bin/reconf', 'mymaster', 'observer', 'start', old.host, '6379', ip, port],
      ['/bin/reconf', 'mymaster', 'observer', 'start', old.host, '6379', ip, port],
    ]);
  });

  it('hellos carry announce-ip/announce-port when set', () => {
    const w = new World({ seed: 504, extraConfig: ['sentinel announce-ip 192.0.2.9', 'sentinel announce-port 26999'] });
    w.run(5000);
    for (const s of w.sentinels) {
      const m = s.core.state.masters.get('mymaster')!;
      const ports = [...m.sentinels.values()].map((p) => `${p.addr.ip}:${p.addr.port}`);
      // every sentinel announces the same address, so each sees one record for it (the others)
      expect(ports.length).toBeGreaterThan(0);
      expect(ports.every((a) => a === '192.0.2.9:26999')).toBe(true);
    }
  });
});
