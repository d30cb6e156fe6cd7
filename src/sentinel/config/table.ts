/**
 * sentinel.conf's directive table on the shared config machinery (src/common/config): the server directives a
 * sentinel honours (Redis runs a sentinel as redis-server in sentinel mode), every other directive Redis 7.0 knows
 * accepted and ignored (data-node settings such as repl-diskless-sync-delay), and the `sentinel` family, whose
 * lines are only recorded here — they are applied to the core afterwards, in the reference's load order, by
 * directives.ts. A directive no Redis knows fails with file and line ("Bad directive or wrong number of arguments").
 */
import {
  boolDirective,
  defineConfigTable,
  enumDirective,
  intDirective,
  stringDirective,
  type ConfigTable,
  type DirectiveSpec,
  type FamilySpec,
  type SetContext,
} from '../../common/config/index.js';
import { DEFAULT_LOGGING, loggingDirectives, type LoggingSettings } from '../../common/logger-config.js';
import { METRICS_LISTENER_DEFAULTS, metricsListenerDirectives, type MetricsListenerSettings } from '../../ops/metrics-listener.js';
import { defaultServerSettings, type ServerSettings } from '../../server/settings.js';
import { SENTINEL_CONFIG_ERR } from '../protocol/error-text.js';
import { DATA_NODE_DIRECTIVES } from './redis-directives.js';

/** A recorded `sentinel …` line (arguments after the keyword) with where it came from. */
export interface RecordedDirective {
  readonly args: string[];
  readonly file?: string;
  readonly line?: number;
  readonly text?: string;
}

export interface SentinelFileConfig {
  server: ServerSettings;
  logging: LoggingSettings;
  metrics: MetricsListenerSettings;
  dir: string | null;
  daemonize: boolean;
  pidfile: string | null;
  supervised: string;
  bindSourceAddr: string | null;
  tlsReplication: boolean;
  tlsPort: number;
  aclfile: string | null;
  acllogMaxLen: number;
  sentinel: RecordedDirective[];
  /** Directives accepted for compatibility but without effect in a sentinel (debug-logged at start). */
  ignored: { name: string; file?: string; line?: number }[];
}

/** Sentinel-mode defaults (sentinel.c initSentinelConfig: port 26379, protected-mode no). */
export function defaultSentinelFileConfig(): SentinelFileConfig {
  return {
    server: { ...defaultServerSettings(), port: 26379, protectedMode: false },
    logging: { ...DEFAULT_LOGGING },
    metrics: { ...METRICS_LISTENER_DEFAULTS },
    dir: null,
    daemonize: false,
    pidfile: null,
    supervised: 'no',
    bindSourceAddr: null,
    tlsReplication: false,
    tlsPort: 0,
    aclfile: null,
    acllogMaxLen: 128,
    sentinel: [],
    ignored: [],
  };
}

type C = SentinelFileConfig;

function where(ctx: SetContext): { file?: string; line?: number; text?: string } {
  const l = ctx.line;
  return l === undefined ? {} : { file: l.file, line: l.line, text: l.text };
}

/** A `sentinel <member>` spec that records the line for directives.ts. */
function member(name: string, args: number | { min: number; max?: number }, aliases?: string[]): DirectiveSpec<C> {
  return {
    name,
    args,
    ...(aliases !== undefined ? { aliases } : {}),
    set(cfg, a, ctx) {
      cfg.sentinel.push({ args: [name, ...a], ...where(ctx) });
      return undefined;
    },
  };
}

const SENTINEL_FAMILY: FamilySpec<C> = {
  kind: 'family',
  name: 'sentinel',
  unknownMessage: SENTINEL_CONFIG_ERR.unrecognized,
  members: [
    member('monitor', 4),
    member('down-after-milliseconds', 2),
    member('failover-timeout', 2),
    member('parallel-syncs', 2),
    member('notification-script', 2),
    member('client-reconfig-script', 2),
    member('auth-pass', 2),
    member('auth-user', 2),
    member('current-epoch', 1),
    member('myid', 1),
    member('config-epoch', 2),
    member('leader-epoch', 2),
    member('known-replica', 3, ['known-slave']),
    member('known-sentinel', { min: 3, max: 4 }),
    member('rename-command', 3),
    member('announce-ip', 1),
    member('announce-port', 1),
    member('deny-scripts-reconfig', 1),
    member('sentinel-user', 1),
    member('sentinel-pass', 1),
    member('resolve-hostnames', 1),
    member('announce-hostnames', 1),
    member('master-reboot-down-after-period', 2, ['primary-reboot-down-after-period']),
  ],
};

function ignored(name: string): DirectiveSpec<C> {
  return {
    name,
    args: { min: 0 },
    set(cfg, _a, ctx) {
      cfg.ignored.push({ name, ...(ctx.line !== undefined ? { file: ctx.line.file, line: ctx.line.line } : {}) });
      return undefined;
    },
  };
}

const SERVER: DirectiveSpec<C>[] = [
  intDirective<C>({ name: 'port', min: 0, max: 65535, default: 26379, read: (c) => c.server.port, write: (c, v) => void (c.server.port = v) }),
  {
    name: 'bind',
    args: { min: 1 },
    set(cfg, a) {
      cfg.server.bind = [...a];
      return undefined;
    },
    get: (cfg) => cfg.server.bind.join(' '),
  },
  intDirective<C>({ name: 'tcp-backlog', min: 0, max: 2147483647, default: 511, read: (c) => c.server.tcpBacklog, write: (c, v) => void (c.server.tcpBacklog = v) }),
  stringDirective<C>({ name: 'unixsocket', default: '', read: (c) => c.server.unixsocket, write: (c, v) => void (c.server.unixsocket = v ?? '') }),
  {
    name: 'unixsocketperm',
    args: 1,
    set(cfg, a) {
      const v = Number.parseInt(a[0]!, 8);
      if (!/^[0-7]+$/.test(a[0]!) || v > 0o777) return 'argument must be between 0 and 777 inclusive';
      cfg.server.unixsocketperm = v;
      return undefined;
    },
  },
  stringDirective<C>({ name: 'dir', default: null, read: (c) => c.dir, write: (c, v) => void (c.dir = v) }),
  boolDirective<C>({ name: 'daemonize', default: false, read: (c) => c.daemonize, write: (c, v) => void (c.daemonize = v) }),
  enumDirective<C, 'no' | 'upstart' | 'systemd' | 'auto'>({
    name: 'supervised',
    values: ['no', 'upstart', 'systemd', 'auto'],
    default: 'no',
    read: (c) => c.supervised as 'no',
    write: (c, v) => void (c.supervised = v),
  }),
  stringDirective<C>({ name: 'pidfile', default: null, emptyIsNull: true, read: (c) => c.pidfile, write: (c, v) => void (c.pidfile = v) }),
  stringDirective<C>({
    name: 'requirepass',
    default: '',
    sensitive: true,
    read: (c) => c.server.requirepass,
    write: (c, v) => void (c.server.requirepass = v ?? ''),
  }),
  {
    name: 'user',
    args: { min: 1 },
    repeatable: true,
    arityMessage: 'Bad directive or wrong number of arguments',
    set(cfg, a) {
      cfg.server.users.push([...a]);
      return undefined;
    },
  },
  boolDirective<C>({ name: 'protected-mode', default: false, read: (c) => c.server.protectedMode, write: (c, v) => void (c.server.protectedMode = v) }),
  intDirective<C>({ name: 'maxclients', min: 1, max: 2147483647, default: 10000, read: (c) => c.server.maxclients, write: (c, v) => void (c.server.maxclients = v) }),
  intDirective<C>({ name: 'timeout', min: 0, max: 2147483647, default: 0, read: (c) => c.server.timeout, write: (c, v) => void (c.server.timeout = v) }),
  intDirective<C>({ name: 'tcp-keepalive', min: 0, max: 2147483647, default: 300, read: (c) => c.server.tcpKeepalive, write: (c, v) => void (c.server.tcpKeepalive = v) }),
  intDirective<C>({ name: 'hz', min: 0, max: 2147483647, default: 10, read: (c) => c.server.hz, write: (c, v) => void (c.server.hz = v) }),
  {
    name: 'rename-command',
    args: 2,
    repeatable: true,
    arityMessage: 'Bad directive or wrong number of arguments',
    set(cfg, a) {
      cfg.server.renameCommand[a[0]!.toLowerCase()] = a[1]!;
      return undefined;
    },
  },
  enumDirective<C, 'resetchannels' | 'allchannels'>({
    name: 'acl-pubsub-default',
    values: ['resetchannels', 'allchannels'],
    default: 'resetchannels',
    read: (c) => c.server.aclPubsubDefault,
    write: (c, v) => void (c.server.aclPubsubDefault = v),
  }),
  stringDirective<C>({ name: 'aclfile', default: null, emptyIsNull: true, read: (c) => c.aclfile, write: (c, v) => void (c.aclfile = v) }),
  intDirective<C>({ name: 'acllog-max-len', min: 0, max: 2147483647, default: 128, read: (c) => c.acllogMaxLen, write: (c, v) => void (c.acllogMaxLen = v) }),
  stringDirective<C>({ name: 'bind-source-addr', default: null, emptyIsNull: true, read: (c) => c.bindSourceAddr, write: (c, v) => void (c.bindSourceAddr = v) }),
  boolDirective<C>({ name: 'tls-replication', default: false, read: (c) => c.tlsReplication, write: (c, v) => void (c.tlsReplication = v) }),
  intDirective<C>({ name: 'tls-port', min: 0, max: 65535, default: 0, read: (c) => c.tlsPort, write: (c, v) => void (c.tlsPort = v) }),
  ...loggingDirectives<C>(),
  ...metricsListenerDirectives<C>((c) => c.metrics),
];

const HANDLED = new Set(SERVER.flatMap((d) => [d.name, ...(d.aliases ?? [])]));

export const SENTINEL_CONFIG_TABLE: ConfigTable<C> = defineConfigTable<C>([
  ...SERVER,
  ...DATA_NODE_DIRECTIVES.filter((n) => !HANDLED.has(n)).map(ignored),
  SENTINEL_FAMILY,
]);
