import { describe, expect, it } from 'vitest';
import { failoverTick, parseFailover, startFailover, type FailoverPlan } from '../../../../src/node/replication/primary/failover.js';
import { emptyReplconf, type ReplicaRecord } from '../../../../src/node/replication/primary/replica-records.js';

function rec(id: number, port: number, ackOffset: number, state: ReplicaRecord['state'] = 'online'): ReplicaRecord {
  return { id, peerIp: '127.0.0.1', conf: { ...emptyReplconf(), listeningPort: port }, state, ackOffset, ackTime: 0, preSync: false };
}

describe('FAILOVER argument parsing and checks (failoverCommand, 7.0 texts)', () => {
  it('parses TO/FORCE/TIMEOUT/ABORT in any order, once each', () => {
    expect(parseFailover(['FAILOVER'])).toEqual({ kind: 'start', to: null, force: false, timeoutMs: 0 });
    expect(parseFailover(['failover', 'abort'])).toEqual({ kind: 'abort' });
    expect(parseFailover(['FAILOVER', 'TIMEOUT', '5000', 'TO', '127.0.0.1', '31001', 'FORCE'])).toEqual({
      kind: 'start',
      to: { host: '127.0.0.1', port: 31001 },
      force: true,
      timeoutMs: 5000,
    });
    expect(parseFailover(['FAILOVER', 'TIMEOUT', '0'])).toBe('ERR FAILOVER timeout must be greater than 0');
    expect(parseFailover(['FAILOVER', 'TIMEOUT', 'x'])).toBe('ERR value is not an integer or out of range');
    expect(parseFailover(['FAILOVER', 'TO', 'h', 'p'])).toBe('ERR value is not an integer or out of range');
    expect(parseFailover(['FAILOVER', 'FORCE', 'FORCE'])).toBe('ERR syntax error');
    expect(parseFailover(['FAILOVER', 'ABORT', 'FORCE'])).toBe('ERR syntax error');
    expect(parseFailover(['FAILOVER', 'TO', 'h'])).toBe('ERR syntax error');
  });

  it('checks in failoverCommand order', () => {
    const start = (args: string[], ctx: Partial<Parameters<typeof startFailover>[1]> = {}): FailoverPlan | string => {
      const req = parseFailover(args);
      if (typeof req === 'string' || req.kind !== 'start') throw new Error('bad test');
      return startFailover(req, { inProgress: false, isReplica: false, replicas: [rec(1, 31001, 0)], now: 1000, ...ctx });
    };
    expect(start(['FAILOVER'], { inProgress: true })).toBe('ERR FAILOVER already in progress.');
    expect(start(['FAILOVER'], { isReplica: true })).toBe('ERR FAILOVER is not valid when server is a replica.');
    expect(start(['FAILOVER'], { replicas: [] })).toBe('ERR FAILOVER requires connected replicas.');
    expect(start(['FAILOVER', 'FORCE', 'TIMEOUT', '10'])).toBe('ERR FAILOVER with force option requires both a timeout and target HOST and IP.');
    expect(start(['FAILOVER', 'TO', '127.0.0.1', '9'])).toBe('ERR FAILOVER target HOST and PORT is not a replica.');
    expect(start(['FAILOVER', 'TO', '127.0.0.1', '31001'], { replicas: [rec(1, 31001, 0, 'wait_bgsave')] })).toBe(
      'ERR FAILOVER target replica is not online.',
    );
    expect(start(['FAILOVER', 'TO', '127.0.0.1', '31001', 'TIMEOUT', '5000'])).toEqual({
      state: 'waiting-for-sync',
      target: { host: '127.0.0.1', port: 31001 },
      force: false,
      deadline: 6000,
    });
  });
});

describe('failoverTick (updateFailoverStatus)', () => {
  it('hands over to the first replica whose ACK equals our offset', () => {
    const plan: FailoverPlan = { state: 'waiting-for-sync', target: null, force: false, deadline: null };
    const rs = [rec(1, 31001, 90), rec(2, 31003, 100)];
    expect(failoverTick(plan, rs, 101, 0)).toEqual({ kind: 'wait' });
    expect(failoverTick(plan, rs, 100, 0)).toEqual({ kind: 'hand-over', host: '127.0.0.1', port: 31003 });
    expect(plan.state).toBe('failover-in-progress');
    expect(failoverTick(plan, rs, 100, 0)).toEqual({ kind: 'wait' });
  });

  it('waits for the named target only; past the deadline aborts, or hands over with FORCE', () => {
    const rs = [rec(1, 31001, 100), rec(2, 31003, 90)];
    const plan: FailoverPlan = { state: 'waiting-for-sync', target: { host: '127.0.0.1', port: 31003 }, force: false, deadline: 500 };
    expect(failoverTick(plan, rs, 100, 499)).toEqual({ kind: 'wait' });
    expect(failoverTick(plan, rs, 100, 500)).toEqual({ kind: 'abort', reason: 'Replica never caught up before timeout' });
    const forced: FailoverPlan = { state: 'waiting-for-sync', target: { host: '127.0.0.1', port: 31003 }, force: true, deadline: 500 };
    expect(failoverTick(forced, rs, 100, 500)).toEqual({ kind: 'hand-over', host: '127.0.0.1', port: 31003 });
  });
});
