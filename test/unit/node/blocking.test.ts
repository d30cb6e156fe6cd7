import { describe, expect, it } from 'vitest';
import { fakeSession, Harness } from './harness.js';
import type { UnblockHandler } from '../../../src/server/types.js';

describe('blocking commands', () => {
  it('serves waiters in the order they blocked, one element each', async () => {
    const h = new Harness();
    const [a, b, c] = [fakeSession(11), fakeSession(12), fakeSession(13)];
    const ra = h.run(['BLPOP', 'q', '0'], a);
    const rb = h.run(['BRPOP', 'other', 'q', '0'], b);
    const rc = h.run(['BLPOP', 'q', '0'], c);
    expect(h.blocking.blockedClients).toBe(3);
    await h.run(['RPUSH', 'q', '1', '2']);
    expect(await ra).toBe('*2\r\n$1\r\nq\r\n$1\r\n1\r\n');
    expect(await rb).toBe('*2\r\n$1\r\nq\r\n$1\r\n2\r\n');
    expect(h.blocking.blockedClients).toBe(1);
    await h.run(['LPUSH', 'q', '3']);
    expect(await rc).toBe('*2\r\n$1\r\nq\r\n$1\r\n3\r\n');
    expect(await h.run(['EXISTS', 'q'])).toBe(':0\r\n');
  });

  it('times out with a null array (BLPOP) or null (BLMOVE in MULTI)', async () => {
    const h = new Harness();
    expect(await h.run(['BLPOP', 'q', '0.02'], fakeSession(5))).toBe('*-1\r\n');
    expect(h.blocking.blockedClients).toBe(0);
  });

  it('BLMOVE is served by a later push and moves the element', async () => {
    const h = new Harness();
    const w = fakeSession(7);
    const r = h.run(['BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0'], w);
    await h.run(['RPUSH', 'src', 'a', 'b']);
    expect(await r).toBe('$1\r\nb\r\n');
    expect(await h.run(['LRANGE', 'dst', '0', '-1'])).toBe('*1\r\n$1\r\nb\r\n');
    expect(await h.run(['LRANGE', 'src', '0', '-1'])).toBe('*1\r\n$1\r\na\r\n');
  });

  it('a chain: BLMOVE into a list another client waits on serves that client too', async () => {
    const h = new Harness();
    const r1 = h.run(['BLMOVE', 'a', 'b', 'LEFT', 'LEFT', '0'], fakeSession(21));
    const r2 = h.run(['BLPOP', 'b', '0'], fakeSession(22));
    await h.run(['LPUSH', 'a', 'x']);
    expect(await r1).toBe('$1\r\nx\r\n');
    expect(await r2).toBe('*2\r\n$1\r\nb\r\n$1\r\nx\r\n');
  });

  it('stays blocked when the key is created with another type', async () => {
    const h = new Harness();
    const w = fakeSession(9);
    const r = h.run(['BLPOP', 'q', '0'], w);
    await h.run(['SET', 'q', 'str']);
    expect(h.blocking.isBlocked(9)).toBe(true);
    await h.run(['DEL', 'q']);
    await h.run(['RPUSH', 'q', 'v']);
    expect(await r).toBe('*2\r\n$1\r\nq\r\n$1\r\nv\r\n');
  });

  it('BZPOPMIN is served by ZADD; CLIENT UNBLOCK ends a wait with the timeout reply or an error', async () => {
    const h = new Harness();
    const r = h.run(['BZPOPMIN', 'z', '0'], fakeSession(31));
    await h.run(['ZADD', 'z', '2', 'm']);
    expect(await r).toBe('*3\r\n$1\r\nz\r\n$1\r\nm\r\n$1\r\n2\r\n');

    let unblock: UnblockHandler | null = null;
    const { RespWriter } = await import('../../../src/resp/writer.js');
    const w = new RespWriter();
    const spec = h.registry.get('blpop')!;
    const s = fakeSession(32);
    const p = spec.handler!({ session: s, reply: w, command: spec, setUnblockHandler: (u) => (unblock = u) }, ['BLPOP', 'x', '0']);
    expect(unblock).not.toBeNull();
    unblock!('error');
    await p;
    expect(w.take()!.toString()).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    const p2 = spec.handler!({ session: s, reply: w, command: spec, setUnblockHandler: (u) => (unblock = u) }, ['BLPOP', 'x', '0']);
    unblock!('timeout');
    await p2;
    expect(w.take()!.toString()).toBe('*-1\r\n');
  });

  it('a closed client is forgotten without a reply', async () => {
    const h = new Harness();
    const w = fakeSession(41);
    const r = h.run(['BLPOP', 'q', '0'], w);
    h.blocking.cancel(41);
    expect(await r).toBe('');
    await h.run(['RPUSH', 'q', 'v']);
    expect(await h.run(['LLEN', 'q'])).toBe(':1\r\n');
  });
});
