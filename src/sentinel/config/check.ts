/**
 * The sentinel's check-config target (`tsentinel check-config <file>`): validate a sentinel.conf exactly as
 * start-up would — the directive table, the sentinel-mode defaults, the writable-file rule, and a whole-config
 * check that applies the `sentinel` lines to a scratch core in the reference's order, so "No such master with
 * specified name." and friends are reported with file and line. Hostnames are not resolved here (no network
 * access while checking): with resolve-hostnames they are assumed to resolve.
 */
import type { ConfigCheckTarget, ConfigIssue } from '../../common/config/index.js';
import { ConfigError } from '../../common/errors.js';
import { seededRandom } from '../../common/random.js';
import { SentinelCore } from '../core/core.js';
import { hostnamesIn, loadSentinelDirectives } from './directives.js';
import { isExecutableFile, PRODUCT } from './load.js';
import { defaultSentinelFileConfig, SENTINEL_CONFIG_TABLE, type SentinelFileConfig } from './table.js';

export function sentinelCheckTarget(isExecutable: (path: string) => boolean = isExecutableFile): ConfigCheckTarget<SentinelFileConfig> {
  return {
    product: PRODUCT,
    table: SENTINEL_CONFIG_TABLE,
    defaults: defaultSentinelFileConfig(),
    requiresWritableFile: true,
    validate(config, file): ConfigIssue[] {
      // A scratch core: the seed only names run ids of instances that are never contacted.
      const core = new SentinelCore({ random: seededRandom(0), now: 0 });
      for (const h of hostnamesIn(config.sentinel)) core.state.dns.set(h.toLowerCase(), '0.0.0.0');
      try {
        loadSentinelDirectives(core, 0, config.sentinel, { isExecutable });
        return [];
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        return [configErrorIssue(e, file)];
      }
    },
  };
}

/** ConfigError's message is `file:line: text\n>>> 'line'`; the report prints location and line itself. */
function configErrorIssue(e: ConfigError, file: string): ConfigIssue {
  const loc = e.file !== undefined ? `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ` : '';
  const first = e.message.split('\n>>> ')[0] ?? e.message;
  const message = first.startsWith(loc) ? first.slice(loc.length) : first;
  return { file: e.file ?? file, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.text !== undefined ? { text: e.text } : {}), message };
}
