import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from './node-raw-client.js';
import { startTestNode, type TestNode } from './node-start.js';

describe('tredis node over a real socket', () => {
  let n: TestNode;
  let c: RawClient;
  beforeAll(async () => {
    n = await startTestNode();
    c = await RawClient.open(n.port);
  });
  afterAll(async () => {
    c?.close();
    await n?.stop();
  });

  it('answers data commands, transactions and INFO', async () => {
    expect(await c.call(['PING'])).toBe('+PONG\r\n');
    expect(await c.call(['SET', 'k', 'v'])).toBe('+OK\r\n');
    expect(await c.call(['GET', 'k'])).toBe('$1\r\nv\r\n');
    expect(await c.call(['MULTI'])).toBe('+OK\r\n');
    expect(await c.call(['INCR', 'n'])).toBe('+QUEUED\r\n');
    expect(await c.call(['GET', 'k'])).toBe('+QUEUED\r\n');
    expect(await c.call(['EXEC'])).toBe('*2\r\n:1\r\n$1\r\nv\r\n');
    const info = await c.call(['INFO']);
    expect(info).toContain('# Server\r\nredis_version:7.0.15\r\n');
    expect(info).toMatch(/run_id:[0-9a-f]{40}\r\n/);
    expect(info).toContain('# Replication\r\nrole:master\r\n');
    expect(info).toContain('# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n');
    expect(await c.call(['CONFIG', 'GET', 'maxmemory-policy'])).toBe('*2\r\n$16\r\nmaxmemory-policy\r\n$10\r\nnoeviction\r\n');
    expect(await c.call(['SCRIPT', 'KILL'])).toBe('-NOTBUSY No scripts in execution right now.\r\n');
    expect(await c.call(['DBSIZE'])).toBe(':2\r\n');
  });
});
