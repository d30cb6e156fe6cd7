/**
 * The node's own INFO sections, field for field as redis-server 7.0.15 prints them (names, order, formats; see
 * test/fixtures/redis-7.0.15/info/master-info.txt), as pure functions of a view the composition root fills in.
 * Fields for machinery tredis does not have (forks, jemalloc, Lua, defrag, IO threads, tracking) keep Redis's
 * names with the values an idle Redis shows, so parsers find every field. `tredis_version` is the only addition,
 * placed last in `# Server` so Redis's order is untouched.
 */
import { bytesToHuman, f2, f6, section } from './format.js';

export interface ServerView {
  readonly redisVersion: string;
  readonly tredisVersion: string;
  readonly buildId: string;
  readonly os: string;
  readonly archBits: number;
  readonly pid: number;
  readonly supervised: string;
  readonly runId: string;
  readonly tcpPort: number;
  readonly nowUs: number;
  readonly uptimeS: number;
  readonly hz: number;
  readonly configuredHz: number;
  readonly lruClock: number;
  readonly executable: string;
  readonly configFile: string;
}

export function serverSection(v: ServerView): string {
  return section('Server', [
    ['redis_version', v.redisVersion],
    ['redis_git_sha1', '00000000'],
    ['redis_git_dirty', 0],
    ['redis_build_id', v.buildId],
    ['redis_mode', 'standalone'],
    ['os', v.os],
    ['arch_bits', v.archBits],
    ['monotonic_clock', 'POSIX clock_gettime'],
    ['multiplexing_api', 'epoll'],
    ['atomicvar_api', 'c11-builtin'],
    ['gcc_version', '0.0.0'],
    ['process_id', v.pid],
    ['process_supervised', v.supervised],
    ['run_id', v.runId],
    ['tcp_port', v.tcpPort],
    ['server_time_usec', v.nowUs],
    ['uptime_in_seconds', v.uptimeS],
    ['uptime_in_days', Math.floor(v.uptimeS / 86400)],
    ['hz', v.hz],
    ['configured_hz', v.configuredHz],
    ['lru_clock', v.lruClock],
    ['executable', v.executable],
    ['config_file', v.configFile],
    ['io_threads_active', 0],
    ['tredis_version', v.tredisVersion],
  ]);
}

export interface ClientsView {
  readonly connected: number;
  readonly maxclients: number;
  readonly recentMaxInput: number;
  readonly recentMaxOutput: number;
  readonly blocked: number;
  readonly inTimeoutTable: number;
}

export function clientsSection(v: ClientsView): string {
  return section('Clients', [
    ['connected_clients', v.connected],
    ['cluster_connections', 0],
    ['maxclients', v.maxclients],
    ['client_recent_max_input_buffer', v.recentMaxInput],
    ['client_recent_max_output_buffer', v.recentMaxOutput],
    ['blocked_clients', v.blocked],
    ['tracking_clients', 0],
    ['clients_in_timeout_table', v.inTimeoutTable],
  ]);
}

export interface MemoryView {
  readonly used: number;
  readonly rss: number;
  readonly peak: number;
  readonly startup: number;
  readonly totalSystem: number;
  readonly maxmemory: number;
  readonly policy: string;
  readonly replBacklog: number;
  readonly clientsReplicas: number;
  readonly clientsNormal: number;
  readonly aofBuffer: number;
  readonly notCountedForEvict: number;
}

export function memorySection(v: MemoryView): string {
  const overhead = v.startup + v.replBacklog + v.clientsReplicas + v.clientsNormal + v.aofBuffer;
  const dataset = Math.max(0, v.used - overhead);
  const netUsage = v.used - v.startup;
  const frag = v.used > 0 ? v.rss / v.used : 0;
  return section('Memory', [
    ['used_memory', v.used],
    ['used_memory_human', bytesToHuman(v.used)],
    ['used_memory_rss', v.rss],
    ['used_memory_rss_human', bytesToHuman(v.rss)],
    ['used_memory_peak', v.peak],
    ['used_memory_peak_human', bytesToHuman(v.peak)],
    ['used_memory_peak_perc', `${f2(v.peak > 0 ? (v.used * 100) / v.peak : 0)}%`],
    ['used_memory_overhead', overhead],
    ['used_memory_startup', v.startup],
    ['used_memory_dataset', dataset],
    ['used_memory_dataset_perc', `${f2(netUsage > 0 ? (dataset * 100) / netUsage : 0)}%`],
    ['allocator_allocated', v.used],
    ['allocator_active', v.used],
    ['allocator_resident', v.rss],
    ['total_system_memory', v.totalSystem],
    ['total_system_memory_human', bytesToHuman(v.totalSystem)],
    ['used_memory_lua', 0],
    ['used_memory_vm_eval', 0],
    ['used_memory_lua_human', '0B'],
    ['used_memory_scripts_eval', 0],
    ['number_of_cached_scripts', 0],
    ['number_of_functions', 0],
    ['number_of_libraries', 0],
    ['used_memory_vm_functions', 0],
    ['used_memory_vm_total', 0],
    ['used_memory_vm_total_human', '0B'],
    ['used_memory_functions', 0],
    ['used_memory_scripts', 0],
    ['used_memory_scripts_human', '0B'],
    ['maxmemory', v.maxmemory],
    ['maxmemory_human', bytesToHuman(v.maxmemory)],
    ['maxmemory_policy', v.policy],
    ['allocator_frag_ratio', '1.00'],
    ['allocator_frag_bytes', 0],
    ['allocator_rss_ratio', f2(frag)],
    ['allocator_rss_bytes', v.rss - v.used],
    ['rss_overhead_ratio', '1.00'],
    ['rss_overhead_bytes', 0],
    ['mem_fragmentation_ratio', f2(frag)],
    ['mem_fragmentation_bytes', v.rss - v.used],
    ['mem_not_counted_for_evict', v.notCountedForEvict],
    ['mem_replication_backlog', v.replBacklog],
    ['mem_total_replication_buffers', v.replBacklog],
    ['mem_clients_slaves', v.clientsReplicas],
    ['mem_clients_normal', v.clientsNormal],
    ['mem_cluster_links', 0],
    ['mem_aof_buffer', v.aofBuffer],
    ['mem_allocator', 'libc'],
    ['active_defrag_running', 0],
    ['lazyfree_pending_objects', 0],
    ['lazyfreed_objects', 0],
  ]);
}

export interface StatsView {
  readonly connectionsReceived: number;
  readonly commandsProcessed: number;
  readonly opsPerSec: number;
  readonly netInput: number;
  readonly netOutput: number;
  readonly netReplInput: number;
  readonly netReplOutput: number;
  readonly inputKbps: number;
  readonly outputKbps: number;
  readonly rejectedConnections: number;
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
  readonly pubsubChannels: number;
  readonly pubsubPatterns: number;
  readonly errorReplies: number;
  readonly dumpPayloadSanitizations: number;
}

export function statsSection(v: StatsView): string {
  return section('Stats', [
    ['total_connections_received', v.connectionsReceived],
    ['total_commands_processed', v.commandsProcessed],
    ['instantaneous_ops_per_sec', v.opsPerSec],
    ['total_net_input_bytes', v.netInput],
    ['total_net_output_bytes', v.netOutput],
    ['total_net_repl_input_bytes', v.netReplInput],
    ['total_net_repl_output_bytes', v.netReplOutput],
    ['instantaneous_input_kbps', f2(v.inputKbps)],
    ['instantaneous_output_kbps', f2(v.outputKbps)],
    ['instantaneous_input_repl_kbps', '0.00'],
    ['instantaneous_output_repl_kbps', '0.00'],
    ['rejected_connections', v.rejectedConnections],
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
    ['pubsub_channels', v.pubsubChannels],
    ['pubsub_patterns', v.pubsubPatterns],
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
    ['total_error_replies', v.errorReplies],
    ['dump_payload_sanitizations', v.dumpPayloadSanitizations],
    ['total_reads_processed', v.commandsProcessed],
    ['total_writes_processed', v.commandsProcessed],
    ['io_threaded_reads_processed', 0],
    ['io_threaded_writes_processed', 0],
    ['reply_buffer_shrinks', 0],
    ['reply_buffer_expands', 0],
  ]);
}

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

export function modulesSection(): string {
  return section('Modules', []);
}

export function errorstatsSection(errors: ReadonlyMap<string, number>): string {
  return section(
    'Errorstats',
    [...errors].map(([code, n]) => [`errorstat_${code}`, `count=${n}`] as const),
  );
}

export interface CommandStatsEntry {
  readonly name: string;
  readonly calls: number;
  readonly usec: number;
  readonly rejectedCalls: number;
  readonly failedCalls: number;
}

export function commandstatsSection(entries: readonly CommandStatsEntry[]): string {
  return section(
    'Commandstats',
    entries
      .filter((e) => e.calls > 0 || e.failedCalls > 0 || e.rejectedCalls > 0)
      .map(
        (e) =>
          [
            `cmdstat_${e.name}`,
            `calls=${e.calls},usec=${e.usec},usec_per_call=${f2(e.calls > 0 ? e.usec / e.calls : 0)},rejected_calls=${e.rejectedCalls},failed_calls=${e.failedCalls}`,
          ] as const,
      ),
  );
}

/** tredis keeps no latency histograms: the section is present (so `INFO all` has Redis's shape) but empty. */
export function latencystatsSection(): string {
  return section('Latencystats', []);
}

export function clusterSection(): string {
  return section('Cluster', [['cluster_enabled', 0]]);
}

export interface DbView {
  readonly index: number;
  readonly keys: number;
  readonly expires: number;
  readonly avgTtl: number;
}

export function keyspaceSection(dbs: readonly DbView[]): string {
  return section(
    'Keyspace',
    dbs.filter((d) => d.keys > 0).map((d) => [`db${d.index}`, `keys=${d.keys},expires=${d.expires},avg_ttl=${d.avgTtl}`] as const),
  );
}
