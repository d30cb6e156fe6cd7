/**
 * The sentinel's state: the same records as sentinel.c's `sentinelState` / `sentinelRedisInstance` /
 * `instanceLink`, split by role, with every time a plain millisecond number (the core's monotonic `now`). Nothing
 * here does I/O; links are only the core's view of connections the driver owns.
 */
import type { Addr } from '../protocol/addr.js';
import type { InstanceKind } from '../protocol/wire-names.js';
import type { Timing, Tuning } from './timing.js';

/** Failover state as its index in FAILOVER_STATES (the reference compares states numerically). */
export const FailoverState = {
  None: 0,
  WaitStart: 1,
  SelectSlave: 2,
  SendSlaveofNoOne: 3,
  WaitPromotion: 4,
  ReconfSlaves: 5,
  UpdateConfig: 6,
} as const;
export type FailoverState = (typeof FailoverState)[keyof typeof FailoverState];

export type ConnState = 'down' | 'connecting' | 'up';

/** instanceLink: one command connection (+ one pub/sub connection for nodes), shared by sentinel records with one runid. */
export interface Link {
  readonly id: number;
  /** Records sharing this link (sentinel RIs of the same peer under several masters). */
  refcount: number;
  /** The record whose address and credentials the driver uses to connect. */
  owner: Instance;
  cc: ConnState;
  pc: ConnState;
  /** Set until the command connection (and for nodes the pub/sub one) is up. */
  disconnected: boolean;
  pendingCommands: number;
  ccConnTime: number;
  pcConnTime: number;
  pcLastActivity: number;
  /** Last reply counting as "available" (+PONG, -LOADING, -MASTERDOWN). */
  lastAvailTime: number;
  /** Time of the oldest PING still unanswered, 0 when none. */
  actPingTime: number;
  lastPingTime: number;
  /** Last reply of any kind to a PING. */
  lastPongTime: number;
  lastReconnTime: number;
  /** Local address of the command connection (getsockname), used to announce ourselves when announce-ip is unset. */
  localIp: string | null;
}

export interface InstanceBase {
  readonly kind: InstanceKind;
  name: string;
  runid: string | null;
  addr: Addr;
  link: Link;
  /** Detached from the state (reset/remove); late replies for it are dropped. */
  removed: boolean;
  downAfter: number;
  sDown: boolean;
  sDownSince: number;
  scriptKillSent: boolean;
  lastPubTime: number;
  /** INFO bookkeeping (masters and replicas). */
  info: string | null;
  infoRefresh: number;
  /** When the INFO now outstanding was sent (0: none); avoids re-sending while one is in flight. */
  infoSentAt: number;
  /** Same for the hello PUBLISH. */
  pubSentAt: number;
  /** 'none' when the last INFO had no role line (the reference's role 0, printed as "slave"). */
  roleReported: 'master' | 'slave' | 'none';
  roleReportedTime: number;
  slaveConfChangeTime: number;
  /** master_replid / master_replid2 from the last INFO (tsentinel: fencing evidence). */
  replId: string | null;
  replId2: string | null;
}

export interface Master extends InstanceBase {
  readonly kind: 'master';
  sentinels: Map<string, Peer>;
  replicas: Map<string, Replica>;
  quorum: number;
  parallelSyncs: number;
  authPass: string | null;
  authUser: string | null;
  /** rename-command: lower-cased original → new name (dictSdsCaseHash). Insertion order is kept for the rewrite. */
  renamedCommands: Map<string, { from: string; to: string }>;
  notificationScript: string | null;
  clientReconfigScript: string | null;
  masterRebootDownAfter: number;
  masterReboot: boolean;
  masterRebootSince: number;
  oDown: boolean;
  oDownSince: number;
  configEpoch: number;
  /** The vote this sentinel cast for this master, and its epoch (persisted as leader-epoch). */
  leader: string | null;
  leaderEpoch: number;
  failoverEpoch: number;
  failoverInProgress: boolean;
  forceFailover: boolean;
  failoverState: FailoverState;
  failoverStateChangeTime: number;
  failoverStartTime: number;
  failoverTimeout: number;
  failoverDelayLogged: number;
  promoted: Replica | null;
  /** tsentinel: ODOWN seen, election start deferred by a random desync until this time (0 = none). */
  electionStartAt: number;
  /** tsentinel: select_slave is waiting for fresh INFO from these candidates until `deadline`. */
  offsetQuery: { start: number; deadline: number; waiting: Set<number> } | null;
  /** tsentinel: SENTINEL FAILOVER … COORDINATED in progress (FAILOVER TO sent to the old master). */
  coordinated: boolean;
  /** tsentinel: last time a forced re-ask was triggered by a peer asking us (rate limit). */
  lastPeerTriggeredAsk: number;
}

export interface Replica extends InstanceBase {
  readonly kind: 'slave';
  readonly master: Master;
  masterLinkDownTime: number;
  slavePriority: number;
  replicaAnnounced: boolean;
  slaveReconfSentTime: number;
  slaveMasterHost: string | null;
  slaveMasterPort: number;
  slaveMasterLinkUp: boolean;
  slaveReplOffset: number;
  promoted: boolean;
  reconfSent: boolean;
  reconfInprog: boolean;
  reconfDone: boolean;
  /** tsentinel: when this replica was last seen continuously available (fencing of a returning old master). */
  availableSince: number;
}

export interface Peer extends InstanceBase {
  readonly kind: 'sentinel';
  readonly master: Master;
  lastHelloTime: number;
  lastMasterDownReplyTime: number;
  /** When the is-master-down-by-addr now outstanding was sent (0: none). */
  askSentAt: number;
  masterDown: boolean;
  /** Whom this peer told us it voted for, and in which epoch. */
  leader: string | null;
  leaderEpoch: number;
}

export type Instance = Master | Replica | Peer;

export interface GlobalConfig {
  announceIp: string | null;
  announcePort: number;
  denyScriptsReconfig: boolean;
  sentinelUser: string | null;
  sentinelPass: string | null;
  resolveHostnames: boolean;
  announceHostnames: boolean;
  /** Our own requirepass: the legacy fallback password towards other sentinels. */
  requirePass: string | null;
  /** The port we listen on (announced when announce-port is 0). */
  port: number;
}

export interface SentinelState {
  myid: string;
  currentEpoch: number;
  masters: Map<string, Master>;
  tilt: boolean;
  tiltStartTime: number;
  previousTime: number;
  tiltCount: number;
  simFailureFlags: number;
  config: GlobalConfig;
  timing: Timing;
  tuning: Tuning;
  links: Map<number, Link>;
  nextLinkId: number;
  /** Hostname → IP as the driver resolved it (null: resolution failed). Lower-cased keys. */
  dns: Map<string, string | null>;
}

/**
 * "Long ago" for times the reference initialises to 0 and compares with `now - t`: its clock is the Unix epoch, so 0
 * is decades back; the core's clock is monotonic and may start near 0, so those fields start at NEVER instead.
 */
export const NEVER = -1e15;

export const SIMFAILURE_CRASH_AFTER_ELECTION = 1;
export const SIMFAILURE_CRASH_AFTER_PROMOTION = 2;

export function defaultGlobalConfig(): GlobalConfig {
  return {
    announceIp: null,
    announcePort: 0,
    denyScriptsReconfig: true,
    sentinelUser: null,
    sentinelPass: null,
    resolveHostnames: false,
    announceHostnames: false,
    requirePass: null,
    port: 26379,
  };
}
