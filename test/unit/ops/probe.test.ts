import { describe, expect, it } from 'vitest';
import { isSentinelInfo, livenessOf, nodeReadiness, sentinelReadiness } from '../../../src/ops/probe.js';
import { quorumCheckOf } from '../../../src/ops/status-model.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'redis-7.0.15', 'info');
const OK = quorumCheckOf('OK 3 usable Sentinels. Quorum and failover authorization can be reached');
const NOQ = quorumCheckOf(undefined, new Error('NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master'));

function master(extra: Record<string, string> = {}): Record<string, string> {
  return { name: 'mymaster', ip: '10.0.0.1', port: '6379', runid: 'a'.repeat(40), flags: 'master', ...extra };
}

describe('liveness', () => {
  it('PONG and the errors only a live server sends are alive', () => {
    expect(livenessOf('PONG')).toEqual({ ok: true, reason: 'alive (PONG)' });
    for (const e of ['LOADING Redis is loading the dataset in memory', 'MASTERDOWN Link with MASTER is down', 'BUSY Redis is busy', 'NOAUTH Authentication required.']) {
      expect(livenessOf(undefined, new Error(e)).ok).toBe(true);
    }
  });

  it('anything else is not', () => {
    expect(livenessOf('OK').ok).toBe(false);
    expect(livenessOf(undefined, new Error('ERR unknown command')).ok).toBe(false);
    expect(livenessOf(undefined, new Error('connect ECONNREFUSED')).ok).toBe(false);
  });
});

describe('sentinel readiness', () => {
  it('ready when every master is confirmed and the quorum is reachable, even if the master is down', () => {
    expect(sentinelReadiness([{ record: master(), quorum: OK }])).toEqual({ ok: true, reason: 'ready: 1 master known, quorum reachable' });
    const down = master({ flags: 'master,s_down,o_down' });
    expect(sentinelReadiness([{ record: down, quorum: OK }, { record: master({ name: 'b' }), quorum: OK }])).toEqual({
      ok: true,
      reason: 'ready: 2 masters known, quorum reachable',
    });
  });

  it('not ready with no masters, an unconfirmed address, the placeholder, or no quorum', () => {
    expect(sentinelReadiness([])).toEqual({ ok: false, reason: 'not ready: no master monitored' });
    expect(sentinelReadiness([{ record: master({ runid: '', flags: 'master,disconnected' }), quorum: OK }])).toEqual({
      ok: false,
      reason: 'not ready: mymaster: address 10.0.0.1:6379 not confirmed yet (disconnected)',
    });
    expect(sentinelReadiness([{ record: master({ ip: '127.0.0.1' }), quorum: OK }], '127.0.0.1').reason).toBe(
      'not ready: mymaster: still at the placeholder address 127.0.0.1:6379',
    );
    expect(sentinelReadiness([{ record: master(), quorum: OK }], '10.0.0.1:6380').ok).toBe(true);
    expect(sentinelReadiness([{ record: master(), quorum: OK }], '10.0.0.1:6379').ok).toBe(false);
    expect(sentinelReadiness([{ record: master(), quorum: NOQ }]).reason).toBe(`not ready: mymaster: ${NOQ.message}`);
  });
});

describe('data node readiness (captured Redis 7.0.15 INFO)', () => {
  const read = (f: string): string => readFileSync(join(FIX, f), 'latin1');

  it('a master is ready; a linked replica is ready', () => {
    expect(nodeReadiness(read('master-info.txt'))).toEqual({ ok: true, reason: 'ready: master' });
    expect(nodeReadiness(read('replica-info.txt')).ok).toBe(true);
    expect(nodeReadiness(read('replica-info.txt')).reason).toMatch(/^ready: replica of .+:\d+, link up$/);
  });

  it('a replica whose link is down, or which is syncing, is not', () => {
    expect(nodeReadiness(read('replica-linkdown-info.txt')).reason).toMatch(/^not ready: replica of .+, link down$/);
    expect(nodeReadiness('role:slave\r\nmaster_host:h\r\nmaster_port:1\r\nmaster_link_status:up\r\nmaster_sync_in_progress:1\r\n').reason).toBe(
      'not ready: replica of h:1, sync in progress',
    );
    expect(nodeReadiness('loading:1\r\nrole:master\r\n').ok).toBe(false);
    expect(nodeReadiness('').ok).toBe(false);
  });

  it('tells a sentinel from a data node', () => {
    expect(isSentinelInfo(read('master-info.txt'))).toBe(false);
    expect(isSentinelInfo('# Server\r\nredis_version:7.0.15\r\nredis_mode:sentinel\r\n')).toBe(true);
  });
});
