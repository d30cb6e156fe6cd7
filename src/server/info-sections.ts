/**
 * INFO's `# Server`, `# Clients`, `# Stats` and `# CPU` sections, which redis-server and redis-sentinel 7.0.15 print
 * with the same fields in the same order (server.c genRedisInfoString; see test/fixtures/redis-7.0.15/info/
 * master-info.txt and sentinel-info.txt). The server core owns what they report — connections, commands, bytes,
 * error replies, pub/sub counts, its port, settings and clock — so it renders them for both daemons; a daemon
 * supplies only what differs: its identity (build id, executable, config file, supervision, start time), the data
 * statistics a sentinel does not have (keyspace hits, expiry, replication traffic: zeros there), and fields it
 * adds after Redis's own. Fields for machinery neither daemon has (forks, defrag, tracking, IO threads) keep
 * Redis's names with the values an idle Redis shows, so parsers find every field.
 */
import { arch, machine, release, type } from 'node:os';
import type { Clock } from '../common/clock.js';
import type { ServerSettings } from './settings.js';
import type { ServerStats } from './stats.js';

export type InfoFields = ReadonlyArray<readonly [string, string | number]>;

/** A section: `# Title` then `k:v` lines, each ending in CRLF. */
export function section(title: string, fields: InfoFields): string {
  let s = `# ${title}\r\n`;
  for (const [k, v] of fields) s += `${k}:${v}\r\n`;
  return s;
}

/** `%.2f`. */
export function f2(x: number): string {
  return (Number.isFinite(x) ? x : 0).toFixed(2);
}

/** `%ld.%06ld` of a seconds value (used_cpu_*). */
function f6(x: number): string {
  return x.toFixed(6);
}

/** What the sections read from the server core (RespServer satisfies it). */
export interface InfoCore {
  readonly mode: 'standalone' | 'sentinel';
  readonly serverVersion: string;
  readonly port: number;
  readonly settings: Pick<ServerSettings, 'hz' | 'maxclients'>;
  readonly clock: Clock;
  readonly connectedClients: number;
  readonly blockedClients: number;
  readonly stats: ServerStats;
  readonly pubsub: { readonly channelCount: number; readonly patternCount: number };
}

/** `os` is uname's sysname, release and machine (server.c `name.sysname, name.release, name.machine`). */
const OS = `${type()} ${release()} ${typeof machine === 'function' ? machine() : arch()}`;
/** arch_bits is `sizeof(long) * 8`: 64 on every 64-bit platform Node ships for. */
const ARCH_BITS = /64|s390x/.test(process.arch) ? 64 : 32;

/** The daemon's own `# Server` values. */
export interface DaemonIdentity {
  readonly buildId: string;
  readonly supervised: string;
  readonly runId: string;
  /** Monotonic ms (the core's clock) when the daemon started: uptime_in_seconds. */
  readonly startedMono: number;
  readonly executable: string;
  readonly configFile: string;
  /** Fields the daemon prints after Redis's own (tredis_version, shutdown_in_milliseconds). */
  readonly extra?: InfoFields;
}

export function serverSection(core: InfoCore, d: DaemonIdentity): string {
  const nowMs = core.clock.now();
  const uptimeS = Math.floor((core.clock.monotonic() - d.startedMono) / 1000);
  const hz = core.settings.hz;
  return section('Server', [
    ['redis_version', core.serverVersion],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', d.buildId],
    ['redis_mode', core.mode],
    ['os', OS],
    ['arch_bits', ARCH_BITS],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['process_id', process.pid],
    ['process_supervised', d.supervised],
    ['run_id', d.runId],
    ['tcp_port', core.port],
    ['server_time_usec', Math.floor(nowMs * 1000)],
    ['uptime_in_seconds', uptimeS],
    ['uptime_in_days', Math.floor(uptimeS / 86400)],
    ['hz', hz],
    ['configured_hz', hz],
    ['lru_clock', Math.floor(nowMs / 1000) & 0xffffff],
    ['executable', d.executable],
    ['config_file', d.configFile],
    ['io_threads_active', 0],
    ...(d.extra ?? []),
  ]);
}

/** `inTimeoutTable`: clients blocked with a timeout (a sentinel never blocks one: 0). */
export function clientsSection(core: InfoCore, inTimeoutTable: number): string {
  const s = core.stats;
  return section('Clients', [
    ['connected_clients', core.connectedClients],
    ['cluster_connections', 0],
    ['maxclients', core.settings.maxclients],
    ['client_recent_max_input_buffer', s.clientRecentMaxInputBuffer],
    ['client_recent_max_output_buffer', s.clientRecentMaxOutputBuffer],
    ['blocked_clients', core.blockedClients],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', inTimeoutTable],
  ]);
}

/** The `# Stats` fields a data node fills from its keyspace and replication; a sentinel shows NO_DATA_STATS. */
export interface DataStats {
  readonly netReplInput: number;
  readonly netReplOutput: number;
  readonly syncFull: number;
  readonly syncPartialOk: number;
  readonly syncPartialErr: number;
  readonly expiredKeys: number;
  readonly expiredStalePerc: number;
  readonly expiredTimeCapReached: number;
  readonly expireCycleCpuMs: number;
  readonly evictedKeys: number;
  readonly keyspaceHits: number;
  readonly keyspaceMisses: number;
  readonly dumpPayloadSanitizations: number;
}

export const NO_DATA_STATS: DataStats = {
  netReplInput: 0,
  netReplOutput: 0,
  syncFull: 0,
  syncPartialOk: 0,
  syncPartialErr: 0,
  expiredKeys: 0,
  expiredStalePerc: 0,
  expiredTimeCapReached: 0,
  expireCycleCpuMs: 0,
  evictedKeys: 0,
  keyspaceHits: 0,
  keyspaceMisses: 0,
  dumpPayloadSanitizations: 0,
};

export function statsSection(core: InfoCore, v: DataStats): string {
  const s = core.stats;
  return section('Stats', [
    ['total_connections_received', s.totalConnectionsReceived],
    ['total_commands_processed', s.totalCommandsProcessed],
    ['instantaneous_ops_per_sec', s.instantaneousOpsPerSec],
    ['total_net_input_bytes', s.totalNetInputBytes],
    ['total_net_output_bytes', s.totalNetOutputBytes],
    ['total_net_repl_input_bytes', v.netReplInput],
    ['total_net_repl_output_bytes', v.netReplOutput],
    ['instantaneous_input_kbps', f2(s.instantaneousInputKbps)],
    ['instantaneous_output_kbps', f2(s.instantaneousOutputKbps)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', s.rejectedConnections],
    ['sync_full', v.syncFull],
    ['sync_partial_ok', v.syncPartialOk],
    ['sync_partial_err', v.syncPartialErr],
    ['expired_keys', v.expiredKeys],
    ['expired_stale_perc', f2(v.expiredStalePerc)],
    ['expired_time_cap_reached_count', v.expiredTimeCapReached],
    ['expire_cycle_cpu_milliseconds', Math.round(v.expireCycleCpuMs)],
    ['evicted_keys', v.evictedKeys],
    ['evicted_clients', 0],
    ['total_eviction_exceeded_time', 0],
    ['current_eviction_exceeded_time', 0],
    ['keyspace_hits', v.keyspaceHits],
    ['keyspace_misses', v.keyspaceMisses],
    ['pubsub_channels', core.pubsub.channelCount],
    ['pubsub_patterns', core.pubsub.patternCount],
    ['pubsubshard_channels', 0],
    ['latest_fork_usec', 0],
    ['total_forks', 0],
    ['migrate_cached_sockets', 0],
    ['slave_expires_tracked_keys', 0],
    ['active_defrag_hits', 0],
    ['active_defrag_misses', 0],
    ['active_defrag_key_hits', 0],
    ['active_defrag_key_misses', 0],
    ['total_active_defrag_time', 0],
    ['current_active_defrag_time', 0],
    ['tracking_total_keys', 0],
    ['tracking_total_items', 0],
    ['tracking_total_prefixes', 0],
    ['unexpected_error_replies', 0],
    ['total_error_replies', s.totalErrorReplies],
    ['dump_payload_sanitizations', v.dumpPayloadSanitizations],
    // one read and one write per command: tredis has no IO threads and no separate read/write accounting
    ['total_reads_processed', s.totalCommandsProcessed],
    ['total_writes_processed', s.totalCommandsProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ]);
}

/** `usage` is process.cpuUsage() (µs); one thread, so main_thread equals the process and children are zero. */
export function cpuSection(usage: { user: number; system: number }): string {
  const sys = usage.system / 1e6;
  const user = usage.user / 1e6;
  return section('CPU', [
    ['used_cpu_sys', f6(sys)],
    ['used_cpu_user', f6(user)],
    ['used_cpu_sys_children', f6(0)],
    ['used_cpu_user_children', f6(0)],
    ['used_cpu_sys_main_thread', f6(sys)],
    ['used_cpu_user_main_thread', f6(user)],
  ]);
}
