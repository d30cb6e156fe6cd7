/**
 * What operators see during a failover driven by tsentinel against real redis-server: pub/sub events (exact
 * channel and payload, RESP2 and RESP3 push), notification-script and client-reconfig-script with the reference's
 * arguments, password-protected nodes and sentinels, and tsentinel_* metrics.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { missing, stopAll } from '../helpers/processes.js';
import { Cluster, until } from './sentinel-harness.js';

const skip = missing('redis-server');

/** Send raw bytes, return the first reply line (clients disagree on how to surface NOAUTH). */
function rawFirstLine(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' }, () => s.write(bytes));
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString('latin1');
      const i = buf.indexOf('\r\n');
      if (i >= 0) {
        s.destroy();
        resolve(buf.slice(0, i));
      }
    });
    s.on('error', reject);
  });
}

describe.skipIf(skip)('events, scripts, auth, metrics', () => {
  let cluster: Cluster | null = null;
  const closers: (() => void)[] = [];
  afterEach(async () => {
    for (const f of closers.splice(0)) f();
    await cluster?.close();
    cluster = null;
    await stopAll();
  });

  it('pub/sub events, scripts with the reference arguments, and metrics', async () => {
    const c = new Cluster({ tsentinels: 0, replicas: 1, quorum: 1 });
    cluster = c;
    await c.startNodes();
    const notify = join(c.dir, 'notify.sh');
    const reconf = join(c.dir, 'reconf.sh');
    writeFileSync(notify, `#!/bin/sh\necho "$1|$2" >> ${join(c.dir, 'notify.out')}\n`);
    writeFileSync(reconf, `#!/bin/sh\necho "$*" >> ${join(c.dir, 'reconf.out')}\n`);
    chmodSync(notify, 0o755);
    chmodSync(reconf, 0o755);
    const s = await c.startTsentinel([`sentinel notification-script mymaster ${notify}`, `sentinel client-reconfig-script mymaster ${reconf}`]);
    await c.waitDiscovery();

    const sub2 = new Redis({ port: s.port, protocol: 2, lazyConnect: true });
    const sub3 = new Redis({ port: s.port, protocol: 3, lazyConnect: true });
    closers.push(() => sub2.disconnect(), () => sub3.disconnect());
    await sub2.connect();
    await sub3.connect();
    const all: string[] = [];
    const switches: string[] = [];
    sub2.on('pmessage', (_p: string, ch: string, msg: string) => all.push(`${ch} ${msg}`));
    sub3.on('message', (ch: string, msg: string) => {
      if (ch === '+switch-master') switches.push(msg);
    });
    await sub2.psubscribe('*');
    await sub3.subscribe('+switch-master');
    // scripts cannot be changed at runtime while deny-scripts-reconfig is yes (the default)
    expect(await c.cmd(s.port, 'SENTINEL', 'SET', 'mymaster', 'notification-script', notify)).toMatch(/^ERR:ERR Reconfiguration of scripts path is denied/);

    const oldPort = c.masterPort;
    const newPort = c.replicaPorts[0]!;
    await c.killNode(oldPort);
    await c.waitNewMaster(`127.0.0.1:${oldPort}`);
    await until(() => switches.length > 0, 10_000, '+switch-master on RESP3 subscriber');
    expect(switches[0]).toBe(`mymaster 127.0.0.1 ${oldPort} 127.0.0.1 ${newPort}`);
    for (const e of [
      `+sdown master mymaster 127.0.0.1 ${oldPort}`,
      `+odown master mymaster 127.0.0.1 ${oldPort} #quorum 1/1`,
      `+try-failover master mymaster 127.0.0.1 ${oldPort}`,
      `+selected-slave slave 127.0.0.1:${newPort} 127.0.0.1 ${newPort} @ mymaster 127.0.0.1 ${oldPort}`,
      `+switch-master mymaster 127.0.0.1 ${oldPort} 127.0.0.1 ${newPort}`,
    ]) {
      expect(all).toContain(e);
    }
    // debug-level events are never published
    expect(all.some((m) => m.startsWith('-cmd-link-reconnection'))).toBe(false);

    await until(() => existsSync(join(c.dir, 'reconf.out')), 10_000, 'client-reconfig-script ran');
    expect(readFileSync(join(c.dir, 'reconf.out'), 'utf8').trim()).toBe(`mymaster leader start 127.0.0.1 ${oldPort} 127.0.0.1 ${newPort}`);
    await until(() => readFileSync(join(c.dir, 'notify.out'), 'utf8').includes('+switch-master|'), 10_000, 'notification-script ran');
    const notes = readFileSync(join(c.dir, 'notify.out'), 'utf8').trim().split('\n');
    expect(notes).toContain(`+sdown|master mymaster 127.0.0.1 ${oldPort}`);
    expect(notes).toContain(`+switch-master|mymaster 127.0.0.1 ${oldPort} 127.0.0.1 ${newPort}`);
    // only WARNING events run it: +slave (notice) does not
    expect(notes.some((n) => n.startsWith('+slave|'))).toBe(false);

    const text = await s.handle!.registry.metrics();
    expect(text).toMatch(/tsentinel_switch_master_total\{master="mymaster"\} 1/);
    expect(text).toMatch(/tsentinel_failovers_total\{master="mymaster",result="success"\} 1/);
    expect(text).toMatch(/tsentinel_leader_elections_total\{master="mymaster",result="won"\} 1/);
    expect(text).toMatch(/tsentinel_master_config_epoch\{master="mymaster"\} 1/);
    expect(text).toMatch(new RegExp(`tsentinel_master_info\\{master="mymaster",address="127.0.0.1:${newPort}"\\} 1`));
    expect(text).toMatch(/tsentinel_master_status\{master="mymaster",status="ok"\} 1/);
    expect(text).toMatch(/tsentinel_events_total\{event="\+sdown",master="mymaster"\} \d/);
    expect(text).toMatch(/tsentinel_config_rewrites_total\{result="ok"\} \d/);
    expect(text).toMatch(/tsentinel_instance_ping_duration_seconds_count\{master="mymaster",role="master"\} \d/);
  }, 60_000);

  it('password-protected nodes (auth-pass) and sentinels (requirepass, sentinel-pass)', async () => {
    const c = new Cluster({ tsentinels: 0, nodePassword: 'nodepw' });
    cluster = c;
    await c.startNodes();
    const extra = ['sentinel auth-pass mymaster nodepw', 'requirepass sentpw', 'sentinel sentinel-pass sentpw'];
    for (let i = 0; i < 3; i++) await c.startTsentinel(extra);
    const authed = async (port: number, ...args: string[]): Promise<unknown> => {
      const r = new Redis({ port, password: 'sentpw', lazyConnect: true, retryStrategy: () => null });
      r.on('error', () => {});
      try {
        await r.connect();
        return await r.call(args[0]!, ...args.slice(1));
      } finally {
        r.disconnect();
      }
    };
    expect(await rawFirstLine(c.sentinels[0]!.port, '*2\r\n$8\r\nSENTINEL\r\n$7\r\nmasters\r\n')).toBe('-NOAUTH Authentication required.');
    await until(
      async () => {
        for (const s of c.sentinels) {
          const m = (await authed(s.port, 'SENTINEL', 'master', 'mymaster')) as string[];
          const f = (k: string): string => m[m.indexOf(k) + 1]!;
          if (f('num-slaves') !== '2' || f('num-other-sentinels') !== '2' || f('flags') !== 'master') return false;
        }
        return true;
      },
      30_000,
      'discovery with passwords',
    );
    const old = c.masterPort;
    await c.killNode(old);
    await until(
      async () => {
        const all = await Promise.all(c.sentinels.map((s) => authed(s.port, 'SENTINEL', 'get-master-addr-by-name', 'mymaster') as Promise<string[]>));
        return all.every((a) => a[1] !== String(old) && a[1] === all[0]![1]);
      },
      20_000,
      'failover with passwords',
    );
  }, 60_000);
});
