/**
 * INFO `# Replication` and ROLE as pure functions of a view of the replication state, field for field as Redis
 * 7.0.15 prints them (server.c genRedisInfoString "replication", replication.c roleCommand). The order of lines
 * matters to redis-sentinel, which only reads master_host/… after it has seen `role:slave`.
 */
import type { RespWriter } from '../../resp/writer.js';
import type { HistorySnapshot } from './history.js';

export type ReplicaLinkState = 'wait_bgsave' | 'send_bulk' | 'online';
export type FailoverState = 'no-failover' | 'waiting-for-sync' | 'failover-in-progress';
/** ROLE's names for the replica's link state (roleCommand). */
export type RoleLinkState = 'none' | 'connect' | 'connecting' | 'handshake' | 'sync' | 'connected';

/** One attached replica as the master sees it. */
export interface ReplicaView {
  /** REPLCONF ip-address if given, else the peer ip without `::ffff:`. */
  readonly ip: string;
  /** REPLCONF listening-port (0 if never sent). */
  readonly port: number;
  readonly state: ReplicaLinkState;
  readonly ackOffset: number;
  /** Seconds since the last ACK (only reported for online replicas). */
  readonly lagSeconds: number;
}

/** The node's own master link, when it is a replica. */
export interface MasterLinkView {
  /** Exactly as given to REPLICAOF (sentinel compares it as a string). */
  readonly host: string;
  readonly port: number;
  readonly roleState: RoleLinkState;
  /** Seconds since the last byte from the master; -1 without a live master client. */
  readonly lastIoSecondsAgo: number;
  /** Bytes read from / applied for the (live or cached) master; null = never had a master client (prints 1). */
  readonly readOffset: number | null;
  readonly appliedOffset: number | null;
  /** ROLE's offset: the live master client's applied offset, or -1. */
  readonly liveOffset: number;
  /** Present while the payload is transferred (master_sync_in_progress:1). */
  readonly transfer: { readonly totalBytes: number; readonly readBytes: number; readonly lastIoSecondsAgo: number } | null;
  /** Seconds since the link went down; -1 if it was never up. Ignored while the link is up. */
  readonly downSinceSeconds: number;
}

export interface ReplicationView {
  readonly master: MasterLinkView | null;
  readonly priority: number;
  readonly readOnly: boolean;
  readonly announced: boolean;
  readonly replicas: readonly ReplicaView[];
  /** min_slaves_good_slaves, when min-replicas-to-write and -max-lag are both non-zero; else null. */
  readonly goodReplicas: number | null;
  readonly failoverState: FailoverState;
  readonly history: HistorySnapshot;
  /** Configured repl-backlog-size (printed even without a backlog). */
  readonly backlogSize: number;
}

/** The `# Replication` section, CRLF line endings, header included, no trailing blank line. */
export function replicationInfoSection(v: ReplicationView): string {
  const out: string[] = ['# Replication'];
  const m = v.master;
  if (m === null) {
    out.push('role:master');
  } else {
    const linkUp = m.roleState === 'connected';
    out.push(
      'role:slave',
      `master_host:${m.host}`,
      `master_port:${m.port}`,
      `master_link_status:${linkUp ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${m.lastIoSecondsAgo}`,
      `master_sync_in_progress:${m.transfer !== null ? 1 : 0}`,
      `slave_read_repl_offset:${m.readOffset ?? 1}`,
      `slave_repl_offset:${m.appliedOffset ?? 1}`,
    );
    if (m.transfer !== null) {
      const t = m.transfer;
      const perc = t.totalBytes !== 0 ? (t.readBytes / t.totalBytes) * 100 : 0;
      out.push(
        `master_sync_total_bytes:${t.totalBytes}`,
        `master_sync_read_bytes:${t.readBytes}`,
        `master_sync_left_bytes:${t.totalBytes - t.readBytes}`,
        `master_sync_perc:${formatFixed2(perc)}`,
        `master_sync_last_io_seconds_ago:${t.lastIoSecondsAgo}`,
      );
    }
    if (!linkUp) out.push(`master_link_down_since_seconds:${m.downSinceSeconds}`);
    out.push(`slave_priority:${v.priority}`, `slave_read_only:${v.readOnly ? 1 : 0}`, `replica_announced:${v.announced ? 1 : 0}`);
  }
  out.push(`connected_slaves:${v.replicas.length}`);
  if (v.goodReplicas !== null) out.push(`min_slaves_good_slaves:${v.goodReplicas}`);
  let n = 0;
  for (const r of v.replicas) {
    const lag = r.state === 'online' ? r.lagSeconds : 0;
    out.push(`slave${n++}:ip=${r.ip},port=${r.port},state=${r.state},offset=${r.ackOffset},lag=${lag}`);
  }
  const h = v.history;
  out.push(
    `master_failover_state:${v.failoverState}`,
    `master_replid:${h.replid}`,
    `master_replid2:${h.replid2}`,
    `master_repl_offset:${h.masterReplOffset}`,
    `second_repl_offset:${h.secondReplOffset}`,
    `repl_backlog_active:${h.backlog !== null ? 1 : 0}`,
    `repl_backlog_size:${v.backlogSize}`,
    `repl_backlog_first_byte_offset:${h.backlog?.firstByteOffset ?? 0}`,
    `repl_backlog_histlen:${h.backlog?.histlen ?? 0}`,
  );
  return out.join('\r\n') + '\r\n';
}

/**
 * ROLE. Master: `["master", :offset, [[ip, "port", "ackoffset"], …]]` listing online replicas only, port and
 * offset as bulk strings. Replica: `["slave", host, :port, state, :offset or -1]`.
 */
export function writeRole(w: RespWriter, v: ReplicationView): void {
  const m = v.master;
  if (m === null) {
    const online = v.replicas.filter((r) => r.state === 'online');
    w.array(3);
    w.bulk('master');
    w.int(v.history.masterReplOffset);
    w.array(online.length);
    for (const r of online) w.bulkArray([r.ip, String(r.port), String(r.ackOffset)]);
    return;
  }
  w.array(5);
  w.bulk('slave');
  w.bulk(m.host);
  w.int(m.port);
  w.bulk(m.roleState);
  w.int(m.liveOffset);
}

/** printf("%.2f"), including C's "-0.00" for negative zero (perc of a not-yet-sized transfer). */
function formatFixed2(x: number): string {
  const s = x.toFixed(2);
  return Object.is(x, -0) || (x < 0 && s === '0.00') ? '-0.00' : s;
}
