/**
 * Fidelity: the same command scripts run against a real redis-server 7.0.15 and against tredis's handlers, and
 * every reply is compared byte for byte (or, for replies Redis itself leaves unordered or random, after sorting
 * or by shape). This is how error texts, argument validation, edge ranges and reply shapes are proven equal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitArgs } from '../../src/common/split-args.js';
import { allocPort } from '../helpers/ports.js';
import { has, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { RawClient, replyEnd } from './node-raw-client.js';
import { SCRIPTS, type Step } from './node-fidelity-scripts.js';
import { startTestNode, type TestNode } from './node-start.js';


const hasRedis = has('redis-server');
if (!hasRedis) console.warn('[skip] redis-server not installed: skipping the tredis fidelity comparison');

function elements(reply: string): string[] | null {
  const buf = Buffer.from(reply, 'latin1');
  if (buf[0] !== 0x2a /* '*' */) return null;
  const nl = buf.indexOf('\r\n');
  const n = Number(buf.toString('latin1', 1, nl));
  const out: string[] = [];
  let p = nl + 2;
  for (let i = 0; i < n; i++) {
    const e = replyEnd(buf, p);
    out.push(buf.toString('latin1', p, e));
    p = e;
  }
  return out;
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
    const pairs: string[] = [];
    for (let i = 0; i < els.length; i += 2) pairs.push(els[i]! + els[i + 1]!);
    return `*${els.length}\r\n` + pairs.sort().join('');
  }
  if (mode === 'shape') {
    const els = elements(reply);
    return els === null ? reply[0]! : `*${els.length}`;
  }
  return reply;
}

describe.skipIf(!hasRedis)('tredis replies match redis-server 7.0.15', () => {
  let redis: RawClient;
  let tredis: RawClient;
  let node: TestNode;
  const dir = tempDir();
  beforeAll(async () => {
    const port = allocPort();
    await startRedisServer(port, dir.dir);
    redis = await RawClient.open(port);
    node = await startTestNode();
    tredis = await RawClient.open(node.port);
  });
  afterAll(async () => {
    redis?.close();
    tredis?.close();
    await node?.stop();
    await stopAll();
    dir.cleanup();
  });

  for (const [name, steps] of Object.entries(SCRIPTS)) {
    it(name, async () => {
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
