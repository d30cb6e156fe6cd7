/**
 * The status of a sentinel deployment as one sentinel sees it, gathered over the wire from any Sentinel-compatible
 * server (redis-sentinel or tsentinel) and shaped for rendering (status-render.ts) and for `--json`.
 *
 * Gathering goes through a one-method port (`SentinelCall`), so the same code runs over ioredis in the CLI and
 * over anything else in tests. Fields the server does not report stay undefined rather than guessed.
 */
import {
  flagsOf,
  formatAddress,
  intField,
  parseInfo,
  parseInfoCache,
  recordsOf,
  replicaLinesOf,
  type InfoReplicaLine,
} from './sentinel-replies.js';

/** Send one command, resolve with the reply or reject with the server's error. */
export type SentinelCall = (...args: string[]) => Promise<unknown>;

export type MasterHealth = 'ok' | 'sdown' | 'odown';

export interface QuorumCheck {
  ok: boolean;
  /** The CKQUORUM reply text (`OK 3 usable Sentinels…` or `NOQUORUM 1 usable Sentinels…`) or the error. */
  message: string;
  /** The `<n> usable Sentinels` count when the reply carries it. */
  usable: number | undefined;
}

export interface ReplicaStatus {
  address: string;
  ip: string;
  port: number;
  flags: string[];
  /** `master-link-status` as the replica reports it in INFO (`ok`/`err`). */
  link: string | undefined;
  linkDownMs: number | undefined;
  priority: number | undefined;
  offset: number | undefined;
  /** The master's replication offset minus this replica's, when the master's INFO is known (bytes). */
  lagBytes: number | undefined;
  /** Seconds since the master last heard REPLCONF ACK from this replica (INFO replication `lag=`). */
  ackLagSeconds: number | undefined;
  lastOkPingMs: number | undefined;
}

export interface SentinelPeerStatus {
  id: string;
  address: string;
  ip: string;
  port: number;
  flags: string[];
  lastHelloMs: number | undefined;
  lastOkPingMs: number | undefined;
  votedLeader: string | undefined;
  votedLeaderEpoch: number | undefined;
}

export interface MasterStatus {
  name: string;
  address: string;
  ip: string;
  port: number;
  flags: string[];
  health: MasterHealth;
  failoverState: string | undefined;
  configEpoch: number | undefined;
  quorum: number | undefined;
  /** Sentinels that know this master, including the one asked. */
  sentinelCount: number;
  downAfterMs: number | undefined;
  failoverTimeoutMs: number | undefined;
  parallelSyncs: number | undefined;
  lastOkPingMs: number | undefined;
  replicationOffset: number | undefined;
  quorumCheck: QuorumCheck;
  replicas: ReplicaStatus[];
  sentinels: SentinelPeerStatus[];
}

export interface SentinelSelf {
  address: string;
  id: string | undefined;
  version: string | undefined;
  tilt: boolean | undefined;
}

export interface StatusSnapshot {
  /** Wall-clock ms when the snapshot was taken (rendering ages is relative to the replies, not to this). */
  takenAt: number;
  sentinel: SentinelSelf;
  masters: MasterStatus[];
}

/** Which of ok/sdown/odown, like the `status=` of INFO's `masterN:` line (sentinel.c sentinelInfoCommand). */
export function masterHealth(flags: readonly string[]): MasterHealth {
  if (flags.includes('o_down')) return 'odown';
  if (flags.includes('s_down')) return 'sdown';
  return 'ok';
}

/** CKQUORUM: `+OK n usable Sentinels…` or `-NOQUORUM n usable Sentinels…` (sentinel.c L4086-4091). */
export function quorumCheckOf(reply: unknown, error?: unknown): QuorumCheck {
  const message = error !== undefined ? errorText(error) : typeof reply === 'string' ? reply : String(reply);
  const m = /(\d+) usable Sentinels/.exec(message);
  return { ok: error === undefined && message.startsWith('OK'), message, usable: m ? Number(m[1]) : undefined };
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function attempt<T>(p: Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await p };
  } catch (error) {
    return { error };
  }
}

/**
 * Replication lag in bytes. Preferably both offsets come from the master's own INFO (master_repl_offset and the
 * `slaveN:offset=` it last heard in REPLCONF ACK), one consistent moment; the replica's self-reported offset comes
 * from a different INFO refresh and is only the fallback.
 */
function lagOf(masterOffset: number | undefined, replicaOffset: number | undefined): number | undefined {
  if (masterOffset === undefined || replicaOffset === undefined || !Number.isFinite(replicaOffset)) return undefined;
  return Math.max(0, masterOffset - replicaOffset);
}

function replicaOf(rec: Record<string, string>, masterOffset: number | undefined, lines: InfoReplicaLine[]): ReplicaStatus {
  const ip = rec['ip'] ?? '';
  const port = intField(rec, 'port') ?? 0;
  const offset = intField(rec, 'slave-repl-offset');
  const line = lines.find((l) => l.ip === ip && l.port === port) ?? lines.find((l) => l.port === port);
  return {
    address: formatAddress(ip, port),
    ip,
    port,
    flags: flagsOf(rec),
    link: rec['master-link-status'],
    linkDownMs: intField(rec, 'master-link-down-time'),
    priority: intField(rec, 'slave-priority'),
    offset,
    lagBytes: lagOf(masterOffset, line?.offset ?? offset),
    ackLagSeconds: line !== undefined && Number.isFinite(line.lagSeconds) ? line.lagSeconds : undefined,
    lastOkPingMs: intField(rec, 'last-ok-ping-reply'),
  };
}

function peerOf(rec: Record<string, string>): SentinelPeerStatus {
  const ip = rec['ip'] ?? '';
  const port = intField(rec, 'port') ?? 0;
  const leader = rec['voted-leader'];
  return {
    id: rec['runid'] ?? rec['name'] ?? '',
    address: formatAddress(ip, port),
    ip,
    port,
    flags: flagsOf(rec),
    lastHelloMs: intField(rec, 'last-hello-message'),
    lastOkPingMs: intField(rec, 'last-ok-ping-reply'),
    votedLeader: leader === undefined || leader === '?' ? undefined : leader,
    votedLeaderEpoch: intField(rec, 'voted-leader-epoch'),
  };
}

async function masterOf(call: SentinelCall, rec: Record<string, string>): Promise<MasterStatus> {
  const name = rec['name'] ?? '';
  const [replicas, sentinels, quorum, cache] = await Promise.all([
    attempt(call('SENTINEL', 'SLAVES', name)),
    attempt(call('SENTINEL', 'SENTINELS', name)),
    attempt(call('SENTINEL', 'CKQUORUM', name)),
    // INFO-CACHE is the only place a sentinel exposes the master's own INFO (its replication offset); optional.
    attempt(call('SENTINEL', 'INFO-CACHE', name)),
  ]);
  const masterInfo = 'value' in cache ? parseInfoCache(cache.value).get(name)?.[0] : undefined;
  const info = masterInfo !== undefined ? parseInfo(masterInfo) : undefined;
  const offsetText = info?.get('master_repl_offset');
  const masterOffset = offsetText !== undefined && /^\d+$/.test(offsetText) ? Number(offsetText) : undefined;
  const lines = info !== undefined ? replicaLinesOf(info) : [];
  const ip = rec['ip'] ?? '';
  const port = intField(rec, 'port') ?? 0;
  const flags = flagsOf(rec);
  const peers = 'value' in sentinels ? recordsOf(sentinels.value).map(peerOf) : [];
  return {
    name,
    address: formatAddress(ip, port),
    ip,
    port,
    flags,
    health: masterHealth(flags),
    failoverState: rec['failover-state'],
    configEpoch: intField(rec, 'config-epoch'),
    quorum: intField(rec, 'quorum'),
    sentinelCount: (intField(rec, 'num-other-sentinels') ?? peers.length) + 1,
    downAfterMs: intField(rec, 'down-after-milliseconds'),
    failoverTimeoutMs: intField(rec, 'failover-timeout'),
    parallelSyncs: intField(rec, 'parallel-syncs'),
    lastOkPingMs: intField(rec, 'last-ok-ping-reply'),
    replicationOffset: masterOffset,
    quorumCheck: 'value' in quorum ? quorumCheckOf(quorum.value) : quorumCheckOf(undefined, quorum.error),
    replicas: ('value' in replicas ? recordsOf(replicas.value) : [])
      .map((r) => replicaOf(r, masterOffset, lines))
      .sort((a, b) => a.address.localeCompare(b.address)),
    sentinels: peers.sort((a, b) => a.address.localeCompare(b.address)),
  };
}

/**
 * Ask one sentinel for everything `tsentinel status` shows. SENTINEL MASTERS failing (not a sentinel, NOAUTH, no
 * connection) rejects; every per-master detail is best effort.
 */
export async function collectStatus(call: SentinelCall, address: string, now: number): Promise<StatusSnapshot> {
  const masters = recordsOf(await call('SENTINEL', 'MASTERS'));
  const [info, myid] = await Promise.all([attempt(call('INFO')), attempt(call('SENTINEL', 'MYID'))]);
  const fields = 'value' in info && typeof info.value === 'string' ? parseInfo(info.value) : new Map<string, string>();
  const tilt = fields.get('sentinel_tilt');
  const list = await Promise.all(masters.map((m) => masterOf(call, m)));
  list.sort((a, b) => a.name.localeCompare(b.name));
  return {
    takenAt: now,
    sentinel: {
      address,
      id: 'value' in myid && typeof myid.value === 'string' ? myid.value : undefined,
      version: fields.get('tsentinel_version') ?? fields.get('redis_version'),
      tilt: tilt === undefined ? undefined : tilt === '1',
    },
    masters: list,
  };
}
