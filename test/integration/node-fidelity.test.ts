/**
 * Fidelity: the same command scripts run against a real redis-server 7.0.15 and against tredis's handlers, and
 * every reply is compared byte for byte (or, for replies Redis itself leaves unordered or random, after sorting
 * or by shape). This is how error texts, argument validation, edge ranges and reply shapes are proven equal.
 */
import { describe, expect, it } from 'vitest';
import { splitArgs } from '../../src/common/split-args.js';
import { has } from '../helpers/processes.js';
import { tredisBesideRedis } from './differential-pair.js';
import { replyElements, sortedPairs } from './node-raw-client.js';
import { SCRIPTS, type Step } from './node-fidelity-scripts.js';


const hasRedis = has('redis-server');
if (!hasRedis) console.warn('[skip] redis-server not installed: skipping the tredis fidelity comparison');

/** The elements of an array reply (other aggregates are compared as they are). */
function elements(reply: string): string[] | null {
  return reply[0] === '*' ? replyElements(reply) : null;
}

function normalise(reply: string, mode: Step['mode']): string {
  if (mode === 'sorted') {
    const els = elements(reply);
    return els === null ? reply : `*${els.length}\r\n` + [...els].sort().join('');
  }
  if (mode === 'pairs') {
    // a flat field/value array whose pair order is unspecified
    const els = elements(reply);
    if (els === null) return reply;
    return `*${els.length}\r\n` + sortedPairs(els).join('');
  }
  if (mode === 'shape') {
    const els = elements(reply);
    return els === null ? reply[0]! : `*${els.length}`;
  }
  return reply;
}

describe.skipIf(!hasRedis)('tredis replies match redis-server 7.0.15', () => {
  const pair = tredisBesideRedis();

  for (const [name, steps] of Object.entries(SCRIPTS)) {
    it(name, async () => {
      const { redis, tredis } = pair;
      for (const c of [redis, tredis]) {
        await c.call(['DISCARD']);
        await c.call(['UNWATCH']);
        await c.call(['FLUSHALL']);
        await c.call(['SELECT', '0']);
      }
      const diffs: string[] = [];
      for (const step of steps) {
        const argv = splitArgs(step.cmd);
        if (argv === null) throw new Error(`bad script line ${step.cmd}`);
        const want = normalise(await redis.call(argv), step.mode);
        const got = normalise(await tredis.call(argv), step.mode);
        if (want !== got) diffs.push(`${step.cmd}\n   redis:  ${JSON.stringify(want)}\n   tredis: ${JSON.stringify(got)}`);
      }
      expect(diffs.join('\n')).toBe('');
    });
  }
});
