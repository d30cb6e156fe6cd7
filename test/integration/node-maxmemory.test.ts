/**
 * maxmemory: with noeviction, denyoom commands get -OOM once used memory exceeds the limit (reads still work);
 * with allkeys-lru, writes keep succeeding, keys are evicted (evicted_keys grows, DELs propagate), and recently
 * used keys survive more than untouched ones.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from './node-raw-client.js';
import { startTestNode, type TestNode } from './node-start.js';

const VALUE = 'x'.repeat(2000);

async function fill(c: RawClient, prefix: string, n: number): Promise<string[]> {
  const replies: string[] = [];
  for (let i = 0; i < n; i++) replies.push(await c.call(['SET', `${prefix}${i}`, VALUE]));
  return replies;
}

function infoField(info: string, name: string): number {
  const m = new RegExp(`\\r\\n${name}:(\\d+)`).exec(info);
  return m === null ? NaN : Number(m[1]);
}

describe('maxmemory', () => {
  let n: TestNode | undefined;
  let c: RawClient | undefined;
  afterEach(async () => {
    c?.close();
    await n?.stop();
  });

  it('noeviction: -OOM for writes above the limit, reads and DEL still allowed', async () => {
    n = await startTestNode();
    c = await RawClient.open(n.port);
    const used = infoField(await c.call(['INFO', 'memory']), 'used_memory');
    expect(await c.call(['CONFIG', 'SET', 'maxmemory', String(used + 4 * 1024 * 1024)])).toBe('+OK\r\n');
    const replies = await fill(c, 'k', 6000);
    const oom = replies.findIndex((r) => r.startsWith('-OOM'));
    expect(oom).toBeGreaterThan(0);
    expect(replies[oom]).toBe("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    expect(await c.call(['GET', 'k0'])).toBe(`$${VALUE.length}\r\n${VALUE}\r\n`);
    expect(await c.call(['DEL', 'k0'])).toBe(':1\r\n');
    expect(await c.call(['MULTI'])).toBe('+OK\r\n');
    const q = await c.call(['SET', 'again', 'x']);
    if (q.startsWith('-OOM')) expect(await c.call(['EXEC'])).toMatch(/^-EXECABORT/);
    else await c.call(['DISCARD']);
    expect(await c.call(['CONFIG', 'SET', 'maxmemory', '0'])).toBe('+OK\r\n');
    expect(await c.call(['SET', 'after', 'x'])).toBe('+OK\r\n');
  });

  it('allkeys-lru: evicts to stay under the limit, preferring keys not used recently', async () => {
    n = await startTestNode(['maxmemory-policy allkeys-lru', 'maxmemory-samples 10']);
    c = await RawClient.open(n.port);
    const used = infoField(await c.call(['INFO', 'memory']), 'used_memory');
    await c.call(['CONFIG', 'SET', 'maxmemory', String(used + 6 * 1024 * 1024)]);
    const hot: string[] = [];
    for (let i = 0; i < 50; i++) hot.push(`hot${i}`);
    for (const k of hot) await c.call(['SET', k, VALUE]);
    let errors = 0;
    for (let round = 0; round < 10; round++) {
      for (const k of hot) await c.call(['GET', k]);
      for (const r of await fill(c, `cold${round}-`, 1000)) if (!r.startsWith("+OK")) errors++;
    }
    expect(errors).toBe(0);
    const info = await c.call(['INFO']);
    const evicted = infoField(info, 'evicted_keys');
    expect(evicted).toBeGreaterThan(0);
    const keys = Number(/db0:keys=(\d+)/.exec(info)?.[1]);
    expect(keys).toBeLessThan(10_050);
    let hotAlive = 0;
    for (const k of hot) if ((await c.call(['EXISTS', k])) === ':1\r\n') hotAlive++;
    // cold keys written long ago are evicted first; the repeatedly read hot set mostly survives
    const coldAlive = Number((await c.call(['EXISTS', ...Array.from({ length: 50 }, (_, i) => `cold0-${i}`)])).slice(1));
    expect(hotAlive).toBeGreaterThan(coldAlive);
  });
});
