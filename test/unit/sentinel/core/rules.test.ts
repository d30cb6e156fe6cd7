import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { loadSentinelDirectives } from '../../../../src/sentinel/config/directives.js';
import { set, isMasterDownByAddr, checkQuorum, configSet, configGet, debugSet, debugGet, simulateFailure, monitor, remove } from '../../../../src/sentinel/core/admin.js';
import { SentinelCore } from '../../../../src/sentinel/core/core.js';
import { sendSlaveOf } from '../../../../src/sentinel/core/failover.js';
import type { Effect } from '../../../../src/sentinel/core/io.js';
import type { Replica } from '../../../../src/sentinel/core/model.js';
import { compareForPromotion } from '../../../../src/sentinel/core/selection.js';
import { isSubjectivelyDown } from '../../../../src/sentinel/core/sdown.js';
import { getLeader, tallyVotes, voteLeader } from '../../../../src/sentinel/core/votes.js';

const ME = 'a'.repeat(40);
const P1 = 'b'.repeat(40);
const P2 = 'c'.repeat(40);

function core(extra: string[][] = []): SentinelCore {
  const c = new SentinelCore({ random: seededRandom(3), now: 0, myid: ME });
  loadSentinelDirectives(
    c,
    0,
    [
      { args: ['monitor', 'm', '10.0.0.1', '6379', '2'] },
      { args: ['known-replica', 'm', '10.0.0.2', '6379'] },
      { args: ['known-replica', 'm', '10.0.0.3', '6379'] },
      { args: ['known-sentinel', 'm', '10.0.1.2', '26379', P1] },
      { args: ['known-sentinel', 'm', '10.0.1.3', '26379', P2] },
      ...extra.map((args) => ({ args })),
    ],
    { isExecutable: () => true },
  );
  return c;
}

const kinds = (effects: Effect[]): string[] => effects.map((e) => (e.type === 'event' ? e.event.type : e.type));

describe('votes', () => {
  it('first come first served, one vote per epoch; persist precedes the +vote-for-leader', () => {
    const c = core();
    const m = c.state.masters.get('m')!;
    const ctx = c.begin(100);
    expect(voteLeader(ctx, m, 1, P1)).toEqual({ leader: P1, leaderEpoch: 1 });
    expect(voteLeader(ctx, m, 1, P2)).toEqual({ leader: P1, leaderEpoch: 1 });
    expect(kinds(ctx.out)).toEqual(['persist', '+new-epoch', 'persist', '+vote-for-leader']);
    // voting for someone else blocks our own failover attempt for 2×failover-timeout
    expect(m.failoverStartTime).toBeGreaterThanOrEqual(100);
    expect(voteLeader(ctx, m, 2, P2)).toEqual({ leader: P2, leaderEpoch: 2 });
    // an old epoch never gets a vote
    expect(voteLeader(ctx, m, 1, P1)).toEqual({ leader: P2, leaderEpoch: 2 });
  });

  it('IS-MASTER-DOWN-BY-ADDR: the persist effect comes before the reply is produced; bad numbers are rejected', () => {
    const c = core();
    const r = isMasterDownByAddr(c, 5, '10.0.0.1', '6379', '3', P1);
    expect(r.value).toEqual({ down: false, leader: P1, leaderEpoch: 3 });
    expect(r.effects[0]!.type).toBe('persist');
    expect(isMasterDownByAddr(c, 5, '10.0.0.1', 'x', '3', P1).error).toBe('ERR value is not an integer or out of range');
    expect(isMasterDownByAddr(c, 5, '10.0.0.9', '6379', '4', P1).value).toEqual({ down: false, leader: null, leaderEpoch: 0 });
    expect(isMasterDownByAddr(c, 5, '10.0.0.1', '6379', '9', '*').value).toEqual({ down: false, leader: null, leaderEpoch: 0 });
  });

  it('getLeader needs an absolute majority of all known sentinels and the quorum', () => {
    const c = core();
    const m = c.state.masters.get('m')!;
    c.state.currentEpoch = 1;
    const [p1, p2] = [...m.sentinels.values()] as [typeof m.sentinels extends Map<string, infer P> ? P : never, never];
    expect(getLeader(c.begin(0), m, 1)).toBeNull(); // only our own vote: 1 of 3
    p1.leader = ME;
    p1.leaderEpoch = 1;
    expect(getLeader(c.begin(0), m, 1)).toBe(ME); // 2 of 3, quorum 2
    m.quorum = 3;
    expect(getLeader(c.begin(0), m, 1)).toBeNull(); // majority but not quorum
    expect(tallyVotes([p1, p2], 1)).toEqual(new Map([[ME, 1]]));
  });
});

describe('selection and down rules', () => {
  it('ranks by priority, then offset, then runid (unknown last)', () => {
    const r = (priority: number, offset: number, runid: string | null) => ({ slavePriority: priority, slaveReplOffset: offset, runid }) as Replica;
    const list = [r(100, 5, 'b'), r(10, 1, 'z'), r(100, 9, null), r(100, 9, 'a'), r(100, 5, null)];
    list.sort(compareForPromotion);
    expect(list.map((x) => [x.slavePriority, x.slaveReplOffset, x.runid])).toEqual([
      [10, 1, 'z'],
      [100, 9, 'a'],
      [100, 9, null],
      [100, 5, 'b'],
      [100, 5, null],
    ]);
  });

  it('SDOWN: pending PING older than down-after, or disconnected since last valid reply', () => {
    const c = core();
    const m = c.state.masters.get('m')!;
    m.downAfter = 1000;
    m.link.actPingTime = 100;
    expect(isSubjectivelyDown(m, 1100, c.state.timing)).toBe(false);
    expect(isSubjectivelyDown(m, 1101, c.state.timing)).toBe(true);
    m.link.actPingTime = 0;
    m.link.disconnected = true;
    m.link.lastAvailTime = 500;
    expect(isSubjectivelyDown(m, 1501, c.state.timing)).toBe(true);
    m.link.disconnected = false;
    expect(isSubjectivelyDown(m, 1501, c.state.timing)).toBe(false);
    // a master reporting slave for down-after + 2×info-period
    m.roleReported = 'slave';
    m.roleReportedTime = 0;
    expect(isSubjectivelyDown(m, 21_001, c.state.timing)).toBe(true);
  });

  it('the reconfiguration transaction goes through rename-command', () => {
    const c = core([['rename-command', 'm', 'CONFIG', 'CFG'], ['rename-command', 'm', 'slaveof', 'REPL']]);
    const m = c.state.masters.get('m')!;
    const r = m.replicas.get('10.0.0.2:6379')!;
    r.link.cc = 'up';
    const ctx = c.begin(0);
    expect(sendSlaveOf(ctx, r, null)).toBe(true);
    const sent = ctx.out.filter((e) => e.type === 'send').map((e) => (e.type === 'send' ? e.args.join(' ') : ''));
    expect(sent).toEqual(['MULTI', 'REPL NO ONE', 'CFG REWRITE', 'CLIENT KILL TYPE normal', 'CLIENT KILL TYPE pubsub', 'EXEC']);
    r.link.cc = 'down';
    expect(sendSlaveOf(c.begin(0), r, m.addr)).toBe(false);
  });

  it('CKQUORUM counts ourselves plus peers not SDOWN against quorum and majority', () => {
    const c = core();
    const m = c.state.masters.get('m')!;
    expect(checkQuorum(m)).toEqual({ usable: 3, noQuorum: false, noAuth: false });
    for (const p of m.sentinels.values()) p.sDown = true;
    expect(checkQuorum(m)).toEqual({ usable: 1, noQuorum: true, noAuth: true });
  });
});

describe('admin operations', () => {
  it('SENTINEL SET is applied pair by pair, emits +set (auth-pass redacted) and flushes', () => {
    const c = core();
    const r = set(c, 0, 'm', ['down-after-milliseconds', '1500', 'auth-pass', 'pw', 'rename-command', 'config', 'CFG'], { isExecutable: () => true });
    expect(r.error).toBeUndefined();
    const payloads = r.effects.flatMap((e) => (e.type === 'event' && e.event.type === '+set' ? [e.event.payload] : []));
    expect(payloads).toEqual([
      'master m 10.0.0.1 6379 down-after-milliseconds 1500',
      'master m 10.0.0.1 6379 auth-pass ******',
      'master m 10.0.0.1 6379 rename-command config CFG',
    ]);
    expect(r.effects.some((e) => e.type === 'persist')).toBe(true);
    const m = c.state.masters.get('m')!;
    expect(m.downAfter).toBe(1500);
    expect(m.replicas.get('10.0.0.2:6379')!.downAfter).toBe(1500);
    // not atomic: the first pair stays applied when the second fails
    const bad = set(c, 0, 'm', ['quorum', '3', 'parallel-syncs', '0'], { isExecutable: () => true });
    expect(bad.error).toBe("ERR Invalid argument '0' for SENTINEL SET 'parallel-syncs'");
    expect(m.quorum).toBe(3);
    expect(bad.effects.some((e) => e.type === 'persist')).toBe(true);
    expect(set(c, 0, 'm', ['bogus', '1'], { isExecutable: () => true }).error).toBe("ERR Unknown option or number of arguments for SENTINEL SET 'bogus'");
    expect(set(c, 0, 'm', ['notification-script', '/x'], { isExecutable: () => true }).error).toMatch(/^ERR Reconfiguration of scripts path is denied/);
    expect(set(c, 0, 'nope', ['quorum', '1'], { isExecutable: () => true }).error).toBe('ERR No such master with that name');
  });

  it('MONITOR validates like the reference and REMOVE emits -monitor', () => {
    const c = core();
    expect(monitor(c, 0, 'x', '10.0.0.5', '6379', 'q').error).toBe('ERR Invalid quorum');
    expect(monitor(c, 0, 'x', '10.0.0.5', 'p', '2').error).toBe('ERR Invalid port');
    expect(monitor(c, 0, 'x', '10.0.0.5', '6379', '0').error).toBe('ERR Quorum must be 1 or greater.');
    expect(monitor(c, 0, 'x', 'localhost', '6379', '2').error).toBe('ERR Invalid IP address or hostname specified');
    expect(monitor(c, 0, 'x', '10.0.0.5', '70000', '2').error).toBe('ERR Invalid port number.');
    expect(monitor(c, 0, 'm', '10.0.0.5', '6379', '2').error).toBe('ERR Duplicate master name.');
    const ok = monitor(c, 0, 'x', '10.0.0.5', '6379', '2');
    expect(ok.error).toBeUndefined();
    expect(kinds(ok.effects).slice(0, 2)).toEqual(['persist', '+monitor']);
    const rm = remove(c, 0, 'x');
    expect(kinds(rm.effects)).toContain('-monitor');
    expect(c.state.masters.has('x')).toBe(false);
  });

  it('CONFIG SET/GET, DEBUG, SIMULATE-FAILURE', () => {
    const c = core();
    expect(configSet(c, 0, ['announce-port', '99999']).error).toBe("ERR Invalid value '99999' to SENTINEL CONFIG SET 'announce-port'");
    expect(configSet(c, 0, ['bar', '1']).error).toBe("ERR Invalid argument 'bar' to SENTINEL CONFIG SET");
    expect(configSet(c, 0, ['announce-ip', '1.2.3.4', 'announce-port', '26400']).error).toBeUndefined();
    expect(configGet(c, ['announce-*'])).toEqual([
      ['announce-hostnames', 'no'],
      ['announce-ip', '1.2.3.4'],
      ['announce-port', '26400'],
    ]);
    expect(debugSet(c, ['ping-period', '100', 'info-period', '500'])).toBeNull();
    expect(debugGet(c).slice(0, 2)).toEqual([
      ['INFO-PERIOD', 500],
      ['PING-PERIOD', 100],
    ]);
    expect(debugSet(c, ['foo', '1'])).toBe("ERR Unknown option or number of arguments for SENTINEL DEBUG 'foo'");
    expect(debugSet(c, ['ping-period', '0'])).toBe("ERR Invalid argument '0' for SENTINEL DEBUG 'ping-period'");
    expect(simulateFailure(c, ['crash-after-election'])).toEqual({ kind: 'ok' });
    expect(c.state.simFailureFlags).toBe(1);
    expect(simulateFailure(c, ['help'])).toEqual({ kind: 'help' });
    expect(simulateFailure(c, ['boom']).kind).toBe('error');
  });
});

describe('links', () => {
  it('an attempt in progress is not closed as idle, however long the process has been up', async () => {
    const { reconnectInstance } = await import('../../../../src/sentinel/core/monitor.js');
    const { closeIdleConnections } = await import('../../../../src/sentinel/core/sdown.js');
    const c = core();
    const m = c.state.masters.get('m')!;
    const now = 1_000_000;
    const ctx = c.begin(now);
    reconnectInstance(ctx, m);
    expect([m.link.cc, m.link.pc]).toEqual(['connecting', 'connecting']);
    closeIdleConnections(c.begin(now + 5), m);
    expect([m.link.cc, m.link.pc]).toEqual(['connecting', 'connecting']);
    // a pub/sub link with no traffic for 3×publish-period after min-link-reconnect-period is closed
    m.link.pc = 'up';
    const later = c.begin(now + 16_000);
    closeIdleConnections(later, m);
    expect(m.link.pc).toBe('down');
    expect(later.out.some((e) => e.type === 'disconnect' && e.conn === 'pubsub')).toBe(true);
  });
});
