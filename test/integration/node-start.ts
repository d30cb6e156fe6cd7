/**
 * Start an in-process tredis for integration tests: port 0 (read back), a temp dir for persistence, a silent
 * logger, and `exit` turned into a recorded call so SHUTDOWN does not end the test process.
 */
import pino from 'pino';
import { applyConfigLines, parseConfigText } from '../../src/common/config/index.js';
import { defaultNodeConfig, type NodeConfig } from '../../src/node/config/node-config.js';
import { nodeConfigTable } from '../../src/node/config/table.js';
import { startNode, type NodeHandle } from '../../src/node/main.js';
import { tempDir } from '../helpers/processes.js';

export interface TestNode {
  readonly handle: NodeHandle;
  readonly port: number;
  readonly dir: string;
  readonly exits: number[];
  stop(): Promise<void>;
}

/** Defaults for an in-process test node: an OS-assigned port on loopback, data in `dir`, no save points. */
export function ephemeralNodeConfig(dir: string): NodeConfig {
  const c = defaultNodeConfig();
  c.server.port = 0;
  c.server.bind = ['127.0.0.1'];
  c.persistence.dir = dir;
  c.persistence.savePoints = [];
  return c;
}

/** `directives` are redis.conf lines applied over the defaults (`['maxmemory 10mb']`). */
export async function startTestNode(directives: string[] = [], mutate?: (c: NodeConfig) => void): Promise<TestNode> {
  const tmp = tempDir('tredis-it-');
  const base = ephemeralNodeConfig(tmp.dir);
  const parsed = parseConfigText(directives.join('\n'), 'test.conf');
  const r = applyConfigLines(nodeConfigTable(), parsed.lines, base);
  if (r.errors.length > 0 || parsed.errors.length > 0) throw new Error(JSON.stringify([...parsed.errors, ...r.errors]));
  const cfg = r.config;
  mutate?.(cfg);
  const exits: number[] = [];
  const handle = await startNode(cfg, {
    logger: pino({ level: process.env.TREDIS_TEST_LOG === '1' ? 'debug' : 'silent' }),
    ephemeralPort: true,
    exit: (code) => exits.push(code),
  });
  return {
    handle,
    port: handle.port,
    dir: tmp.dir,
    exits,
    stop: async () => {
      await handle.close();
      tmp.cleanup();
    },
  };
}
