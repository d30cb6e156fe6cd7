/**
 * redis.conf / sentinel.conf support shared by both daemons. A daemon declares a directive table over its own
 * plain-data config object (schema.ts explains the model), then:
 *
 *   const table = defineConfigTable<NodeConfig>([intDirective({...}), ...]);
 *   const { config, errors, lines } = loadConfig(table, DEFAULTS, { file, stdin, options });
 *   if (errors.length) { process.stderr.write(formatConfigReport('tredis 0.1.0', errors)); process.exit(1); }
 *   configGet(table, config, ['max*'])                      // CONFIG GET
 *   await configSet(table, config, [['maxmemory', '1gb']])   // CONFIG SET, all-or-nothing
 *   rewriteConfigFile(path, (old) => rewriteWithTable(table, config, old, { skipKeys: keysFromIncludes(table, lines) }))
 */
export { parseConfigText, trimConfigLine, asciiLower, reprArg, formatConfigLine } from './lines.js';
export type { ConfigLine, ConfigIssue, ParsedText } from './lines.js';
export { CONFIG_MESSAGES, enumMessage, rangeMessage } from './messages.js';
export { loadConfigLines, nodeConfigFs, readStdinSync, STDIN_SOURCE, OPTIONS_SOURCE } from './sources.js';
export type { ConfigFs, ConfigSources, LoadOptions, LoadedLines } from './sources.js';
export { defineConfigTable, arityOk } from './schema.js';
export type {
  ArgCount,
  ApplyFn,
  ConfigTable,
  DirectiveSpec,
  FamilySpec,
  Found,
  RewriteOutput,
  SetContext,
  TableEntry,
} from './schema.js';
export { applyConfigLines, loadConfig } from './loader.js';
export type { LoadResult } from './loader.js';
export {
  parseYesNo,
  parseInteger,
  parseMemory,
  formatMemory,
  rewriteLine,
  REWRITE_REMOVE,
  boolDirective,
  enumDirective,
  intDirective,
  memoryDirective,
  stringDirective,
} from './values.js';
export { configGet, prepareConfigSet, configSet, configSetErrorReply } from './runtime.js';
export type { ConfigSetError, ConfigSetResult, PreparedSet } from './runtime.js';
export {
  rewriteConfigText,
  managedFromTable,
  keysFromIncludes,
  rewriteWithTable,
  REWRITE_SIGNATURE,
} from './rewrite.js';
export type { ManagedOption, RewriteOptions } from './rewrite.js';
export { rewriteConfigFile, checkWritable, checkSentinelConfigFile } from './config-file.js';
export type { RewriteFileOptions, AccessFn } from './config-file.js';
export { formatConfigReport, toConfigErrors } from './report.js';
export type { ConfigCheckTarget } from './check-target.js';
export { strerror, errnoCode } from './os-errors.js';
