/**
 * INFO's server, clients, stats and cpu sections as redis-sentinel 7.0.15 prints them (field names and order from
 * the captured sentinel INFO), filled from the server core's statistics and the process. Fields that describe a
 * data node's work (keyspace hits, forks, defrag, …) are present with the values a sentinel has: zero.
 */
import { arch, release, type } from 'node:os';

export interface InfoSources {
  readonly runId: string;
  readonly port: number;
  readonly configFile: string;
  readonly startedAt: number;
  readonly hz: number;
  readonly maxclients: number;
  now(): number;
  connectedClients(): number;
  blockedClients(): number;
  pubsub(): { channels: number; patterns: number };
  stats(): {
    totalConnectionsReceived: number;
    totalCommandsProcessed: number;
    totalNetInputBytes: number;
    totalNetOutputBytes: number;
    rejectedConnections: number;
    totalErrorReplies: number;
    instantaneousOpsPerSec: number;
    instantaneousInputKbps: number;
    instantaneousOutputKbps: number;
    clientRecentMaxInputBuffer: number;
    clientRecentMaxOutputBuffer: number;
  };
}

const kv = (title: string, fields: readonly (readonly [string, string | number])[]): string =>
  `# ${title}\r\n` + fields.map(([k, v]) => `${k}:${v}\r\n`).join('');

export function infoSection(name: 'server' | 'clients' | 'cpu' | 'stats', src: InfoSources): string {
  const now = src.now();
  switch (name) {
    case 'server': {
      const up = Math.floor((now - src.startedAt) / 1000);
      return kv('Server', [
        ['redis_version', '7.0.15'],
        ['redis_git_sha1', '00000000'],
        ['redis_git_dirty', 0],
        ['redis_build_id', '0'],
        ['redis_mode', 'sentinel'],
        ['os', `${type()} ${release()} ${arch() === 'x64' ? 'x86_64' : arch()}`],
        ['arch_bits', process.arch.includes('64') ? 64 : 32],
        ['monotonic_clock', 'POSIX clock_gettime'],
        ['multiplexing_api', 'epoll'],
        ['atomicvar_api', 'c11-builtin'],
        ['gcc_version', '0.0.0'],
        ['process_id', process.pid],
        ['process_supervised', 'no'],
        ['run_id', src.runId],
        ['tcp_port', src.port],
        ['server_time_usec', Math.floor(now * 1000)],
        ['uptime_in_seconds', up],
        ['uptime_in_days', Math.floor(up / 86400)],
        ['hz', src.hz],
        ['configured_hz', src.hz],
        ['lru_clock', Math.floor(now / 1000) & 0xffffff],
        ['executable', process.argv[1] ?? process.execPath],
        ['config_file', src.configFile],
        ['io_threads_active', 0],
      ]);
    }
    case 'clients': {
      const s = src.stats();
      return kv('Clients', [
        ['connected_clients', src.connectedClients()],
        ['cluster_connections', 0],
        ['maxclients', src.maxclients],
        ['client_recent_max_input_buffer', s.clientRecentMaxInputBuffer],
        ['client_recent_max_output_buffer', s.clientRecentMaxOutputBuffer],
        ['blocked_clients', src.blockedClients()],
        ['tracking_clients', 0],
        ['clients_in_timeout_table', 0],
      ]);
    }
    case 'stats': {
      const s = src.stats();
      const p = src.pubsub();
      return kv('Stats', [
        ['total_connections_received', s.totalConnectionsReceived],
        ['total_commands_processed', s.totalCommandsProcessed],
        ['instantaneous_ops_per_sec', s.instantaneousOpsPerSec],
        ['total_net_input_bytes', s.totalNetInputBytes],
        ['total_net_output_bytes', s.totalNetOutputBytes],
        ['total_net_repl_input_bytes', 0],
        ['total_net_repl_output_bytes', 0],
        ['instantaneous_input_kbps', s.instantaneousInputKbps.toFixed(2)],
        ['instantaneous_output_kbps', s.instantaneousOutputKbps.toFixed(2)],
        ['instantaneous_input_repl_kbps', '0.00'],
        ['instantaneous_output_repl_kbps', '0.00'],
        ['rejected_connections', s.rejectedConnections],
        ['sync_full', 0],
        ['sync_partial_ok', 0],
        ['sync_partial_err', 0],
        ['expired_keys', 0],
        ['expired_stale_perc', '0.00'],
        ['expired_time_cap_reached_count', 0],
        ['expire_cycle_cpu_milliseconds', 0],
        ['evicted_keys', 0],
        ['evicted_clients', 0],
        ['total_eviction_exceeded_time', 0],
        ['current_eviction_exceeded_time', 0],
        ['keyspace_hits', 0],
        ['keyspace_misses', 0],
        ['pubsub_channels', p.channels],
        ['pubsub_patterns', p.patterns],
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
        ['dump_payload_sanitizations', 0],
        ['total_reads_processed', s.totalCommandsProcessed],
        ['total_writes_processed', s.totalCommandsProcessed],
        ['io_threaded_reads_processed', 0],
        ['io_threaded_writes_processed', 0],
        ['reply_buffer_shrinks', 0],
        ['reply_buffer_expands', 0],
      ]);
    }
    case 'cpu': {
      const u = process.cpuUsage();
      const sec = (us: number): string => (us / 1e6).toFixed(6);
      return kv('CPU', [
        ['used_cpu_sys', sec(u.system)],
        ['used_cpu_user', sec(u.user)],
        ['used_cpu_sys_children', '0.000000'],
        ['used_cpu_user_children', '0.000000'],
        ['used_cpu_sys_main_thread', sec(u.system)],
        ['used_cpu_user_main_thread', sec(u.user)],
      ]);
    }
  }
}
