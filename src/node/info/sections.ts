/**
 * The node's own INFO sections, field for field as redis-server 7.0.15 prints them (names, order, formats; see
 * test/fixtures/redis-7.0.15/info/master-info.txt), as pure functions of a view the composition root fills in.
 * Fields for machinery tredis does not have (jemalloc, Lua, functions, cluster) keep Redis's names with the values
 * an idle Redis shows, so parsers find every field. Server, Clients, Stats and CPU are the server core's, shared
 * with the sentinel (src/server/info-sections.ts).
 */
import { f2, section } from '../../server/info-sections.js';
import { bytesToHuman } from './format.js';

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
