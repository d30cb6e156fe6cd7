/**
 * A small directive table shaped like the real ones (tredis's and tsentinel's), used by the config tests.
 * It mirrors Redis 7.0's behaviour for the directives it declares.
 */
import {
  boolDirective,
  defineConfigTable,
  enumDirective,
  intDirective,
  memoryDirective,
  parseInteger,
  reprArg,
  stringDirective,
  CONFIG_MESSAGES,
  type DirectiveSpec,
  type FamilySpec,
} from '../../../../src/common/config/index.js';

export interface Master {
  name: string;
  host: string;
  port: number;
  quorum: number;
  downAfter: number;
  knownReplicas: string[];
}

export interface TestConfig {
  port: number;
  bind: string[];
  save: Array<[number, number]>;
  replicaof: { host: string; port: number } | null;
  maxmemory: number;
  loglevel: 'debug' | 'verbose' | 'notice' | 'warning';
  requirepass: string | null;
  daemonize: boolean;
  appendonly: boolean;
  renames: Array<[string, string]>;
  myid: string | null;
  masters: Master[];
  /** Records the order directives were applied in, to test phases. */
  trace: string[];
}

export const DEFAULTS: TestConfig = {
  port: 6379,
  bind: ['*', '-::*'],
  save: [
    [3600, 1],
    [300, 100],
    [60, 10000],
  ],
  replicaof: null,
  maxmemory: 0,
  loglevel: 'notice',
  requirepass: null,
  daemonize: false,
  appendonly: false,
  renames: [],
  myid: null,
  masters: [],
  trace: [],
};

/** config.c setConfigSaveOption: pairs of seconds ≥ 1 and changes ≥ 0; `""` means no saving. */
const save: DirectiveSpec<TestConfig> = {
  name: 'save',
  args: { min: 0 },
  multiArg: true,
  repeatable: true,
  mutable: true,
  set(cfg, args, ctx) {
    const list = args.length === 1 && args[0] === '' ? [] : args;
    if (list.length % 2 !== 0) return 'Invalid save parameters';
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < list.length; i += 2) {
      const secs = parseInteger(list[i]!);
      const changes = parseInteger(list[i + 1]!);
      if (secs === undefined || changes === undefined || secs < 1 || changes < 0) return 'Invalid save parameters';
      pairs.push([secs, changes]);
    }
    // The first `save` line of a load replaces the defaults; later ones append. CONFIG SET replaces.
    cfg.save = ctx.source === 'load' && ctx.occurrence > 0 ? [...cfg.save, ...pairs] : pairs;
    return undefined;
  },
  get: (cfg) => cfg.save.map(([s, c]) => `${s} ${c}`).join(' '),
  rewrite: (cfg) =>
    cfg.save.length === 0
      ? { lines: ['save ""'], force: true }
      : { lines: cfg.save.map(([s, c]) => `save ${s} ${c}`), force: true },
};

const bind: DirectiveSpec<TestConfig> = {
  name: 'bind',
  args: { min: 1 },
  multiArg: true,
  mutable: true,
  set(cfg, args) {
    cfg.bind = [...args];
    return undefined;
  },
  get: (cfg) => cfg.bind.join(' '),
  rewrite: (cfg) => {
    const isDefault = cfg.bind.join(' ') === DEFAULTS.bind.join(' ');
    return isDefault ? { lines: [], force: false } : { lines: [`bind ${cfg.bind.join(' ')}`], force: true };
  },
};

const replicaof: DirectiveSpec<TestConfig> = {
  name: 'replicaof',
  aliases: ['slaveof'],
  args: 2,
  set(cfg, args) {
    if (args[0]!.toLowerCase() === 'no' && args[1]!.toLowerCase() === 'one') {
      cfg.replicaof = null;
      return undefined;
    }
    const port = parseInteger(args[1]!);
    if (port === undefined || port < 0 || port > 65535) return 'Invalid master port';
    cfg.replicaof = { host: args[0]!, port };
    return undefined;
  },
  get: (cfg) => (cfg.replicaof === null ? '' : `${cfg.replicaof.host} ${cfg.replicaof.port}`),
  rewrite: (cfg) =>
    cfg.replicaof === null
      ? { lines: [], force: false }
      : { lines: [`replicaof ${cfg.replicaof.host} ${cfg.replicaof.port}`], force: true },
};

const renameCommand: DirectiveSpec<TestConfig> = {
  name: 'rename-command',
  args: 2,
  arityMessage: CONFIG_MESSAGES.badDirective,
  repeatable: true,
  set(cfg, args) {
    if (args[0]!.toLowerCase() === 'nosuchcmd') return 'No such command in rename-command';
    cfg.renames.push([args[0]!, args[1]!]);
    return undefined;
  },
};

const monitor: DirectiveSpec<TestConfig> = {
  name: 'monitor',
  args: 4,
  phase: 2,
  set(cfg, args) {
    cfg.trace.push(`monitor ${args[0]}`);
    const quorum = parseInteger(args[3]!);
    if (quorum === undefined || quorum <= 0) return 'Quorum must be 1 or greater.';
    if (cfg.masters.some((m) => m.name === args[0])) return 'Duplicate master name.';
    cfg.masters.push({
      name: args[0]!,
      host: args[1]!,
      port: Number(args[2]),
      quorum,
      downAfter: 30000,
      knownReplicas: [],
    });
    return undefined;
  },
};

function withMaster(cfg: TestConfig, name: string, f: (m: Master) => string | undefined): string | undefined {
  const m = cfg.masters.find((x) => x.name === name);
  return m === undefined ? 'No such master with specified name.' : f(m);
}

const downAfter: DirectiveSpec<TestConfig> = {
  name: 'down-after-milliseconds',
  args: 2,
  phase: 3,
  set(cfg, args) {
    cfg.trace.push(`down-after ${args[0]}`);
    return withMaster(cfg, args[0]!, (m) => {
      const v = parseInteger(args[1]!);
      if (v === undefined || v <= 0) return 'Invalid down-after-milliseconds';
      m.downAfter = v;
      return undefined;
    });
  },
};

const knownReplica: DirectiveSpec<TestConfig> = {
  name: 'known-replica',
  aliases: ['known-slave'],
  args: 3,
  phase: 3,
  repeatable: true,
  rewriteKeyArgs: 1, // per master, as the brief asks (Redis uses 0)
  set(cfg, args) {
    return withMaster(cfg, args[0]!, (m) => {
      m.knownReplicas.push(`${args[1]}:${args[2]}`);
      return undefined;
    });
  },
};

const myid: DirectiveSpec<TestConfig> = {
  name: 'myid',
  args: 1,
  phase: 1,
  set(cfg, args) {
    cfg.trace.push('myid');
    if (args[0]!.length !== 40) return 'Malformed Sentinel id in myid option.';
    cfg.myid = args[0]!;
    return undefined;
  },
};

export const sentinelFamily: FamilySpec<TestConfig> = {
  kind: 'family',
  name: 'sentinel',
  unknownMessage: 'Unrecognized sentinel configuration statement.',
  members: [myid, monitor, downAfter, knownReplica],
  rewrite(cfg) {
    const out: Array<{ member: string; output: { lines: string[]; force: boolean } }> = [];
    if (cfg.myid !== null) out.push({ member: 'myid', output: { lines: [`sentinel myid ${cfg.myid}`], force: true } });
    for (const m of cfg.masters) {
      out.push({
        member: 'monitor',
        output: { lines: [`sentinel monitor ${m.name} ${m.host} ${m.port} ${m.quorum}`], force: true },
      });
      if (m.downAfter !== 30000) {
        out.push({
          member: 'down-after-milliseconds',
          output: { lines: [`sentinel down-after-milliseconds ${m.name} ${m.downAfter}`], force: true },
        });
      }
      for (const r of m.knownReplicas) {
        const [host, port] = r.split(':');
        out.push({ member: 'known-replica', output: { lines: [`sentinel known-replica ${m.name} ${host} ${port}`], force: true } });
      }
    }
    return out;
  },
};

export const table = defineConfigTable<TestConfig>([
  intDirective({
    name: 'port',
    min: 0,
    max: 65535,
    default: 6379,
    mutable: true,
    read: (c) => c.port,
    write: (c, v) => {
      c.port = v;
    },
  }),
  bind,
  save,
  replicaof,
  memoryDirective({
    name: 'maxmemory',
    default: 0,
    mutable: true,
    read: (c) => c.maxmemory,
    write: (c, v) => {
      c.maxmemory = v;
    },
  }),
  enumDirective({
    name: 'loglevel',
    values: ['debug', 'verbose', 'notice', 'warning'] as const,
    default: 'notice',
    mutable: true,
    read: (c) => c.loglevel,
    write: (c, v) => {
      c.loglevel = v;
    },
  }),
  stringDirective({
    name: 'requirepass',
    default: null,
    emptyIsNull: true,
    mutable: true,
    sensitive: true,
    read: (c) => c.requirepass,
    write: (c, v) => {
      c.requirepass = v;
    },
  }),
  boolDirective({
    name: 'daemonize',
    default: false,
    read: (c) => c.daemonize,
    write: (c, v) => {
      c.daemonize = v;
    },
  }),
  boolDirective({
    name: 'appendonly',
    default: false,
    mutable: true,
    read: (c) => c.appendonly,
    write: (c, v) => {
      c.appendonly = v;
    },
  }),
  renameCommand,
  sentinelFamily,
]);

export { reprArg };
