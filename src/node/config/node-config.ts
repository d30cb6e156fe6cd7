/**
 * tredis's configuration: one plain-data object (structuredClone-able, as the config machinery requires) holding
 * the server core's settings, logging, the node's own settings, the persistence and replication parts those
 * services own, and the metrics listener shared with tsentinel. Defaults are Redis 7.0.15's compiled-in defaults.
 */
import { DEFAULT_LOGGING, type LoggingSettings } from '../../common/logger-config.js';
import { METRICS_LISTENER_DEFAULTS, type MetricsListenerSettings } from '../../ops/metrics-listener.js';
import { defaultServerSettings, type ServerSettings } from '../../server/settings.js';
import { DEFAULT_PERSISTENCE_CONFIG, type PersistenceConfig } from '../persistence/config.js';
import { DEFAULT_REPLICATION_CONFIG, type ReplicationConfig } from '../replication/config.js';
import { REDIS_CONFIG_DEFAULTS } from './redis-defaults.js';

export type MaxmemoryPolicy =
  | 'volatile-lru'
  | 'volatile-lfu'
  | 'volatile-random'
  | 'volatile-ttl'
  | 'allkeys-lru'
  | 'allkeys-lfu'
  | 'allkeys-random'
  | 'noeviction';

export const MAXMEMORY_POLICIES: readonly MaxmemoryPolicy[] = [
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'noeviction',
];

/** The node's own settings (what is neither the server core's, logging's, persistence's nor replication's). */
export interface NodeOwnConfig {
  daemonize: boolean;
  /** null = none (Redis writes /var/run/redis.pid when daemonized without one; we require an explicit path). */
  pidfile: string | null;
  supervised: 'no' | 'upstart' | 'systemd' | 'auto';
  databases: number;
  maxmemory: number;
  maxmemoryPolicy: MaxmemoryPolicy;
  maxmemorySamples: number;
  maxmemoryEvictionTenacity: number;
  lazyfreeLazyEviction: boolean;
  lazyfreeLazyExpire: boolean;
  lazyfreeLazyServerDel: boolean;
  lazyfreeLazyUserDel: boolean;
  lazyfreeLazyUserFlush: boolean;
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  activeExpireEffort: number;
  dynamicHz: boolean;
}

export interface NodeConfig {
  server: ServerSettings;
  logging: LoggingSettings;
  node: NodeOwnConfig;
  persistence: PersistenceConfig;
  replication: ReplicationConfig;
  /** `metrics-port` / `metrics-bind`: the HTTP listener for /metrics, /healthz, /readyz (off at port 0). */
  metrics: MetricsListenerSettings;
  /** Directives accepted for compatibility without effect, by name: their current value as CONFIG GET shows it. */
  tolerated: Record<string, string>;
  /** Path of the config file, absolute ('' when started without one): INFO config_file, CONFIG REWRITE. */
  configFile: string;
}

export const DEFAULT_NODE_OWN_CONFIG: NodeOwnConfig = {
  daemonize: false,
  pidfile: null,
  supervised: 'no',
  databases: 16,
  maxmemory: 0,
  maxmemoryPolicy: 'noeviction',
  maxmemorySamples: 5,
  maxmemoryEvictionTenacity: 10,
  lazyfreeLazyEviction: false,
  lazyfreeLazyExpire: false,
  lazyfreeLazyServerDel: false,
  lazyfreeLazyUserDel: false,
  lazyfreeLazyUserFlush: false,
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  activeExpireEffort: 1,
  dynamicHz: true,
};

export function defaultNodeConfig(): NodeConfig {
  return {
    server: defaultServerSettings(),
    logging: { ...DEFAULT_LOGGING },
    node: { ...DEFAULT_NODE_OWN_CONFIG },
    persistence: structuredClone(DEFAULT_PERSISTENCE_CONFIG),
    replication: structuredClone(DEFAULT_REPLICATION_CONFIG),
    metrics: { ...METRICS_LISTENER_DEFAULTS },
    tolerated: Object.fromEntries(REDIS_CONFIG_DEFAULTS),
    configFile: '',
  };
}
