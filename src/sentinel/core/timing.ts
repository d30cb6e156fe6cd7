/**
 * Timing parameters. `Timing` holds the thirteen SENTINEL DEBUG knobs of Redis 7.0 (sentinel.c
 * `sentinel_*_period` statics, sentinel.md §3) with their reference defaults; `Tuning` holds tsentinel's own
 * event-driven fast paths, which are additions, not replacements: every reference deadline still applies, the fast
 * paths only act earlier when the evidence is already there.
 */

export interface Timing {
  infoPeriod: number;
  pingPeriod: number;
  askPeriod: number;
  publishPeriod: number;
  defaultDownAfter: number;
  defaultFailoverTimeout: number;
  tiltTrigger: number;
  tiltPeriod: number;
  slaveReconfTimeout: number;
  minLinkReconnectPeriod: number;
  electionTimeout: number;
  scriptMaxRuntime: number;
  scriptRetryDelay: number;
}

export const DEFAULT_TIMING: Readonly<Timing> = Object.freeze({
  infoPeriod: 10_000,
  pingPeriod: 1_000,
  askPeriod: 1_000,
  publishPeriod: 2_000,
  defaultDownAfter: 30_000,
  defaultFailoverTimeout: 180_000,
  tiltTrigger: 2_000,
  tiltPeriod: 30_000,
  slaveReconfTimeout: 10_000,
  minLinkReconnectPeriod: 15_000,
  electionTimeout: 10_000,
  scriptMaxRuntime: 60_000,
  scriptRetryDelay: 30_000,
});

/** SENTINEL DEBUG parameter names (input, lower case) in the order the no-argument reply lists them (upper case). */
export const DEBUG_PARAMS: readonly (readonly [string, keyof Timing])[] = [
  ['info-period', 'infoPeriod'],
  ['ping-period', 'pingPeriod'],
  ['ask-period', 'askPeriod'],
  ['publish-period', 'publishPeriod'],
  ['default-down-after', 'defaultDownAfter'],
  ['default-failover-timeout', 'defaultFailoverTimeout'],
  ['tilt-trigger', 'tiltTrigger'],
  ['tilt-period', 'tiltPeriod'],
  ['slave-reconf-timeout', 'slaveReconfTimeout'],
  ['min-link-reconnect-period', 'minLinkReconnectPeriod'],
  ['election-timeout', 'electionTimeout'],
  ['script-max-runtime', 'scriptMaxRuntime'],
  ['script-retry-delay', 'scriptRetryDelay'],
];

/** SENTINEL_MAX_DESYNC: random delay added to failover_start_time (sentinelStartFailover, sentinelVoteLeader). */
export const MAX_DESYNC = 1000;
/** SENTINEL_MAX_PENDING_COMMANDS: periodic commands are skipped above this many unanswered per link ref. */
export const MAX_PENDING_COMMANDS = 100;
/** SENTINEL_DEFAULT_SLAVE_PRIORITY. */
export const DEFAULT_REPLICA_PRIORITY = 100;
export const DEFAULT_PARALLEL_SYNCS = 1;

/**
 * tsentinel's fast paths (the "better than the reference" targets). `enabled: false` reproduces the
 * reference's cadence exactly, which the simulations use to compare.
 */
export interface Tuning {
  enabled: boolean;
  /** Ping at down-after/pingDivisor (never slower than the reference's min(down-after, ping-period)), so the
   * oldest unanswered PING is at most that old when the node dies and SDOWN lands right at down-after. */
  pingDivisor: number;
  /** Re-ask peers at this cadence while we see SDOWN but not yet ODOWN (reference: ask-period). */
  fastAskPeriod: number;
  /** Upper bound of the random delay between reaching ODOWN and starting an election: spreads simultaneous
   * candidates apart by more than a vote round trip, so one of them collects the votes (Raft's randomized timeout). */
  electionDesync: number;
  /** How long select_slave waits for the candidates' fresh INFO (offsets) before ranking on what arrived. */
  offsetQueryTimeout: number;
  /** INFO poll period of the promoted replica during wait_promotion and of replicas being reconfigured. */
  promotionPollPeriod: number;
  /** A replica that reports role:master (a returning old master) is demoted after it has been continuously up and
   * reporting master for this long, instead of the reference's 4×publish-period plus INFO-period granularity. */
  fenceDelay: number;
  /** INFO poll period for a replica that reports role:master while we wait to fence it. */
  fencePollPeriod: number;
  /** Driver heartbeat: the longest the core goes without a tick (the reference timer runs at 10–20 Hz). */
  heartbeat: number;
}

export const DEFAULT_TUNING: Readonly<Tuning> = Object.freeze({
  enabled: true,
  pingDivisor: 10,
  fastAskPeriod: 50,
  electionDesync: 50,
  offsetQueryTimeout: 250,
  promotionPollPeriod: 50,
  fenceDelay: 1200,
  fencePollPeriod: 100,
  heartbeat: 100,
});

export const REFERENCE_TUNING: Readonly<Tuning> = Object.freeze({ ...DEFAULT_TUNING, enabled: false });
