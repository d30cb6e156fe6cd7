/**
 * CONFIG SET refusals word for word as redis-server 7.0.15 gives them (config.c): enum lists
 * (`argument(s) must be one of the following: …`), loglevel without 7.2's `nothing`, bounds, yes/no, memory values,
 * immutable settings. The same commands go to a tredis node and to a real redis-server; replies must be equal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocPort } from '../helpers/ports.js';
import { missing, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { RawClient } from './node-raw-client.js';
import { startTestNode, type TestNode } from './node-start.js';

const REFUSED: readonly (readonly [string, string])[] = [
  ['appendfsync', 'bogus'],
  ['loglevel', 'nothing'],
  ['loglevel', 'loud'],
  ['maxmemory-policy', 'sometimes'],
  ['repl-diskless-load', 'maybe'],
  ['acl-pubsub-default', 'some'],
  ['appendonly', 'maybe'],
  ['hz', 'x'],
  ['maxmemory', '1x'],
  ['active-expire-effort', '11'],
  ['databases', '3'],
];

async function replies(port: number): Promise<string[]> {
  const c = await RawClient.open(port);
  try {
    const out: string[] = [];
    for (const [name, value] of REFUSED) out.push(await c.call(['CONFIG', 'SET', name, value]));
    return out;
  } finally {
    c.close();
  }
}

describe.skipIf(missing('redis-server'))('CONFIG SET refusals: tredis and redis-server 7.0.15 word for word', () => {
  const tmp = tempDir('tredis-conftext-');
  let node: TestNode;
  let theirs: string[];
  beforeAll(async () => {
    node = await startTestNode();
    const port = allocPort();
    await startRedisServer(port, tmp.dir);
    theirs = await replies(port);
  });
  afterAll(async () => {
    await node?.stop();
    await stopAll();
    tmp.cleanup();
  });

  it('every refusal is refused with the same text', async () => {
    const ours = await replies(node.port);
    expect(theirs.every((r) => r.startsWith('-ERR CONFIG SET failed'))).toBe(true);
    expect(ours).toEqual(theirs);
  });
});
