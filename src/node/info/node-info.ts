/**
 * Builds the node's INFO registry in Redis 7.0's section order from the live node: the server core (clients,
 * stats, errorstats, commandstats), the keyspace, memory, and the persistence and replication sections the
 * services render themselves.
 */
import { totalmem } from 'node:os';
import type { Clock } from '../../common/clock.js';
import { clientsSection, cpuSection, serverSection, statsSection } from '../../server/info-sections.js';
import type { RespServer } from '../../server/server.js';
import type { NodeConfig } from '../config/node-config.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { MemoryMeter } from '../memory.js';
import { crc64, formatCrc } from '../persistence/crc64.js';
import { InfoRegistry } from './registry.js';
import {
  clusterSection,
  commandstatsSection,
  errorstatsSection,
  keyspaceSection,
  latencystatsSection,
  memorySection,
  modulesSection,
  type DbView,
} from './sections.js';

export interface NodeInfoDeps {
  readonly server: RespServer;
  readonly ks: Keyspace;
  readonly meter: MemoryMeter;
  readonly clock: Clock;
  readonly config: () => NodeConfig;
  readonly runId: string;
  readonly tredisVersion: string;
  readonly startMono: number;
  readonly executable: string;
  readonly persistenceSection: () => string;
  readonly replicationSection: () => string;
  /** Replication's contribution to `# Stats` and `# Memory` (zeros when absent). */
  readonly replStats?: () => { syncFull: number; syncPartialOk: number; syncPartialErr: number; netReplInput: number; netReplOutput: number; backlogBytes: number };
  readonly aofBufferBytes?: () => number;
  readonly shutdownInMs?: () => number | null;
}

/** db->avg_ttl as INFO shows it: the mean remaining TTL of (up to 1000 sampled) volatile keys, in ms. */
export function averageTtl(expires: ReadonlyMap<string, number>, now: number): number {
  let n = 0;
  let sum = 0;
  for (const when of expires.values()) {
    if (when > now) {
      sum += when - now;
      n++;
    }
    if (n >= 1000) break;
  }
  return n === 0 ? 0 : Math.floor(sum / n);
}

/**
 * INFO redis_build_id: Redis prints the CRC-64 of its version, build id and git sha1 as `%llx` (server.c
 * redisBuildId), a constant of the binary. tredis has neither build id nor sha, so it hashes what identifies its
 * build — the Redis version it mirrors and its own: the same across restarts, different for every release.
 */
export function tredisBuildId(redisVersion: string, tredisVersion: string): string {
  return formatCrc(crc64(Buffer.from(`${redisVersion}tredis ${tredisVersion}`, 'latin1')));
}

export function buildInfoRegistry(d: NodeInfoDeps): InfoRegistry {
  const reg = new InfoRegistry();
  const srv = d.server;
  const zeros = { syncFull: 0, syncPartialOk: 0, syncPartialErr: 0, netReplInput: 0, netReplOutput: 0, backlogBytes: 0 };
  const buildId = tredisBuildId(srv.serverVersion, d.tredisVersion);
  reg.add({
    name: 'server',
    inDefault: true,
    render: () => {
      const wait = d.shutdownInMs?.() ?? null;
      return serverSection(srv, {
        buildId,
        supervised: d.config().node.supervised,
        runId: d.runId,
        startedMono: d.startMono,
        executable: d.executable,
        configFile: d.config().configFile,
        extra: [['tredis_version', d.tredisVersion], ...(wait === null ? [] : [['shutdown_in_milliseconds', Math.round(wait)] as const])],
      });
    },
  });
  reg.add({
    name: 'clients',
    inDefault: true,
    // clients_in_timeout_table: approximated by blocked_clients (Redis only counts blocks with a non-zero timeout)
    render: () => clientsSection(srv, srv.blockedClients),
  });
  reg.add({
    name: 'memory',
    inDefault: true,
    render: () => {
      const m = d.meter.reading();
      const cfg = d.config();
      const r = d.replStats?.() ?? zeros;
      const aof = d.aofBufferBytes?.() ?? 0;
      return memorySection({
        used: m.used,
        rss: m.rss,
        peak: m.peak,
        startup: m.startup,
        totalSystem: totalmem(),
        maxmemory: cfg.node.maxmemory,
        policy: cfg.node.maxmemoryPolicy,
        replBacklog: r.backlogBytes,
        clientsReplicas: 0,
        clientsNormal: 0,
        aofBuffer: aof,
        notCountedForEvict: r.backlogBytes + aof,
      });
    },
  });
  reg.add({ name: 'persistence', inDefault: true, render: () => d.persistenceSection() });
  reg.add({
    name: 'stats',
    inDefault: true,
    render: () => {
      const ks = d.ks.stats;
      const r = d.replStats?.() ?? zeros;
      return statsSection(srv, {
        netReplInput: r.netReplInput,
        netReplOutput: r.netReplOutput,
        syncFull: r.syncFull,
        syncPartialOk: r.syncPartialOk,
        syncPartialErr: r.syncPartialErr,
        expiredKeys: ks.expiredKeys,
        expiredStalePerc: ks.expiredStalePerc,
        expiredTimeCapReached: ks.expiredTimeCapReachedCount,
        expireCycleCpuMs: ks.expireCycleCpuMs,
        evictedKeys: ks.evictedKeys,
        keyspaceHits: ks.keyspaceHits,
        keyspaceMisses: ks.keyspaceMisses,
        dumpPayloadSanitizations: 0,
      });
    },
  });
  reg.add({ name: 'replication', inDefault: true, render: () => d.replicationSection() });
  reg.add({ name: 'cpu', inDefault: true, render: () => cpuSection(process.cpuUsage()) });
  reg.add({ name: 'modules', inDefault: true, render: () => modulesSection() });
  reg.add({
    name: 'commandstats',
    inDefault: false,
    render: () =>
      commandstatsSection(
        srv.registry.entries
          .filter((e) => e.subcommands === null)
          .map((e) => ({ name: e.fullName, ...e.stats })),
      ),
  });
  reg.add({ name: 'errorstats', inDefault: true, render: () => errorstatsSection(srv.stats.errorStats()) });
  reg.add({ name: 'latencystats', inDefault: false, render: () => latencystatsSection() });
  reg.add({ name: 'cluster', inDefault: true, render: () => clusterSection() });
  reg.add({
    name: 'keyspace',
    inDefault: true,
    render: () => {
      const now = d.clock.now();
      const dbs: DbView[] = d.ks.dbs.map((db) => ({
        index: db.index,
        keys: db.size,
        expires: db.expires.size,
        avgTtl: averageTtl(db.expires, now),
      }));
      return keyspaceSection(dbs);
    },
  });
  return reg;
}
