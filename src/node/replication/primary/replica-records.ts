/**
 * What a master knows about each attached replica and the rules that read it (replication.c replconfCommand,
 * refreshGoodSlavesCount, replicationCountAcksByOffset, replicationCron's timeout check, findReplica, INFO/ROLE).
 * Pure data and functions; the driver owns the connections.
 */
import type { ReplicaLinkState, ReplicaView } from '../info.js';

/** What REPLCONF told us before (and after) the connection became a replica. */
export interface ReplconfInfo {
  listeningPort: number;
  /** REPLCONF ip-address (replica-announce-ip), or null. */
  announcedIp: string | null;
  capaEof: boolean;
  capaPsync2: boolean;
}

export function emptyReplconf(): ReplconfInfo {
  return { listeningPort: 0, announcedIp: null, capaEof: false, capaPsync2: false };
}

export interface ReplicaRecord {
  /** Session id of the connection. */
  readonly id: number;
  /** The peer address without `::ffff:` (Node reports IPv4 peers on dual-stack sockets as IPv4-mapped IPv6). */
  readonly peerIp: string;
  readonly conf: ReplconfInfo;
  state: ReplicaLinkState;
  /** Largest offset the replica acknowledged (repl_ack_off). */
  ackOffset: number;
  /** Monotonic ms of the last ACK or newline (repl_ack_time). */
  ackTime: number;
  /** Attached with the old SYNC: sends no ACKs, so it is never timed out on ACKs (CLIENT_PRE_PSYNC). */
  readonly preSync: boolean;
}

/** `::ffff:127.0.0.1` → `127.0.0.1`; anything else unchanged. */
export function normalizePeerIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** The address the replica is known by: REPLCONF ip-address if given, else the peer ip. */
export function replicaIp(r: ReplicaRecord): string {
  return r.conf.announcedIp ?? r.peerIp;
}

/** REPLCONF ACK <offset>: keep the largest offset, always refresh the ACK time (no reply, ever). */
export function recordAck(r: ReplicaRecord, offset: number, now: number): void {
  if (offset > r.ackOffset) r.ackOffset = offset;
  r.ackTime = now;
}

function lagSeconds(r: ReplicaRecord, now: number): number {
  return Math.max(0, Math.floor((now - r.ackTime) / 1000));
}

/** refreshGoodSlavesCount's test: online, and the last ACK at most `maxLagSec` old. */
export function isGoodReplica(r: ReplicaRecord, now: number, maxLagSec: number): boolean {
  return r.state === 'online' && lagSeconds(r, now) <= maxLagSec;
}

/** refreshGoodSlavesCount: online replicas whose last ACK is at most `maxLagSec` old. */
export function countGoodReplicas(rs: Iterable<ReplicaRecord>, now: number, maxLagSec: number): number {
  let n = 0;
  for (const r of rs) if (isGoodReplica(r, now, maxLagSec)) n++;
  return n;
}

/** min-replicas-to-write is active only when both settings are non-zero. */
export function minReplicasActive(toWrite: number, maxLag: number): boolean {
  return toWrite > 0 && maxLag > 0;
}

/** replicationCountAcksByOffset: online replicas that acknowledged at least `offset`. */
export function countAcked(rs: Iterable<ReplicaRecord>, offset: number): number {
  let n = 0;
  for (const r of rs) if (r.state === 'online' && r.ackOffset >= offset) n++;
  return n;
}

/** replicationCron: online, PSYNC-capable replicas silent for more than repl-timeout are dropped. */
export function timedOutReplicas(rs: Iterable<ReplicaRecord>, now: number, replTimeoutSec: number): ReplicaRecord[] {
  const out: ReplicaRecord[] = [];
  for (const r of rs) {
    if (r.state === 'online' && !r.preSync && now - r.ackTime > replTimeoutSec * 1000) out.push(r);
  }
  return out;
}

/** findReplica: by announced-or-peer ip (case-insensitive) and listening port. */
export function findReplica(rs: Iterable<ReplicaRecord>, host: string, port: number): ReplicaRecord | null {
  const h = host.toLowerCase();
  for (const r of rs) if (replicaIp(r).toLowerCase() === h && r.conf.listeningPort === port) return r;
  return null;
}

export function replicaViews(rs: Iterable<ReplicaRecord>, now: number): ReplicaView[] {
  const out: ReplicaView[] = [];
  for (const r of rs) {
    out.push({ ip: replicaIp(r), port: r.conf.listeningPort, state: r.state, ackOffset: r.ackOffset, lagSeconds: lagSeconds(r, now) });
  }
  return out;
}

/** SHUTDOWN / FAILOVER equality test: every replica acknowledged exactly our offset. */
export function allReplicasAt(rs: Iterable<ReplicaRecord>, offset: number): boolean {
  for (const r of rs) if (r.ackOffset !== offset) return false;
  return true;
}
