/**
 * tredis's redis.conf directive table (common/config machinery): the server core's directives (mapped onto
 * ServerSettings), logging, the node's own (memory, lazyfree, encodings, databases, daemonize/pidfile), the
 * persistence and replication services' tables, and every other directive redis-server 7.0.15 knows, accepted
 * without effect (TOLERATED) so a copied redis.conf loads. Anything else is a start-up error naming file and line.
 *
 * Mutability follows Redis 7.0 (config.c flags): CONFIG SET `port` and `bind` reopen the listeners (updatePort,
 * updateBind); `unixsocket`/`unixsocketperm` stay immutable, as in 7.0.15.
 */
import {
  boolDirective,
  defineConfigTable,
  enumDirective,
  formatMemory,
  intDirective,
  memoryDirective,
  parseMemory,
  reprArg,
  rewriteLine,
  stringDirective,
  type ApplyFn,
  type ConfigTable,
  type DirectiveSpec,
  type RewriteOutput,
} from '../../common/config/index.js';
import { loggingDirectives } from '../../common/logger-config.js';
import { metricsListenerDirectives } from '../../ops/metrics-listener.js';
import type { OutputBufferClass } from '../../server/settings.js';
import { defaultServerSettings } from '../../server/settings.js';
import { persistenceDirectives, DIRECTIVE_ERR } from '../persistence/directives.js';
import { replicationDirectives } from '../replication/config.js';
import { DEFAULT_NODE_OWN_CONFIG, MAXMEMORY_POLICIES, type MaxmemoryPolicy, type NodeConfig, type NodeOwnConfig } from './node-config.js';
import { REDIS_CONFIG_DEFAULTS } from './redis-defaults.js';

type C = NodeConfig;

/** What CONFIG SET pushes into the running node; absent for a loader-only table (check-config). */
export interface NodeConfigPorts {
  /** Server core settings changed (requirepass, users, limits, hz…): re-apply them. */
  readonly applyServer?: ApplyFn<C>;
  readonly applyLogLevel?: ApplyFn<C>;
  /** maxmemory*, lazyfree*, encoding limits, active-expire-effort. */
  readonly applyNode?: ApplyFn<C>;
  /** Any persistence directive changed: hand the new PersistenceConfig to the service. */
  readonly applyPersistence?: ApplyFn<C>;
  readonly applyReplication?: (cfg: C) => string | undefined;
  /**
   * CONFIG SET port / bind: reopen the TCP listeners on the new settings; false when they could not be opened
   * (the previous ones are listening again).
   */
  readonly rebind?: (cfg: C) => Promise<boolean>;
}

/** config.c updatePort / updateBind replies when the new listeners cannot be opened (observed on 7.0.15). */
const LISTEN_ERR = {
  port: 'Unable to listen on this port. Check server logs.',
  bind: 'Failed to bind to specified addresses.',
} as const;

/** The apply function of `port` or `bind`: one per directive, so each fails with its own text. */
function rebindApply(rebind: NodeConfigPorts['rebind'], which: keyof typeof LISTEN_ERR): { apply?: ApplyFn<C> } {
  if (rebind === undefined) return {};
  return { apply: async (cfg) => ((await rebind(cfg)) ? undefined : LISTEN_ERR[which]) };
}

const BAD = 'Bad directive or wrong number of arguments';
const DEFAULT_SERVER = defaultServerSettings();

function obufClassName(name: string): OutputBufferClass | null {
  const l = name.toLowerCase();
  if (l === 'normal') return 'normal';
  if (l === 'replica' || l === 'slave') return 'replica';
  if (l === 'pubsub') return 'pubsub';
  return null;
}

const OBUF_WIRE: Record<OutputBufferClass, string> = { normal: 'normal', replica: 'slave', pubsub: 'pubsub' };

/** config.c client-output-buffer-limit: `<class> <hard> <soft> <seconds>` groups, several per line allowed. */
function clientOutputBufferLimit(apply: ApplyFn<C> | undefined): DirectiveSpec<C> {
  return {
    name: 'client-output-buffer-limit',
    args: { min: 1 },
    multiArg: true,
    repeatable: true,
    mutable: true,
    ...(apply !== undefined ? { apply } : {}),
    set(cfg, args) {
      if (args.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.';
      const next = structuredClone(cfg.server.clientOutputBufferLimit);
      for (let i = 0; i < args.length; i += 4) {
        const cls = obufClassName(args[i]!);
        if (cls === null) return 'Invalid client class specified in buffer limit configuration.';
        const hard = parseMemory(args[i + 1]!);
        const soft = parseMemory(args[i + 2]!);
        const secs = /^[0-9]+$/.test(args[i + 3]!) ? Number(args[i + 3]) : undefined;
        if (hard === undefined || soft === undefined || secs === undefined) {
          return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
        }
        next[cls] = { hardBytes: hard, softBytes: soft, softSeconds: secs };
      }
      cfg.server.clientOutputBufferLimit = next;
      return undefined;
    },
    get: (cfg) =>
      (['normal', 'replica', 'pubsub'] as const)
        .map((c) => {
          const l = cfg.server.clientOutputBufferLimit[c];
          return `${OBUF_WIRE[c]} ${l.hardBytes} ${l.softBytes} ${l.softSeconds}`;
        })
        .join(' '),
    rewrite(cfg): RewriteOutput {
      const lines: string[] = [];
      let force = false;
      for (const c of ['normal', 'replica', 'pubsub'] as const) {
        const l = cfg.server.clientOutputBufferLimit[c];
        const d = DEFAULT_SERVER.clientOutputBufferLimit[c];
        lines.push(`client-output-buffer-limit ${OBUF_WIRE[c]} ${formatMemory(l.hardBytes)} ${formatMemory(l.softBytes)} ${l.softSeconds}`);
        if (l.hardBytes !== d.hardBytes || l.softBytes !== d.softBytes || l.softSeconds !== d.softSeconds) force = true;
      }
      return { lines, force };
    },
  };
}

function serverDirectives(applyServer: ApplyFn<C> | undefined, rebind: NodeConfigPorts['rebind']): DirectiveSpec<C>[] {
  const a = applyServer !== undefined ? { apply: applyServer } : {};
  const D = DEFAULT_SERVER;
  return [
    intDirective<C>({ name: 'port', min: 0, max: 65535, default: 6379, mutable: true, ...rebindApply(rebind, 'port'), read: (c) => c.server.port, write: (c, v) => void (c.server.port = v) }),
    {
      name: 'bind',
      args: { min: 1, max: 16 },
      multiArg: true,
      mutable: true,
      ...rebindApply(rebind, 'bind'),
      set(cfg, args) {
        cfg.server.bind = [...args];
        return undefined;
      },
      get: (cfg) => cfg.server.bind.join(' '),
      rewrite: (cfg) => rewriteLine(`bind ${cfg.server.bind.join(' ')}`, cfg.server.bind.join(' ') === D.bind.join(' ')),
    },
    intDirective<C>({ name: 'tcp-backlog', min: 0, max: 2147483647, default: 511, read: (c) => c.server.tcpBacklog, write: (c, v) => void (c.server.tcpBacklog = v) }),
    stringDirective<C>({ name: 'unixsocket', default: null, emptyIsNull: true, read: (c) => (c.server.unixsocket === '' ? null : c.server.unixsocket), write: (c, v) => void (c.server.unixsocket = v ?? '') }),
    {
      name: 'unixsocketperm',
      args: 1,
      set(cfg, args) {
        const v = Number.parseInt(args[0]!, 8);
        if (!/^[0-7]+$/.test(args[0]!) || v > 0o777) return 'argument must be between 0 and 777 inclusive';
        cfg.server.unixsocketperm = v;
        return undefined;
      },
      get: (cfg) => cfg.server.unixsocketperm.toString(8),
    },
    stringDirective<C>({ name: 'requirepass', default: '', sensitive: true, mutable: true, ...a, read: (c) => c.server.requirepass, write: (c, v) => void (c.server.requirepass = v ?? '') }),
    {
      name: 'user',
      args: { min: 1 },
      repeatable: true,
      arityMessage: BAD,
      set(cfg, args, ctx) {
        if (ctx.occurrence === 0) cfg.server.users = [];
        cfg.server.users.push([...args]);
        return undefined;
      },
    },
    {
      name: 'rename-command',
      args: 2,
      repeatable: true,
      arityMessage: BAD,
      set(cfg, args) {
        cfg.server.renameCommand[args[0]!.toLowerCase()] = args[1]!;
        return undefined;
      },
    },
    enumDirective<C, 'resetchannels' | 'allchannels'>({ name: 'acl-pubsub-default', values: ['allchannels', 'resetchannels'], default: 'resetchannels', mutable: true, ...a, read: (c) => c.server.aclPubsubDefault, write: (c, v) => void (c.server.aclPubsubDefault = v) }),
    boolDirective<C>({ name: 'protected-mode', default: true, mutable: true, ...a, read: (c) => c.server.protectedMode, write: (c, v) => void (c.server.protectedMode = v) }),
    intDirective<C>({ name: 'maxclients', min: 1, max: 2147483647, default: 10000, mutable: true, ...a, read: (c) => c.server.maxclients, write: (c, v) => void (c.server.maxclients = v) }),
    intDirective<C>({ name: 'timeout', min: 0, max: 2147483647, default: 0, mutable: true, ...a, read: (c) => c.server.timeout, write: (c, v) => void (c.server.timeout = v) }),
    intDirective<C>({ name: 'tcp-keepalive', min: 0, max: 2147483647, default: 300, mutable: true, ...a, read: (c) => c.server.tcpKeepalive, write: (c, v) => void (c.server.tcpKeepalive = v) }),
    intDirective<C>({ name: 'hz', min: 0, max: 2147483647, default: 10, mutable: true, ...a, read: (c) => c.server.hz, write: (c, v) => void (c.server.hz = Math.min(500, Math.max(1, v))) }),
    memoryDirective<C>({ name: 'client-query-buffer-limit', min: 1024 * 1024, max: Number.MAX_SAFE_INTEGER, default: 1024 * 1024 * 1024, mutable: true, ...a, read: (c) => c.server.clientQueryBufferLimit, write: (c, v) => void (c.server.clientQueryBufferLimit = v) }),
    memoryDirective<C>({ name: 'proto-max-bulk-len', min: 1024 * 1024, max: Number.MAX_SAFE_INTEGER, default: 512 * 1024 * 1024, mutable: true, ...a, read: (c) => c.server.protoMaxBulkLen, write: (c, v) => void (c.server.protoMaxBulkLen = v) }),
    clientOutputBufferLimit(applyServer),
  ];
}

function nodeDirectives(applyNode: ApplyFn<C> | undefined): DirectiveSpec<C>[] {
  const a = applyNode !== undefined ? { apply: applyNode } : {};
  const D = DEFAULT_NODE_OWN_CONFIG;
  type K<V> = { [P in keyof NodeOwnConfig]: NodeOwnConfig[P] extends V ? P : never }[keyof NodeOwnConfig];
  const bool = (name: string, key: K<boolean>, aliases?: string[]): DirectiveSpec<C> =>
    boolDirective<C>({ name, ...(aliases ? { aliases } : {}), default: D[key] as boolean, mutable: true, ...a, read: (c) => c.node[key] as boolean, write: (c, v) => void ((c.node[key] as boolean) = v) });
  const int = (name: string, key: K<number>, min: number, max: number, aliases?: string[]): DirectiveSpec<C> =>
    intDirective<C>({ name, ...(aliases ? { aliases } : {}), min, max, default: D[key] as number, mutable: true, ...a, read: (c) => c.node[key] as number, write: (c, v) => void ((c.node[key] as number) = v) });
  return [
    boolDirective<C>({ name: 'daemonize', default: false, read: (c) => c.node.daemonize, write: (c, v) => void (c.node.daemonize = v) }),
    stringDirective<C>({ name: 'pidfile', default: null, emptyIsNull: true, read: (c) => c.node.pidfile, write: (c, v) => void (c.node.pidfile = v) }),
    enumDirective<C, NodeOwnConfig['supervised']>({ name: 'supervised', values: ['no', 'upstart', 'systemd', 'auto'], default: 'no', read: (c) => c.node.supervised, write: (c, v) => void (c.node.supervised = v) }),
    intDirective<C>({ name: 'databases', min: 1, max: 2147483647, default: 16, read: (c) => c.node.databases, write: (c, v) => void (c.node.databases = v) }),
    memoryDirective<C>({ name: 'maxmemory', default: 0, mutable: true, ...a, read: (c) => c.node.maxmemory, write: (c, v) => void (c.node.maxmemory = v) }),
    enumDirective<C, MaxmemoryPolicy>({ name: 'maxmemory-policy', values: MAXMEMORY_POLICIES, default: 'noeviction', mutable: true, ...a, read: (c) => c.node.maxmemoryPolicy, write: (c, v) => void (c.node.maxmemoryPolicy = v) }),
    int('maxmemory-samples', 'maxmemorySamples', 1, 2147483647),
    int('maxmemory-eviction-tenacity', 'maxmemoryEvictionTenacity', 0, 100),
    bool('lazyfree-lazy-eviction', 'lazyfreeLazyEviction'),
    bool('lazyfree-lazy-expire', 'lazyfreeLazyExpire'),
    bool('lazyfree-lazy-server-del', 'lazyfreeLazyServerDel'),
    bool('lazyfree-lazy-user-del', 'lazyfreeLazyUserDel'),
    bool('lazyfree-lazy-user-flush', 'lazyfreeLazyUserFlush'),
    int('hash-max-listpack-entries', 'hashMaxListpackEntries', 0, Number.MAX_SAFE_INTEGER, ['hash-max-ziplist-entries']),
    int('hash-max-listpack-value', 'hashMaxListpackValue', 0, Number.MAX_SAFE_INTEGER, ['hash-max-ziplist-value']),
    int('set-max-intset-entries', 'setMaxIntsetEntries', 0, Number.MAX_SAFE_INTEGER),
    int('zset-max-listpack-entries', 'zsetMaxListpackEntries', 0, Number.MAX_SAFE_INTEGER, ['zset-max-ziplist-entries']),
    int('zset-max-listpack-value', 'zsetMaxListpackValue', 0, Number.MAX_SAFE_INTEGER, ['zset-max-ziplist-value']),
    int('active-expire-effort', 'activeExpireEffort', 1, 10),
    bool('dynamic-hz', 'dynamicHz'),
  ];
}

/** `dir`: the working directory for persistence files; a protected config (CONFIG SET refused, as 7.0 by default). */
const DIR: DirectiveSpec<C> = {
  name: 'dir',
  args: 1,
  mutable: true,
  set(cfg, args, ctx) {
    if (ctx.source === 'config-set') return DIRECTIVE_ERR.PROTECTED;
    cfg.persistence.dir = args[0]!;
    return undefined;
  },
  get: (cfg) => cfg.persistence.dir,
  rewrite: (cfg) => rewriteLine(`dir ${reprArg(cfg.persistence.dir)}`, false),
};

/** A directive accepted for compatibility only: its value is stored as text for CONFIG GET. */
function tolerated(name: string): DirectiveSpec<C> {
  return {
    name,
    args: { min: 0 },
    mutable: true,
    set(cfg, args) {
      cfg.tolerated[name] = args.join(' ');
      return undefined;
    },
    get: (cfg) => cfg.tolerated[name] ?? '',
  };
}

/** Names config.c accepts without a CONFIG GET entry of their own. */
const LEGACY_ACCEPTED = ['loadmodule', 'list-max-ziplist-entries', 'list-max-ziplist-value', 'lua-replicate-commands'];

export function nodeConfigTable(ports: NodeConfigPorts = {}): ConfigTable<C> {
  const implemented: DirectiveSpec<C>[] = [
    ...serverDirectives(ports.applyServer, ports.rebind),
    ...loggingDirectives<C>(ports.applyLogLevel !== undefined ? { applyLevel: ports.applyLogLevel } : {}),
    ...nodeDirectives(ports.applyNode),
    DIR,
    ...persistenceDirectives<C>(ports.applyPersistence),
    ...replicationDirectives<C>(ports.applyReplication),
    // ours, as in tsentinel: redis-server has no HTTP listener
    ...metricsListenerDirectives<C>((c) => c.metrics),
  ];
  const handled = new Set(implemented.flatMap((d) => [d.name, ...(d.aliases ?? [])]));
  const rest = [...REDIS_CONFIG_DEFAULTS.map(([n]) => n), ...LEGACY_ACCEPTED].filter((n) => !handled.has(n));
  return defineConfigTable<C>([...implemented, ...[...new Set(rest)].map(tolerated)]);
}

/** The names accepted without effect (for the start-up notice and the docs). */
export function toleratedNames(table: ConfigTable<C>): string[] {
  return table.directives.filter((d) => d.rewrite === undefined && d.name !== 'user' && d.name !== 'rename-command' && d.name !== 'unixsocketperm' && d.name !== 'dir').map((d) => d.name);
}
