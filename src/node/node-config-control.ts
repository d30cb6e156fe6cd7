/**
 * CONFIG GET / SET / REWRITE over the node's directive table and live configuration (config.c configGetCommand,
 * configSetCommand, rewriteConfig). CONFIG SET is all-or-nothing: the table prepares a new config object, the
 * apply functions push it into the running services (each first adopts it as the live config, so services that
 * read settings through a getter see the new values), and a failing apply rolls the others back.
 */
import { strerror } from '../common/config/os-errors.js';
import {
  configGet,
  configSet,
  configSetErrorReply,
  keysFromIncludes,
  rewriteConfigFile,
  rewriteWithTable,
  type ConfigLine,
} from '../common/config/index.js';
import type { NodeConfig } from './config/node-config.js';
import { nodeConfigTable } from './config/table.js';

export interface ConfigControlDeps {
  readonly live: { config: NodeConfig };
  readonly lines: readonly ConfigLine[];
  applyServer(cfg: NodeConfig): void;
  applyNode(cfg: NodeConfig): void;
  applyLogLevel(cfg: NodeConfig): void;
  applyPersistence(cfg: NodeConfig): void;
  applyReplication(cfg: NodeConfig): void;
  /** CONFIG SET port / bind: reopen the listeners; false when the new ones could not be opened. */
  rebind(cfg: NodeConfig): Promise<boolean>;
}

export interface ConfigControl {
  get(patterns: readonly string[]): Array<[string, string]>;
  set(pairs: ReadonlyArray<readonly [string, string]>): Promise<string | null>;
  rewrite(): string | null;
}

export function nodeConfigControl(d: ConfigControlDeps): ConfigControl {
  const adopt =
    (fn: (c: NodeConfig) => void) =>
    (c: NodeConfig): undefined => {
      d.live.config = c;
      fn(c);
      return undefined;
    };
  const table = nodeConfigTable({
    applyServer: adopt((c) => d.applyServer(c)),
    applyNode: adopt((c) => d.applyNode(c)),
    applyLogLevel: adopt((c) => d.applyLogLevel(c)),
    applyPersistence: adopt((c) => d.applyPersistence(c)),
    applyReplication: adopt((c) => d.applyReplication(c)),
    rebind: (c) => {
      d.live.config = c;
      return d.rebind(c);
    },
  });
  return {
    get: (patterns) => configGet(table, d.live.config, patterns),
    async set(pairs) {
      const r = await configSet(table, d.live.config, pairs);
      if (!r.ok) return configSetErrorReply(r.error);
      d.live.config = r.config;
      return null;
    },
    rewrite() {
      const file = d.live.config.configFile;
      if (file === '') return 'ERR The server is running without a config file';
      try {
        const skipKeys = keysFromIncludes(table, d.lines);
        rewriteConfigFile(file, (old) => rewriteWithTable(table, d.live.config, old, { skipKeys }));
        return null;
      } catch (err) {
        return `ERR Rewriting config file: ${strerror(err)}`;
      }
    },
  };
}
