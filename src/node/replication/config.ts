/**
 * Replication settings and their config directives, with Redis 7.0.15's names, aliases (`slave-*`), ranges and
 * defaults (config.c standardConfig entries; `replicaof` from its special-case chain). The node's config table
 * includes these entries; its config object carries a `replication` member of type ReplicationConfig.
 *
 * `replicaof` is live state: REPLICAOF/SLAVEOF update it, so CONFIG GET and CONFIG REWRITE show the current
 * master (rewriteConfigReplicaOfOption writes `replicaof <host> <port>`, or removes the line on a master).
 */
import type { DirectiveSpec } from '../../common/config/schema.js';
import { boolDirective, enumDirective, intDirective, memoryDirective, REWRITE_REMOVE, stringDirective } from '../../common/config/values.js';

export interface ReplicationConfig {
  replicaof: { host: string; port: number } | null;
  masterauth: string | null;
  masteruser: string | null;
  replBacklogSize: number;
  replBacklogTtl: number;
  replPingReplicaPeriod: number;
  replTimeout: number;
  replDisklessSync: boolean;
  replDisklessSyncDelay: number;
  replDisklessSyncMaxReplicas: number;
  replDisklessLoad: 'disabled' | 'on-empty-db' | 'swapdb';
  replDisableTcpNodelay: boolean;
  replicaServeStaleData: boolean;
  replicaReadOnly: boolean;
  replicaPriority: number;
  replicaAnnounced: boolean;
  replicaAnnounceIp: string | null;
  replicaAnnouncePort: number;
  replicaLazyFlush: boolean;
  minReplicasToWrite: number;
  minReplicasMaxLag: number;
  shutdownTimeout: number;
}

export const DEFAULT_REPLICATION_CONFIG: ReplicationConfig = {
  replicaof: null,
  masterauth: null,
  masteruser: null,
  replBacklogSize: 1024 * 1024,
  replBacklogTtl: 3600,
  replPingReplicaPeriod: 10,
  replTimeout: 60,
  replDisklessSync: true,
  replDisklessSyncDelay: 5,
  replDisklessSyncMaxReplicas: 0,
  replDisklessLoad: 'disabled',
  replDisableTcpNodelay: false,
  replicaServeStaleData: true,
  replicaReadOnly: true,
  replicaPriority: 100,
  replicaAnnounced: true,
  replicaAnnounceIp: null,
  replicaAnnouncePort: 0,
  replicaLazyFlush: false,
  minReplicasToWrite: 0,
  minReplicasMaxLag: 10,
  shutdownTimeout: 10,
};

/** The backlog is never smaller than this (resizeReplicationBacklog's CONFIG_REPL_BACKLOG_MIN_SIZE). */
export const BACKLOG_MIN_SIZE = 16 * 1024;

export function effectiveBacklogSize(cfg: ReplicationConfig): number {
  return Math.max(cfg.replBacklogSize, BACKLOG_MIN_SIZE);
}

export interface HasReplication {
  replication: ReplicationConfig;
}

const INT_MAX = 2147483647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;

type Int = Exclude<{ [K in keyof ReplicationConfig]: ReplicationConfig[K] extends number ? K : never }[keyof ReplicationConfig], undefined>;
type Bool = Exclude<{ [K in keyof ReplicationConfig]: ReplicationConfig[K] extends boolean ? K : never }[keyof ReplicationConfig], undefined>;
type Str = 'masterauth' | 'masteruser' | 'replicaAnnounceIp';

/**
 * The directives. `apply` lets the replication service react to CONFIG SET (backlog resize, announce changes);
 * the composition root passes it, or leaves it out for a loader-only table.
 */
export function replicationDirectives<C extends HasReplication>(apply?: (cfg: C) => string | undefined): DirectiveSpec<C>[] {
  const a = apply !== undefined ? { apply } : {};
  const int = (name: string, key: Int, min: number, max: number, aliases?: string[]): DirectiveSpec<C> =>
    intDirective<C>({
      name,
      ...(aliases !== undefined ? { aliases } : {}),
      mutable: true,
      min,
      max,
      default: DEFAULT_REPLICATION_CONFIG[key],
      read: (c) => c.replication[key],
      write: (c, v) => {
        c.replication[key] = v;
      },
      ...a,
    });
  const bool = (name: string, key: Bool, aliases?: string[]): DirectiveSpec<C> =>
    boolDirective<C>({
      name,
      ...(aliases !== undefined ? { aliases } : {}),
      mutable: true,
      default: DEFAULT_REPLICATION_CONFIG[key],
      read: (c) => c.replication[key],
      write: (c, v) => {
        c.replication[key] = v;
      },
      ...a,
    });
  const str = (name: string, key: Str, extra: { aliases?: string[]; sensitive?: boolean } = {}): DirectiveSpec<C> =>
    stringDirective<C>({
      name,
      ...extra,
      mutable: true,
      emptyIsNull: true,
      default: null,
      read: (c) => c.replication[key],
      write: (c, v) => {
        c.replication[key] = v;
      },
      ...a,
    });
  return [
    replicaofDirective<C>(),
    str('masterauth', 'masterauth', { sensitive: true }),
    str('masteruser', 'masteruser'),
    memoryDirective<C>({
      name: 'repl-backlog-size',
      mutable: true,
      min: 1,
      default: DEFAULT_REPLICATION_CONFIG.replBacklogSize,
      read: (c) => c.replication.replBacklogSize,
      write: (c, v) => {
        c.replication.replBacklogSize = v;
      },
      ...a,
    }),
    int('repl-backlog-ttl', 'replBacklogTtl', 0, LONG_MAX),
    int('repl-ping-replica-period', 'replPingReplicaPeriod', 1, INT_MAX, ['repl-ping-slave-period']),
    int('repl-timeout', 'replTimeout', 1, INT_MAX),
    bool('repl-diskless-sync', 'replDisklessSync'),
    int('repl-diskless-sync-delay', 'replDisklessSyncDelay', 0, INT_MAX),
    int('repl-diskless-sync-max-replicas', 'replDisklessSyncMaxReplicas', 0, INT_MAX),
    enumDirective<C, ReplicationConfig['replDisklessLoad']>({
      name: 'repl-diskless-load',
      mutable: true,
      values: ['disabled', 'on-empty-db', 'swapdb'],
      default: 'disabled',
      read: (c) => c.replication.replDisklessLoad,
      write: (c, v) => {
        c.replication.replDisklessLoad = v;
      },
      ...a,
    }),
    bool('repl-disable-tcp-nodelay', 'replDisableTcpNodelay'),
    bool('replica-serve-stale-data', 'replicaServeStaleData', ['slave-serve-stale-data']),
    bool('replica-read-only', 'replicaReadOnly', ['slave-read-only']),
    int('replica-priority', 'replicaPriority', 0, INT_MAX, ['slave-priority']),
    bool('replica-announced', 'replicaAnnounced'),
    str('replica-announce-ip', 'replicaAnnounceIp', { aliases: ['slave-announce-ip'] }),
    int('replica-announce-port', 'replicaAnnouncePort', 0, 65535, ['slave-announce-port']),
    bool('replica-lazy-flush', 'replicaLazyFlush', ['slave-lazy-flush']),
    int('min-replicas-to-write', 'minReplicasToWrite', 0, INT_MAX, ['min-slaves-to-write']),
    int('min-replicas-max-lag', 'minReplicasMaxLag', 0, INT_MAX, ['min-slaves-max-lag']),
    int('shutdown-timeout', 'shutdownTimeout', 0, INT_MAX),
  ];
}

/**
 * `replicaof <host> <port>` / `slaveof …` (config.c loadServerConfigFromString): `no one` clears it; the port
 * must be 0..65535 (`Invalid master port`). Visible to CONFIG GET but immutable (`can't set immutable config`):
 * REPLICAOF is the command for that.
 */
function replicaofDirective<C extends HasReplication>(): DirectiveSpec<C> {
  return {
    name: 'replicaof',
    aliases: ['slaveof'],
    args: 2,
    set(cfg, args) {
      const [host, port] = args as [string, string];
      if (host.toLowerCase() === 'no' && port.toLowerCase() === 'one') {
        cfg.replication.replicaof = null;
        return undefined;
      }
      // strtol with an end-pointer check: digits only (a leading '-' is out of range anyway)
      if (!/^[+-]?[0-9]+$/.test(port)) return 'Invalid master port';
      const p = Number(port);
      if (p < 0 || p > 65535) return 'Invalid master port';
      cfg.replication.replicaof = { host, port: p };
      return undefined;
    },
    get: (cfg) => (cfg.replication.replicaof === null ? '' : `${cfg.replication.replicaof.host} ${cfg.replication.replicaof.port}`),
    rewrite(cfg) {
      const r = cfg.replication.replicaof;
      if (r === null) return REWRITE_REMOVE;
      return { lines: [`replicaof ${r.host} ${r.port}`], force: true };
    },
  };
}
