/**
 * INFO commandstats / errorstats count each command once, from the server core's registry (server.c call() and
 * rejectCommand): N SETs show calls=N whether they ran alone or inside MULTI/EXEC (EXEC runs each queued command
 * through call(), and counts itself), a blocked BLPOP counts once when served, rejections count as
 * rejected_calls. The same script runs against redis-server 7.0.15 when it is installed and both servers' counters
 * (all but the timings) must be equal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocPort } from '../helpers/ports.js';
import { has, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { RawClient } from './node-raw-client.js';
import { startTestNode, type TestNode } from './node-start.js';

const hasRedis = has('redis-server');
if (!hasRedis) console.warn('[skip] redis-server not installed: commandstats are not compared with redis-server');

type Stats = Record<string, string>;

/** `cmdstat_x:calls=1,usec=…` and `errorstat_X:count=1` lines, timings dropped. */
function counters(info: string): Stats {
  const out: Stats = {};
  for (const line of info.split('\r\n')) {
    const m = /^((?:cmdstat|errorstat)_[^:]+):(.*)$/.exec(line);
    if (m === null) continue;
    out[m[1]!] = m[2]!.replace(/usec=\d+,usec_per_call=[\d.]+,/, '');
  }
  return out;
}

const SETS_ALONE = 5;

/** The workload; returns INFO commandstats + errorstats taken at the end. */
async function workload(port: number): Promise<Stats> {
  const a = await RawClient.open(port);
  const b = await RawClient.open(port);
  try {
    expect(await a.call(['CONFIG', 'RESETSTAT'])).toBe('+OK\r\n');
    for (let i = 0; i < SETS_ALONE; i++) await a.call(['SET', `k${i}`, String(i)]);
    // a transaction: each queued command is counted when EXEC runs it
    for (const cmd of [['MULTI'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['INCR', 'a']]) await a.call(cmd);
    expect(await a.call(['EXEC'])).toBe('*3\r\n+OK\r\n+OK\r\n:2\r\n');
    // a command failing inside EXEC is a failed call of that command
    for (const cmd of [['MULTI'], ['SET', 'c', 'abc'], ['LPUSH', 'c', 'x']]) await a.call(cmd);
    expect(await a.call(['EXEC'])).toMatch(/^\*2\r\n\+OK\r\n-WRONGTYPE /);
    // a rejected command (arity) aborts the transaction: nothing queued runs
    for (const cmd of [['MULTI'], ['SET', 'never', '1'], ['GET']]) await a.call(cmd);
    expect(await a.call(['EXEC'])).toMatch(/^-EXECABORT /);
    expect(await a.call(['GET'])).toMatch(/^-ERR wrong number of arguments/);
    expect(await a.call(['INCR', 'k0x'])).toBe(':1\r\n');
    expect(await a.call(['INCR', 'c'])).toMatch(/^-ERR value is not an integer/);
    // a blocked command counts once, when it is served
    const blocked = b.call(['BLPOP', 'q', '0']);
    await waitBlocked(a);
    expect(await a.call(['RPUSH', 'q', 'v'])).toBe(':1\r\n');
    expect(await blocked).toBe('*2\r\n$1\r\nq\r\n$1\r\nv\r\n');
    const info = await a.call(['INFO', 'commandstats', 'errorstats']);
    return counters(info);
  } finally {
    a.close();
    b.close();
  }
}

async function waitBlocked(c: RawClient): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!/blocked_clients:1\r\n/.test(await c.call(['INFO', 'clients']))) {
    if (Date.now() > deadline) throw new Error('BLPOP never blocked');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('INFO commandstats / errorstats count every command once', () => {
  let node: TestNode;
  let ours: Stats;
  beforeAll(async () => {
    node = await startTestNode();
    ours = await workload(node.port);
  });
  afterAll(async () => {
    await node?.stop();
  });

  it('calls=N after N SETs, alone and inside MULTI/EXEC; EXEC and MULTI count themselves', () => {
    expect(ours['cmdstat_set']).toBe(`calls=${SETS_ALONE + 3},rejected_calls=0,failed_calls=0`);
    expect(ours['cmdstat_multi']).toBe('calls=3,rejected_calls=0,failed_calls=0');
    // only the EXECABORT is EXEC's own error; the -WRONGTYPE inside the second EXEC is LPUSH's
    expect(ours['cmdstat_exec']).toBe('calls=3,rejected_calls=0,failed_calls=1');
    expect(ours['cmdstat_incr']).toBe('calls=3,rejected_calls=0,failed_calls=1');
    expect(ours['cmdstat_lpush']).toBe('calls=1,rejected_calls=0,failed_calls=1');
    expect(ours['cmdstat_get']).toBe('calls=0,rejected_calls=2,failed_calls=0');
    expect(ours['cmdstat_blpop']).toBe('calls=1,rejected_calls=0,failed_calls=0');
    expect(ours['errorstat_WRONGTYPE']).toBe('count=1');
    expect(ours['errorstat_EXECABORT']).toBe('count=1');
    expect(ours['errorstat_ERR']).toBe('count=3');
  });

  it.skipIf(!hasRedis)('equal to redis-server 7.0.15 running the same commands', async () => {
    const tmp = tempDir('tredis-cmdstat-');
    try {
      const port = allocPort();
      await startRedisServer(port, tmp.dir);
      const theirs = await workload(port);
      expect(ours).toEqual(theirs);
    } finally {
      await stopAll();
      tmp.cleanup();
    }
  });
});
