/**
 * INFO must be field-for-field Redis 7.0.15: section names and order, field names and order, CRLF lines
 * (sentinels, ioredis's ready check and redis_exporter parse it). Compared with the captured master INFO.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './node-raw-client.js';
import { startTestNode, type TestNode } from './node-start.js';

type Sections = [string, string[]][];

function parse(text: string): Sections {
  const out: Sections = [];
  for (const block of text.split('\r\n\r\n')) {
    const lines = block.split('\r\n').filter((l) => l !== '');
    const head = lines[0]!;
    out.push([head, lines.slice(1).map((l) => l.slice(0, l.indexOf(':')))]);
  }
  return out;
}

function bulkBody(reply: string): string {
  const nl = reply.indexOf('\r\n');
  return reply.slice(nl + 2, reply.length - 2);
}

describe('INFO matches redis-server 7.0.15 field for field', () => {
  let n: TestNode;
  let c: RawClient;
  beforeAll(async () => {
    n = await startTestNode();
    c = await RawClient.open(n.port);
    await c.call(['SET', 'a', '1']);
    await c.call(['SET', 'b', '1', 'EX', '100']);
  });
  afterAll(async () => {
    c?.close();
    await n?.stop();
  });

  it('default sections, fields and order as the fixture', async () => {
    const fixture = readFileSync('test/fixtures/redis-7.0.15/info/master-info.txt', 'latin1');
    const want = parse(fixture).map(([h, f]) => [h, f.filter((x) => !/^slave\d+$/.test(x) && !/^db\d+$/.test(x))] as [string, string[]]);
    const reply = await c.call(['INFO']);
    expect(reply[0]).toBe('$');
    const body = bulkBody(reply);
    expect(body.endsWith('\r\n')).toBe(true);
    expect(body).not.toMatch(/[^\r]\n/);
    const got = parse(body).map(([h, f]) => [h, f.filter((x) => x !== 'tredis_version' && !/^db\d+$/.test(x))] as [string, string[]]);
    expect(got).toEqual(want);
    expect(body).toMatch(/\r\nrun_id:[0-9a-f]{40}\r\n/);
    expect(body).toContain(`\r\ntcp_port:${n.port}\r\n`);
    expect(body).toContain('\r\nloading:0\r\n');
    expect(body).toMatch(/\r\ntredis_version:\d+\.\d+\.\d+\r\n/);
    expect(body).toMatch(/\r\ndb0:keys=2,expires=1,avg_ttl=\d+\r\n/);
  });

  it('single and multiple sections, all, unknown', async () => {
    expect(parse(bulkBody(await c.call(['INFO', 'replication']))).map((s) => s[0])).toEqual(['# Replication']);
    expect(parse(bulkBody(await c.call(['INFO', 'server', 'CLIENTS']))).map((s) => s[0])).toEqual(['# Server', '# Clients']);
    expect(parse(bulkBody(await c.call(['INFO', 'all']))).map((s) => s[0])).toEqual([
      '# Server', '# Clients', '# Memory', '# Persistence', '# Stats', '# Replication', '# CPU', '# Modules',
      '# Commandstats', '# Errorstats', '# Latencystats', '# Cluster', '# Keyspace',
    ]);
    expect(await c.call(['INFO', 'nosuch'])).toBe('$0\r\n\r\n');
    const cs = bulkBody(await c.call(['INFO', 'commandstats']));
    expect(cs).toMatch(/cmdstat_set:calls=2,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n/);
  });

  it('is a verbatim string in RESP3', async () => {
    await c.call(['HELLO', '3']);
    const r = await c.call(['INFO', 'server']);
    expect(r.startsWith('=')).toBe(true);
    expect(r).toContain('\r\ntxt:# Server\r\n');
    await c.call(['HELLO', '2']);
  });
});
