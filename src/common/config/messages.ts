/**
 * Config error texts, in one table. Where Redis 7.0 has a text for the same problem (config.c, util.c,
 * sentinel.c), it is used verbatim so operators can search for it; the rest are ours and say which part is wrong.
 */
export const CONFIG_MESSAGES = {
  // config.c loadServerConfigFromString
  unbalancedQuotes: 'Unbalanced quotes in configuration line',
  badDirective: 'Bad directive or wrong number of arguments',
  wrongArgCount: 'wrong number of arguments',
  // config.c value parsers
  yesNo: "argument must be 'yes' or 'no'",
  notInteger: "argument couldn't be parsed into an integer",
  notMemory: 'argument must be a memory value',
  notMemoryOrPercent: 'argument must be a memory or percent value',
  // include handling (ours; Redis prints "Fatal error, can't open config file '%s': %s")
  cantOpen: (path: string, reason: string) => `Fatal error, can't open config file '${path}': ${reason}`,
  includeCycle: (path: string) => `include cycle: '${path}' is already being read`,
  includeDepth: (max: number) => `include nested deeper than ${max} levels`,
  // config.c configSetCommand / configGetCommand replies (without the leading "ERR ")
  setUnknown: (name: string) => `Unknown option or number of arguments for CONFIG SET - '${name}'`,
  setFailed: (name: string, reason: string) => `CONFIG SET failed (possibly related to argument '${name}') - ${reason}`,
  setFailedNoReason: (name: string) => `CONFIG SET failed (possibly related to argument '${name}')`,
  setImmutable: "can't set immutable config",
  setDuplicate: 'duplicate parameter',
  // sentinel.c sentinelCheckConfigFile
  sentinelNeedsFile: 'Sentinel needs config file on disk to save state. Exiting...',
  sentinelNotWritable: (path: string, reason: string) => `Sentinel config file ${path} is not writable: ${reason}. Exiting...`,
} as const;

/** enumConfigSet: `argument(s) must be one of the following: a, b, c` (Redis 7.0.15, file and CONFIG SET alike). */
export function enumMessage(names: readonly string[]): string {
  return `argument(s) must be one of the following: ${names.join(', ')}`;
}

/** numericBoundaryCheck: `argument must be between 1 and 65535 inclusive`. */
export function rangeMessage(min: number | bigint, max: number | bigint): string {
  return `argument must be between ${min} and ${max} inclusive`;
}
