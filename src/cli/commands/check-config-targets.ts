/**
 * The daemons' directive tables as check-config targets, loaded on demand (the admin commands should not pay for
 * the sentinel core at start-up). A sentinel config is checked in two steps, as the daemon loads it: the directive
 * table (every line, file:line), then the `sentinel …` lines applied in the reference's load order to a scratch
 * core (duplicate masters, options for unknown masters, bad quorum — sentinel.c's own error texts).
 */
import { constants, accessSync } from 'node:fs';
import { ConfigError } from '../../common/errors.js';
import { seededRandom } from '../../common/random.js';
import type { ConfigIssue } from '../../common/config/index.js';
import { SentinelCore } from '../../sentinel/core/core.js';
import { loadSentinelDirectives } from '../../sentinel/config/directives.js';
import { defaultSentinelFileConfig, SENTINEL_CONFIG_TABLE, type SentinelFileConfig } from '../../sentinel/config/table.js';
import { defaultNodeConfig, type NodeConfig } from '../../node/config/node-config.js';
import { nodeConfigTable } from '../../node/config/table.js';
import type { CheckTargets, ConfigCheckTarget } from './check-config.js';

const VERSION = '0.1.0';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function sentinelTarget(): ConfigCheckTarget<SentinelFileConfig> {
  return {
    product: `tsentinel ${VERSION}`,
    table: SENTINEL_CONFIG_TABLE,
    defaults: defaultSentinelFileConfig(),
    requiresWritableFile: true,
    validate(config): ConfigIssue[] {
      const now = Date.now();
      // A scratch core: the seed only names run ids of instances that are never contacted.
      const core = new SentinelCore({ random: seededRandom(1), now });
      try {
        loadSentinelDirectives(core, now, config.sentinel, { isExecutable });
        return [];
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        // ConfigError's message is `file:line: text\n>>> 'line'`; the report prints location and text itself.
        const loc = e.file !== undefined ? `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ` : '';
        const first = e.message.split('\n>>> ')[0] ?? e.message;
        const message = first.startsWith(loc) ? first.slice(loc.length) : first;
        return [{ file: e.file ?? '?', ...(e.line !== undefined ? { line: e.line } : {}), ...(e.text !== undefined ? { text: e.text } : {}), message }];
      }
    },
  };
}

/** A tredis config: the node's directive table (no ports: nothing is applied to a running node). */
export function nodeTarget(): ConfigCheckTarget<NodeConfig> {
  return { product: `tredis ${VERSION}`, table: nodeConfigTable(), defaults: defaultNodeConfig(), requiresWritableFile: false };
}

export const DAEMON_CHECK_TARGETS: CheckTargets = {
  sentinel: async () => sentinelTarget() as ConfigCheckTarget<unknown>,
  node: async () => nodeTarget() as ConfigCheckTarget<unknown>,
};
