/**
 * What a daemon contributes to `tsentinel check-config`: its directive table and defaults, the writable-file rule,
 * and the whole-config checks its start-up makes after the table loaded. Each daemon exports its own target
 * (src/sentinel/config/check.ts, src/node/config/check.ts); the CLI only mounts them.
 */
import type { ConfigIssue } from './lines.js';
import type { ConfigTable } from './schema.js';

export interface ConfigCheckTarget<C> {
  /** `tsentinel 0.1.0`, for the report header. */
  readonly product: string;
  readonly table: ConfigTable<C>;
  readonly defaults: C;
  /** The daemon refuses to start without a writable file (sentinels: sentinel.c sentinelCheckConfigFile). */
  readonly requiresWritableFile: boolean;
  /** Checks across directives after loading (e.g. options for an unknown master); file-level issues. */
  validate?(config: C, file: string): ConfigIssue[];
}
