/**
 * Every name tsentinel shares with Redis Sentinel 7.0 on the wire, in one place: pub/sub event channels and their
 * log levels (sentinel.c sentinelEvent call sites), instance flag names in the order `addReplySentinelRedisInstance`
 * prints them, failover state names (sentinelFailoverStateStr), and the hello channel. Internal code says
 * primary/replica; these strings keep the reference's master/slave vocabulary exactly.
 */

export const HELLO_CHANNEL = '__sentinel__:hello';

/** Redis log levels as sentinelEvent uses them: WARNING events also run the notification script; DEBUG is never published. */
export type EventLevel = 'warning' | 'notice' | 'verbose' | 'debug';

/** Event (= pub/sub channel) name → level. sentinel.md §6; levels from the 7.0.15 call sites. */
export const EVENT_LEVELS = {
  '+monitor': 'warning',
  '-monitor': 'warning',
  '+reset-master': 'warning',
  '+slave': 'notice',
  '+sentinel': 'notice',
  '+sentinel-address-switch': 'notice',
  '+sentinel-address-update': 'notice',
  '+sentinel-invalid-addr': 'notice',
  '+sdown': 'warning',
  '-sdown': 'warning',
  '+odown': 'warning',
  '-odown': 'warning',
  '+new-epoch': 'warning',
  '+vote-for-leader': 'warning',
  '+try-failover': 'warning',
  '+elected-leader': 'warning',
  '+failover-state-select-slave': 'warning',
  '+selected-slave': 'warning',
  '+failover-state-send-slaveof-noone': 'notice',
  '+failover-state-wait-promotion': 'notice',
  '+promoted-slave': 'warning',
  '+failover-state-reconf-slaves': 'warning',
  '+slave-reconf-sent': 'notice',
  '+slave-reconf-inprog': 'notice',
  '+slave-reconf-done': 'notice',
  '+slave-reconf-sent-be': 'notice',
  '-slave-reconf-sent-timeout': 'notice',
  '+failover-end-for-timeout': 'warning',
  '+failover-end': 'warning',
  '-failover-abort-not-elected': 'warning',
  '-failover-abort-no-good-slave': 'warning',
  '-failover-abort-slave-timeout': 'warning',
  '+switch-master': 'warning',
  '+config-update-from': 'warning',
  '+convert-to-slave': 'notice',
  '+fix-slave-config': 'notice',
  '+reboot': 'notice',
  '+role-change': 'verbose',
  '-role-change': 'verbose',
  '+set': 'warning',
  '+tilt': 'warning',
  '-tilt': 'warning',
  '-script-error': 'warning',
  '-script-timeout': 'warning',
  '-cmd-link-reconnection': 'debug',
  '-pubsub-link-reconnection': 'debug',
  '+script-child': 'debug',
  '-script-child': 'debug',
} as const satisfies Record<string, EventLevel>;

export type EventName = keyof typeof EVENT_LEVELS;

export function eventLevel(name: EventName): EventLevel {
  return EVENT_LEVELS[name];
}

/** Instance flags in the order SENTINEL MASTER/REPLICAS/SENTINELS print them (7.0.15; no master_reboot). */
export const FLAG_ORDER = [
  's_down',
  'o_down',
  'master',
  'slave',
  'sentinel',
  'disconnected',
  'master_down',
  'failover_in_progress',
  'promoted',
  'reconf_sent',
  'reconf_inprog',
  'reconf_done',
  'force_failover',
  'script_kill_sent',
] as const;

export type FlagName = (typeof FLAG_ORDER)[number];

/** SENTINEL_FAILOVER_STATE_* in order; the index is the reference's numeric state (comparisons use it). */
export const FAILOVER_STATES = [
  'none',
  'wait_start',
  'select_slave',
  'send_slaveof_noone',
  'wait_promotion',
  'reconf_slaves',
  'update_config',
] as const;

export type FailoverStateName = (typeof FAILOVER_STATES)[number];

/** Wire names of the instance kinds as `%@` and flags print them. */
export type InstanceKind = 'master' | 'slave' | 'sentinel';

/** Commands Sentinel sends to nodes and peers; each goes through the master's rename-command map. */
export const NODE_COMMANDS = [
  'AUTH',
  'CLIENT',
  'PING',
  'INFO',
  'PUBLISH',
  'SUBSCRIBE',
  'MULTI',
  'SLAVEOF',
  'CONFIG',
  'EXEC',
  'SCRIPT',
  'SENTINEL',
  'FAILOVER',
] as const;
