/**
 * Every error text the SENTINEL API and sentinel-mode commands reply with (Redis 7.0.15 sentinel.c, checked against
 * a running redis-sentinel 7.0.15). Texts are without the leading '-'; those without an explicit code get `ERR `.
 */
export const SENTINEL_ERR = {
  noSuchMaster: 'ERR No such master with that name',
  inprog: 'INPROG Failover already in progress',
  noGoodSlave: 'NOGOODSLAVE No suitable replica to promote',
  invalidQuorum: 'ERR Invalid quorum',
  invalidPort: 'ERR Invalid port',
  quorumMin: 'ERR Quorum must be 1 or greater.',
  invalidIp: 'ERR Invalid IP address or hostname specified',
  notInteger: 'ERR value is not an integer or out of range',
  scriptsDenied:
    'ERR Reconfiguration of scripts path is denied for security reasons. Check the deny-scripts-reconfig configuration directive in your Sentinel configuration',
  notificationScriptBad: 'ERR Notification script seems non existing or non executable',
  reconfigScriptBad: 'ERR Client reconfiguration script seems non existing or non executable',
  flushFailed: 'ERR Failed to save config file. Check server logs.',
  setFlushFailed: 'ERR Failed to save Sentinel new configuration on disk',
  unknownSimulation: 'ERR Unknown failure simulation specified',
  configOnlyGetSet: 'ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.',
  onlyHello: 'ERR Only HELLO messages are accepted by Sentinel instances.',
  coordinatedNeedsMaster: 'ERR Coordinated failover needs a reachable master',
  /** 7.2+ multi-parameter SENTINEL CONFIG SET. */
  duplicateArgument: (param: string) => `ERR Duplicate argument '${param}' to SENTINEL CONFIG SET`,
  setUnknownOption: (opt: string) => `ERR Unknown option or number of arguments for SENTINEL SET '${opt}'`,
  setInvalidArgument: (arg: string, opt: string) => `ERR Invalid argument '${arg}' for SENTINEL SET '${opt}'`,
  debugUnknownOption: (opt: string) => `ERR Unknown option or number of arguments for SENTINEL DEBUG '${opt}'`,
  debugInvalidArgument: (arg: string, opt: string) => `ERR Invalid argument '${arg}' for SENTINEL DEBUG '${opt}'`,
  configSetInvalidArgument: (param: string) => `ERR Invalid argument '${param}' to SENTINEL CONFIG SET`,
  configSetInvalidValue: (value: string, param: string) => `ERR Invalid value '${value}' to SENTINEL CONFIG SET '${param}'`,
  /** CKQUORUM failure: `NOQUORUM <n> usable Sentinels. ` + reasons. */
  noQuorum: (usable: number, noQuorum: boolean, noAuth: boolean) => {
    let e = `NOQUORUM ${usable} usable Sentinels. `;
    if (noQuorum) e += 'Not enough available Sentinels to reach the specified quorum for this master';
    if (noAuth) {
      if (noQuorum) e += '. ';
      e += 'Not enough available Sentinels to reach the majority and authorize a failover';
    }
    return e;
  },
  ckquorumOk: (usable: number) => `OK ${usable} usable Sentinels. Quorum and failover authorization can be reached`,
} as const;

/** Config-file errors of `sentinel …` directives (sentinelHandleConfiguration). */
export const SENTINEL_CONFIG_ERR = {
  unrecognized: 'Unrecognized sentinel configuration statement.',
  noSuchMaster: 'No such master with specified name.',
  quorumMin: 'Quorum must be 1 or greater.',
  nonPositiveTime: 'negative or zero time parameter.',
  negativeTime: 'negative time parameter.',
  notificationScript: 'Notification script seems non existing or non executable.',
  reconfigScript: 'Client reconfiguration script seems non existing or non executable.',
  malformedMyid: 'Malformed Sentinel id in myid option.',
  renameTwice: 'Same command renamed multiple times with rename-command.',
  yesNo: (opt: string) => `Please specify yes or no for the ${opt} option.`,
  denyScriptsYesNo: 'Please specify yes or no for the deny-scripts-reconfig options.',
} as const;
