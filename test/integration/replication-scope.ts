/**
 * Per-test resources for the replication integration tests. Call `replicationScope()` inside a describe: whatever
 * is started through it (in-process tredis nodes, clients, redis-server processes, or anything passed to `later`)
 * is closed after each test, newest first, and then every process the helpers started is stopped.
 */
import { afterEach } from 'vitest';
import { allocPort } from '../helpers/ports.js';
import { startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { infoField, TestClient, until } from './replication-client.js';
import { startTestNode, type TestNode } from './replication-node.js';

export interface ReplicationScope {
  /** Run `fn` when the test ends. */
  later(fn: () => Promise<void> | void): void;
  /** An in-process tredis node. */
  node(config?: Parameters<typeof startTestNode>[0]): Promise<TestNode>;
  client(port: number): Promise<TestClient>;
  /** A redis-server in a temporary directory (no diskless delay when it serves replicas: keeps the tests quick). */
  redisServer(directives?: string[]): Promise<number>;
  /** The same, with a client connected to it. */
  redis(directives?: string[]): Promise<{ port: number; c: TestClient }>;
  /** `INFO replication` text. */
  info(c: TestClient): Promise<string>;
  /** Wait for master_link_status:up. */
  linkUp(c: TestClient): Promise<boolean>;
}

export function replicationScope(): ReplicationScope {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    await stopAll();
  });
  const later = (fn: () => Promise<void> | void): void => void cleanups.push(fn);
  const client = async (port: number): Promise<TestClient> => {
    const c = await TestClient.connect(port);
    later(() => c.close());
    return c;
  };
  const redisServer = async (directives: string[] = []): Promise<number> => {
    const t = tempDir();
    later(t.cleanup);
    const port = allocPort();
    await startRedisServer(port, t.dir, ['repl-diskless-sync-delay 0', ...directives]);
    return port;
  };
  const info = async (c: TestClient): Promise<string> => (await c.str('INFO', 'replication')) ?? '';
  return {
    later,
    client,
    redisServer,
    info,
    async node(config = {}) {
      const n = await startTestNode(config);
      later(() => n.close());
      return n;
    },
    async redis(directives = []) {
      const port = await redisServer(directives);
      return { port, c: await client(port) };
    },
    linkUp: (c) => until(async () => infoField(await info(c), 'master_link_status') === 'up', 'master_link_status:up'),
  };
}
