/**
 * The two sides of the differential tests, started once per describe: a real redis-server 7.0.15 in a temporary
 * directory beside ours — the server core with its toy keyspace (server-compare, server-fuzz) or an in-process
 * tredis node with a raw client to each (node-fidelity, node-fuzz). Call inside a describe; everything is stopped
 * after it. The fields are set once the describe's beforeAll ran.
 */
import { afterAll, beforeAll } from 'vitest';
import { allocPort } from '../helpers/ports.js';
import { startCoreServer, type CoreServer, type CoreServerOptions } from '../helpers/core-server.js';
import { startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { RawClient } from './node-raw-client.js';
import { startTestNode, type TestNode } from './node-start.js';

export interface CorePair {
  readonly core: CoreServer;
  readonly redisPort: number;
}

export function coreBesideRedis(opts: { redisDirectives?: string[]; core?: CoreServerOptions } = {}): CorePair {
  const dir = tempDir();
  const pair = { core: undefined as unknown as CoreServer, redisPort: 0 };
  beforeAll(async () => {
    pair.redisPort = allocPort();
    await startRedisServer(pair.redisPort, dir.dir, opts.redisDirectives);
    pair.core = await startCoreServer(opts.core);
  });
  afterAll(async () => {
    await pair.core?.close();
    await stopAll();
    dir.cleanup();
  });
  return pair;
}

export interface NodePair {
  /** Raw clients of redis-server and of tredis: each reply's exact bytes. */
  readonly redis: RawClient;
  readonly tredis: RawClient;
}

export function tredisBesideRedis(): NodePair {
  const dir = tempDir();
  const pair = { redis: undefined as unknown as RawClient, tredis: undefined as unknown as RawClient };
  let node: TestNode | undefined;
  beforeAll(async () => {
    const port = allocPort();
    await startRedisServer(port, dir.dir);
    pair.redis = await RawClient.open(port);
    node = await startTestNode();
    pair.tredis = await RawClient.open(node.port);
  });
  afterAll(async () => {
    pair.redis?.close();
    pair.tredis?.close();
    await node?.stop();
    await stopAll();
    dir.cleanup();
  });
  return pair;
}
