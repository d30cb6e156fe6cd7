import { afterEach, describe, expect, it } from 'vitest';
import { makeHarness, type PHarness } from './harness.js';

let t: PHarness;
afterEach(() => t?.cleanup());

const bulkBytes = (reply: string): string => {
  const nl = reply.indexOf('\r\n');
  const len = Number(reply.slice(1, nl));
  return reply.slice(nl + 2, nl + 2 + len);
};

describe('DUMP / RESTORE', () => {
  it('round-trips a value and replies as Redis', async () => {
    t = makeHarness();
    const { h } = t;
    await h.run(['SET', 'k', 'hello']);
    const d = await h.run(['DUMP', 'k']);
    expect(d.startsWith('$17\r\n')).toBe(true);
    const payload = bulkBytes(d);
    expect(await h.run(['DUMP', 'missing'])).toBe('$-1\r\n');
    expect(await h.run(['RESTORE', 'k', '0', payload])).toBe('-BUSYKEY Target key name already exists.\r\n');
    expect(await h.run(['RESTORE', 'k2', '0', payload])).toBe('+OK\r\n');
    expect(await h.run(['GET', 'k2'])).toBe('$5\r\nhello\r\n');
    expect(await h.run(['RESTORE', 'k', '0', payload, 'REPLACE'])).toBe('+OK\r\n');
  });

  it('validates options, TTL and payload in Redis order with Redis texts', async () => {
    t = makeHarness();
    const { h } = t;
    await h.run(['SET', 'k', 'v']);
    const payload = bulkBytes(await h.run(['DUMP', 'k']));
    expect(await h.run(['RESTORE', 'x', '0', payload, 'BOGUS'])).toBe('-ERR syntax error\r\n');
    expect(await h.run(['RESTORE', 'x', '0', payload, 'IDLETIME'])).toBe('-ERR syntax error\r\n');
    expect(await h.run(['RESTORE', 'x', '0', payload, 'IDLETIME', 'a'])).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await h.run(['RESTORE', 'x', '0', payload, 'IDLETIME', '-1'])).toBe('-ERR Invalid IDLETIME value, must be >= 0\r\n');
    expect(await h.run(['RESTORE', 'x', '0', payload, 'FREQ', '256'])).toBe('-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n');
    expect(await h.run(['RESTORE', 'x', '0', payload, 'IDLETIME', '1', 'FREQ', '1'])).toBe('-ERR syntax error\r\n');
    // BUSYKEY is checked before the TTL
    expect(await h.run(['RESTORE', 'k', 'abc', payload])).toBe('-BUSYKEY Target key name already exists.\r\n');
    expect(await h.run(['RESTORE', 'x', 'abc', payload])).toBe('-ERR value is not an integer or out of range\r\n');
    expect(await h.run(['RESTORE', 'x', '-5', payload])).toBe('-ERR Invalid TTL value, must be >= 0\r\n');
    const bad = payload.slice(0, -1) + String.fromCharCode(payload.charCodeAt(payload.length - 1) ^ 1);
    expect(await h.run(['RESTORE', 'x', '0', bad])).toBe('-ERR DUMP payload version or checksum are wrong\r\n');
    expect(await h.run(['RESTORE', 'x', '0', 'short'])).toBe('-ERR DUMP payload version or checksum are wrong\r\n');
    expect(await h.run(['RESTORE', 'x', '0', payload, 'IDLETIME', '10', 'REPLACE', 'ABSTTL'])).toBe('+OK\r\n');
  });

  it('sets a relative TTL and propagates it as an absolute ABSTTL', async () => {
    t = makeHarness();
    const { h } = t;
    await h.run(['SET', 'k', 'v']);
    const payload = bulkBytes(await h.run(['DUMP', 'k']));
    h.propagated.length = 0;
    const now = h.clock.now();
    expect(await h.run(['RESTORE', 'r', '5000', payload])).toBe('+OK\r\n');
    expect(h.ks.db(0).getExpire('r')).toBe(now + 5000);
    expect(h.propagated).toEqual([[{ db: 0, argv: ['RESTORE', 'r', String(now + 5000), payload, 'ABSTTL'] }]]);
    h.propagated.length = 0;
    expect(await h.run(['RESTORE', 'a', String(now + 9000), payload, 'ABSTTL'])).toBe('+OK\r\n');
    expect(h.ks.db(0).getExpire('a')).toBe(now + 9000);
    expect(h.propagated[0]![0]!.argv).toEqual(['RESTORE', 'a', String(now + 9000), payload, 'ABSTTL']);
  });

  it('an already expired absolute TTL restores nothing; with REPLACE the old key is deleted and DEL propagated', async () => {
    t = makeHarness();
    const { h } = t;
    await h.run(['SET', 'k', 'v']);
    const payload = bulkBytes(await h.run(['DUMP', 'k']));
    h.propagated.length = 0;
    expect(await h.run(['RESTORE', 'gone', '1', payload, 'ABSTTL'])).toBe('+OK\r\n');
    expect(h.ks.db(0).dict.has('gone')).toBe(false);
    expect(h.propagated).toEqual([]);
    expect(await h.run(['RESTORE', 'k', '1', payload, 'ABSTTL', 'REPLACE'])).toBe('+OK\r\n');
    expect(h.ks.db(0).dict.has('k')).toBe(false);
    expect(h.propagated).toEqual([[{ db: 0, argv: ['DEL', 'k'] }]]);
  });

  it('replies Bad data format for a payload with a valid footer but an undecodable body', async () => {
    t = makeHarness();
    const { h } = t;
    const { createDumpPayload } = await import('../../../../src/node/persistence/dump.js');
    const { Crc64 } = await import('../../../../src/node/persistence/crc64.js');
    const body = Buffer.from([0x2a, 0x01, 0x02, 10, 0]); // type 42 does not exist
    const good = Buffer.concat([body, new Crc64().update(body).bytes()]);
    expect(createDumpPayload('x', { compression: true, limits: t.p.config.limits }).length).toBeGreaterThan(0);
    expect(await h.run(['RESTORE', 'x', '0', good.toString('latin1')])).toBe('-ERR Bad data format\r\n');
  });
});

describe('SAVE / BGSAVE / LASTSAVE / BGREWRITEAOF', () => {
  it('SAVE writes the RDB, resets dirty and moves LASTSAVE', async () => {
    t = makeHarness();
    const { h, clock } = t;
    await h.run(['SET', 'a', '1']);
    expect(h.ks.dirty).toBe(1);
    clock.advance(5000);
    expect(await h.run(['SAVE'])).toBe('+OK\r\n');
    expect(h.ks.dirty).toBe(0);
    expect(await h.run(['LASTSAVE'])).toBe(`:${Math.floor(clock.now() / 1000)}\r\n`);
    expect(t.p.infoSection()).toContain('rdb_saves:1');
  });

  it('BGSAVE replies and refuses a second one while running; SCHEDULE and syntax', async () => {
    t = makeHarness();
    const { h } = t;
    await h.run(['SET', 'a', '1']);
    expect(await h.run(['BGSAVE', 'now'])).toBe('-ERR syntax error\r\n');
    expect(await h.run(['BGSAVE'])).toBe('+Background saving started\r\n');
    expect(await h.run(['BGSAVE'])).toBe('-ERR Background save already in progress\r\n');
    expect(await h.run(['SAVE'])).toBe('-ERR Background save already in progress\r\n');
    expect(await h.run(['BGREWRITEAOF'])).toBe('+Background append only file rewriting scheduled\r\n');
    expect(t.p.infoSection()).toContain('rdb_bgsave_in_progress:1');
    expect(await t.p.bgsaveDone()).toBe(true);
    expect(t.p.infoSection()).toContain('rdb_bgsave_in_progress:0');
    expect(t.p.infoSection()).toContain('aof_rewrite_scheduled:1');
    t.p.cron(); // starts the scheduled rewrite
    expect(t.p.infoSection()).toContain('aof_rewrite_in_progress:1');
    expect(await h.run(['BGSAVE'])).toBe(
      "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.\r\n",
    );
    expect(await h.run(['BGSAVE', 'SCHEDULE'])).toBe('+Background saving scheduled\r\n');
    expect(await h.run(['BGREWRITEAOF'])).toBe('-ERR Background append only file rewriting already in progress\r\n');
    await t.p.rewriteDone();
    expect(t.p.infoSection()).toContain('aof_rewrites:1');
  });
});
