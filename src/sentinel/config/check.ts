/**
 * What `tsentinel check-config` needs to validate a sentinel.conf exactly as start-up would (src/cli/commands/
 * check-config.ts ConfigCheckTarget): the directive table, the sentinel-mode defaults, the writable-file rule, and
 * a whole-config check that applies the `sentinel` lines to a scratch core in the reference's order, so
 * "No such master with specified name." and friends are reported with file and line. Hostnames are not resolved
 * here (no network access while checking): with resolve-hostnames they are assumed to resolve.
 */
import { ConfigError } from '../../common/errors.js';
import type { ConfigIssue, ConfigTable } from '../../common/config/index.js';
import { seededRandom } from '../../common/random.js';
import { SentinelCore } from '../core/core.js';
import { hostnamesIn, loadSentinelDirectives } from './directives.js';
import { isExecutableFile, PRODUCT } from './load.js';
import { defaultSentinelFileConfig, SENTINEL_CONFIG_TABLE, type SentinelFileConfig } from './table.js';

export interface SentinelCheckTarget {
  readonly product: string;
  readonly table: ConfigTable<SentinelFileConfig>;
  readonly defaults: SentinelFileConfig;
  readonly requiresWritableFile: true;
  validate(config: SentinelFileConfig, file: string): ConfigIssue[];
}

export function sentinelCheckTarget(isExecutable: (path: string) => boolean = isExecutableFile): SentinelCheckTarget {
  return {
    product: PRODUCT,
    table: SENTINEL_CONFIG_TABLE,
    defaults: defaultSentinelFileConfig(),
    requiresWritableFile: true,
    validate(config, file) {
      const core = new SentinelCore({ random: seededRandom(0), now: 0 });
      for (const h of hostnamesIn(config.sentinel)) core.state.dns.set(h.toLowerCase(), '0.0.0.0');
      try {
        loadSentinelDirectives(core, 0, config.sentinel, { isExecutable });
        return [];
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        const msg = e.message.replace(/^[^\n]*?:\d+: /, '').replace(/\n>>> .*$/s, '');
        return [{ file: e.file ?? file, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.text !== undefined ? { text: e.text } : {}), message: msg }];
      }
    },
  };
}
