/**
 * Differential test of src/common/glob.ts against the real redis-server 7.0.15 stringmatchlen: KEYS (case-
 * sensitive) over random keys, and CONFIG GET (nocase) over Redis's own parameter names, with random patterns
 * full of glob syntax (classes, ranges, negation, escapes, unterminated classes).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringMatch } from '../../src/common/glob.js';
import { seededRandom } from '../../src/common/random.js';
import { allocPort } from '../helpers/ports.js';
import { missing, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';

const skip = missing('redis-server');

describe.skipIf(skip)('glob matching agrees with redis-server', () => {
  let client: Redis;
  let cleanup = (): void => {};

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const port = allocPort();
    await startRedisServer(port, t.dir);
    client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, protocol: 2 });
    await client.connect();
  });

  afterAll(async () => {
    client?.disconnect();
    await stopAll();
    cleanup();
  });

  it('KEYS <pattern> selects exactly the keys stringMatch accepts', async () => {
    const seed = 7001;
    const rnd = seededRandom(seed);
    const pick = (len: number, chars: string): string =>
      Array.from({ length: len }, () => chars[rnd.int(chars.length)]).join('');
    const keys = new Set<string>();
    while (keys.size < 400) keys.add(pick(1 + rnd.int(6), 'abAB-]^\\*?['));
    const pipe = client.pipeline();
    for (const k of keys) pipe.set(k, '1');
    await pipe.exec();

    let nonEmpty = 0;
    for (let i = 0; i < 400; i++) {
      const pattern = pick(1 + rnd.int(7), 'abAB*?[]^-\\');
      if (pattern === '*') continue; // KEYS short-circuits a lone `*`
      const got = new Set(await client.keys(pattern));
      const want = new Set([...keys].filter((k) => stringMatch(pattern, k)));
      if (want.size > 0) nonEmpty++;
      if (got.size !== want.size || [...got].some((k) => !want.has(k))) {
        expect({ seed, pattern, redis: [...got].sort() }).toEqual({ seed, pattern, redis: [...want].sort() });
      }
    }
    expect(nonEmpty).toBeGreaterThan(100); // the patterns really select things
  });

  it('CONFIG GET <pattern> (case-insensitive) selects the same parameter names', async () => {
    const seed = 7002;
    const rnd = seededRandom(seed);
    const all = (await client.config('GET', '*')) as string[];
    const names = all.filter((_, i) => i % 2 === 0);
    const chars = 'aemrxyMAXRE-*?[]^';
    let nonEmpty = 0;
    for (let i = 0; i < 300; i++) {
      const pattern = '*' + Array.from({ length: 1 + rnd.int(5) }, () => chars[rnd.int(chars.length)]).join('') + '*';
      const reply = (await client.config('GET', pattern)) as string[];
      const got = reply.filter((_, j) => j % 2 === 0).sort();
      const want = names.filter((n) => stringMatch(pattern, n, true)).sort();
      if (want.length > 0) nonEmpty++;
      expect({ seed, pattern, got }).toEqual({ seed, pattern, got: want });
    }
    expect(nonEmpty).toBeGreaterThan(50);
  });
});
