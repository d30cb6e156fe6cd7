/**
 * A real tredis node in-process for the replication integration tests: the node's composition root (`startNode`,
 * exactly what the tredis bin runs) on an ephemeral port, persistence in a temporary directory without save
 * points, and the given replication settings. Log messages are captured for assertions; SHUTDOWN stops the node
 * without exiting the test process.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startNode, type NodeHandle } from '../../src/node/main.js';
import type { ReplicationConfig } from '../../src/node/replication/config.js';
import { tempDir } from '../helpers/processes.js';
import { ephemeralNodeConfig } from './node-start.js';

export interface TestNode {
  readonly port: number;
  readonly handle: NodeHandle;
  /** Log messages, oldest first. */
  readonly log: string[];
  /** Resolves when the node stopped by itself (SHUTDOWN). */
  readonly exited: Promise<number>;
  close(): Promise<void>;
}

export async function startTestNode(opts: { config?: Partial<ReplicationConfig> } = {}): Promise<TestNode> {
  const log: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          log.push(String((JSON.parse(line) as { msg?: unknown }).msg ?? line));
        } catch {
          log.push(line);
        }
      }
      cb();
    },
  });
  const t = tempDir('tredis-repl-node-');
  const config = ephemeralNodeConfig(t.dir);
  config.persistence.appendonly = false;
  Object.assign(config.replication, opts.config);
  let exitCode: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (exitCode = resolve));
  const handle = await startNode(config, { logger: pino({ level: 'info' }, sink), ephemeralPort: true, exit: (code) => exitCode(code) });
  return {
    port: handle.port,
    handle,
    log,
    exited,
    close: async () => {
      await handle.close();
      t.cleanup();
    },
  };
}
