/**
 * Operations behind the SENTINEL commands that change state (sentinel.c sentinelCommand, sentinelSetCommand,
 * sentinelConfigSetCommand, sentinelSetDebugConfigParameters). Each returns the effects to execute and the reply
 * outcome; the server formats the reply only after the effects ran, so a `persist` (e.g. a granted vote) is on disk
 * before the reply leaves.
 */
import { isIpLiteral, makeAddr } from '../protocol/addr.js';
import { SENTINEL_ERR } from '../protocol/error-text.js';
import { stringMatch } from '../../common/glob.js';
import { processHello } from './hello-apply.js';
import { parseLongLong, parseYesNo } from '../protocol/numbers.js';
import type { Ctx } from './context.js';
import type { SentinelCore } from './core.js';
import { runMaster } from './core.js';
import { hasPromotableReplica, startFailover } from './failover.js';
import type { Effect } from './io.js';
import {
  closeConn,
  createErrorText,
  createMaster,
  propagateDownAfter,
  releaseInstance,
  resetMaster,
} from './instances.js';
import { SIMFAILURE_CRASH_AFTER_ELECTION, SIMFAILURE_CRASH_AFTER_PROMOTION, type Master } from './model.js';
import { DEBUG_PARAMS } from './timing.js';
import { answerIsMasterDown, type MasterDownAnswer } from './votes.js';

/** `error`: the reply is this error (text without '-'); `persist`: a config flush is part of the effects. */
export interface AdminResult<T = undefined> {
  readonly effects: Effect[];
  readonly error?: string;
  readonly value?: T;
}

function done<T>(ctx: Ctx, value?: T): AdminResult<T> {
  return value === undefined ? { effects: ctx.out } : { effects: ctx.out, value };
}

function fail<T>(ctx: Ctx, error: string): AdminResult<T> {
  return { effects: ctx.out, error };
}

/** Ports for the few checks that touch the outside world. */
export interface AdminPorts {
  /** access(path, X_OK) */
  isExecutable(path: string): boolean;
}

/**
 * SENTINEL MONITOR <name> <host> <port> <quorum>. `resolvedIp`: the driver's DNS answer for a hostname (null when it
 * failed, undefined for IP literals).
 */
export function monitor(
  core: SentinelCore,
  now: number,
  name: string,
  host: string,
  portArg: string,
  quorumArg: string,
  resolvedIp?: string | null,
): AdminResult {
  const ctx = core.begin(now);
  const quorum = parseLongLong(quorumArg);
  if (quorum === null) return fail(ctx, SENTINEL_ERR.invalidQuorum);
  const port = parseLongLong(portArg);
  if (port === null) return fail(ctx, SENTINEL_ERR.invalidPort);
  if (quorum <= 0) return fail(ctx, SENTINEL_ERR.quorumMin);
  let ip = host;
  if (!isIpLiteral(host)) {
    if (!ctx.state.config.resolveHostnames || resolvedIp === null || resolvedIp === undefined) {
      return fail(ctx, SENTINEL_ERR.invalidIp);
    }
    ip = resolvedIp;
    ctx.state.dns.set(host.toLowerCase(), resolvedIp);
  }
  if (port < 0 || port > 65535) return fail(ctx, `ERR ${createErrorText('EINVAL', 'master')}`);
  const m = createMaster(ctx.state, name, makeAddr(host, port, ip), quorum, now);
  if (typeof m === 'string') return fail(ctx, `ERR ${createErrorText(m, 'master')}`);
  ctx.persist('monitor');
  ctx.instanceEvent('+monitor', m, ` quorum ${m.quorum}`);
  runMaster(ctx, m);
  return done(ctx);
}

/** sentinelGenerateInitialMonitorEvents: +monitor for every configured master at start-up. */
export function initialMonitorEvents(core: SentinelCore, now: number): AdminResult {
  const ctx = core.begin(now);
  for (const m of ctx.state.masters.values()) ctx.instanceEvent('+monitor', m, ` quorum ${m.quorum}`);
  return done(ctx);
}

/** SENTINEL REMOVE <name>. */
export function remove(core: SentinelCore, now: number, name: string): AdminResult {
  const ctx = core.begin(now);
  const m = ctx.state.masters.get(name);
  if (m === undefined) return fail(ctx, SENTINEL_ERR.noSuchMaster);
  ctx.instanceEvent('-monitor', m);
  ctx.state.masters.delete(name);
  releaseInstance(ctx, m);
  ctx.persist('remove');
  return done(ctx);
}

/** SENTINEL RESET <pattern>: number of masters reset. */
export function reset(core: SentinelCore, now: number, pattern: string): AdminResult<number> {
  const ctx = core.begin(now);
  let n = 0;
  for (const m of [...ctx.state.masters.values()]) {
    // sentinelResetMastersByPattern: stringmatch(pattern, ri->name, 0), case-sensitive.
    if (stringMatch(pattern, m.name)) {
      resetMaster(ctx, m, { keepSentinels: false, event: true });
      n++;
    }
  }
  for (const m of ctx.state.masters.values()) runMaster(ctx, m);
  return done(ctx, n);
}

/** SENTINEL FAILOVER <name> [COORDINATED]. */
export function failover(core: SentinelCore, now: number, name: string, coordinated: boolean): AdminResult {
  const ctx = core.begin(now);
  const m = ctx.state.masters.get(name);
  if (m === undefined) return fail(ctx, SENTINEL_ERR.noSuchMaster);
  if (m.failoverInProgress) return fail(ctx, SENTINEL_ERR.inprog);
  if (!hasPromotableReplica(m, now, ctx)) return fail(ctx, SENTINEL_ERR.noGoodSlave);
  if (coordinated && (m.link.cc !== 'up' || m.sDown)) return fail(ctx, SENTINEL_ERR.coordinatedNeedsMaster);
  ctx.log('warning', `Executing user requested FAILOVER of '${m.name}'${coordinated ? ' (coordinated)' : ''}`, { master: m.name });
  startFailover(ctx, m);
  m.forceFailover = true;
  m.coordinated = coordinated;
  runMaster(ctx, m);
  return done(ctx);
}

/** SENTINEL IS-MASTER-DOWN-BY-ADDR <ip> <port> <current-epoch> <runid>. */
export function isMasterDownByAddr(
  core: SentinelCore,
  now: number,
  ip: string,
  portArg: string,
  epochArg: string,
  runid: string,
): AdminResult<MasterDownAnswer> {
  const ctx = core.begin(now);
  const port = parseLongLong(portArg);
  const epoch = parseLongLong(epochArg);
  if (port === null || epoch === null) return fail(ctx, SENTINEL_ERR.notInteger);
  return done(ctx, answerIsMasterDown(ctx, ip, port, epoch, runid));
}

/** PUBLISH __sentinel__:hello <payload> to our own port. */
export function publishHello(core: SentinelCore, now: number, payload: string): AdminResult {
  const ctx = core.begin(now);
  processHello(ctx, payload, false);
  const name = payload.split(',')[4];
  const m = name === undefined ? undefined : ctx.state.masters.get(name);
  if (m !== undefined) runMaster(ctx, m);
  return done(ctx);
}

/** SENTINEL FLUSHCONFIG. */
export function flushConfig(core: SentinelCore, now: number): AdminResult {
  const ctx = core.begin(now);
  ctx.persist('flushconfig');
  return done(ctx);
}

/** SENTINEL SET <name> <option> <value> [...]: applied pair by pair (not atomic), one +set per pair. */
export function set(core: SentinelCore, now: number, name: string, args: readonly string[], ports: AdminPorts): AdminResult {
  const ctx = core.begin(now);
  const st = ctx.state;
  const m = st.masters.get(name);
  if (m === undefined) return fail(ctx, SENTINEL_ERR.noSuchMaster);
  let changes = 0;
  const finish = (error?: string): AdminResult => {
    if (changes > 0) ctx.persist('sentinel set');
    return error === undefined ? done(ctx) : fail(ctx, error);
  };
  for (let j = 0; j < args.length; j++) {
    const option = args[j]!;
    const opt = option.toLowerCase();
    const more = args.length - 1 - j;
    const start = j;
    let redacted = false;
    const num = (min: number): number | string => {
      const v = args[++j]!;
      const n = parseLongLong(v);
      return n === null || n < min ? SENTINEL_ERR.setInvalidArgument(v, option) : n;
    };
    if (more > 0 && (opt === 'down-after-milliseconds' || opt === 'failover-timeout' || opt === 'parallel-syncs' || opt === 'quorum')) {
      const n = num(1);
      if (typeof n === 'string') return finish(n);
      if (opt === 'down-after-milliseconds') {
        m.downAfter = n;
        propagateDownAfter(m);
      } else if (opt === 'failover-timeout') m.failoverTimeout = n;
      else if (opt === 'parallel-syncs') m.parallelSyncs = n;
      else m.quorum = n;
    } else if (more > 0 && opt === 'master-reboot-down-after-period') {
      const n = num(0);
      if (typeof n === 'string') return finish(n);
      m.masterRebootDownAfter = n;
    } else if (more > 0 && (opt === 'notification-script' || opt === 'client-reconfig-script')) {
      const value = args[++j]!;
      if (st.config.denyScriptsReconfig) return finish(SENTINEL_ERR.scriptsDenied);
      if (value.length > 0 && !ports.isExecutable(value)) {
        return finish(opt === 'notification-script' ? SENTINEL_ERR.notificationScriptBad : SENTINEL_ERR.reconfigScriptBad);
      }
      if (opt === 'notification-script') m.notificationScript = value.length > 0 ? value : null;
      else m.clientReconfigScript = value.length > 0 ? value : null;
    } else if (more > 0 && (opt === 'auth-pass' || opt === 'auth-user')) {
      const value = args[++j]!;
      if (opt === 'auth-pass') {
        m.authPass = value.length > 0 ? value : null;
        redacted = true;
      } else {
        m.authUser = value.length > 0 ? value : null;
      }
      dropNodeLinks(ctx, m);
    } else if (more > 1 && opt === 'rename-command') {
      const oldName = args[++j]!;
      const newName = args[++j]!;
      if (oldName.length === 0 || newName.length === 0) {
        const bad = newName.length > 0 ? oldName : newName;
        return finish(SENTINEL_ERR.setInvalidArgument(bad, option));
      }
      m.renamedCommands.delete(oldName.toLowerCase());
      if (oldName.toLowerCase() !== newName.toLowerCase()) m.renamedCommands.set(oldName.toLowerCase(), { from: oldName, to: newName });
    } else {
      return finish(SENTINEL_ERR.setUnknownOption(option));
    }
    changes++;
    const values = args.slice(start + 1, j + 1);
    const shown = redacted ? ['******'] : values;
    ctx.instanceEvent('+set', m, ` ${[option, ...shown].join(' ')}`);
  }
  return finish();
}

/** auth-pass/auth-user changed: reconnect the master and its replicas so the new credentials are used. */
function dropNodeLinks(ctx: Ctx, m: Master): void {
  for (const ri of [m, ...m.replicas.values()]) {
    closeConn(ctx, ri.link, 'cmd');
    closeConn(ctx, ri.link, 'pubsub');
  }
}

const CONFIG_PARAMS = ['resolve-hostnames', 'announce-hostnames', 'announce-ip', 'announce-port', 'sentinel-user', 'sentinel-pass'] as const;

/**
 * SENTINEL CONFIG SET <param> <value> [<param> <value> ...] (7.0 takes one pair; 7.2 several, validated all
 * before any is applied). sentinel-user/sentinel-pass drop the links to other sentinels.
 */
export function configSet(core: SentinelCore, now: number, args: readonly string[]): AdminResult {
  const ctx = core.begin(now);
  const c = ctx.state.config;
  if (args.length === 0 || args.length % 2 !== 0) return fail(ctx, SENTINEL_ERR.configOnlyGetSet);
  const seen = new Set<string>();
  const apply: (() => void)[] = [];
  let dropConns = false;
  for (let i = 0; i < args.length; i += 2) {
    const param = args[i]!;
    const value = args[i + 1]!;
    const p = param.toLowerCase();
    if (seen.has(p)) return fail(ctx, SENTINEL_ERR.duplicateArgument(param));
    seen.add(p);
    if (p === 'resolve-hostnames' || p === 'announce-hostnames') {
      const b = parseYesNo(value);
      if (b === null) return fail(ctx, SENTINEL_ERR.configSetInvalidValue(value, param));
      apply.push(() => {
        if (p === 'resolve-hostnames') c.resolveHostnames = b;
        else c.announceHostnames = b;
      });
    } else if (p === 'announce-ip') {
      apply.push(() => {
        c.announceIp = value.length > 0 ? value : null;
      });
    } else if (p === 'announce-port') {
      const n = parseLongLong(value);
      if (n === null || n < 0 || n > 65535) return fail(ctx, SENTINEL_ERR.configSetInvalidValue(value, param));
      apply.push(() => {
        c.announcePort = n;
      });
    } else if (p === 'sentinel-user' || p === 'sentinel-pass') {
      dropConns = true;
      apply.push(() => {
        if (p === 'sentinel-user') c.sentinelUser = value.length > 0 ? value : null;
        else c.sentinelPass = value.length > 0 ? value : null;
      });
    } else {
      return fail(ctx, SENTINEL_ERR.configSetInvalidArgument(param));
    }
  }
  for (const f of apply) f();
  ctx.persist('sentinel config set');
  if (dropConns) {
    for (const m of ctx.state.masters.values()) {
      for (const p of m.sentinels.values()) {
        closeConn(ctx, p.link, 'cmd');
        closeConn(ctx, p.link, 'pubsub');
      }
    }
  }
  return done(ctx);
}

/** SENTINEL CONFIG GET <pattern> [<pattern> ...]: matching parameters (glob, case-insensitive), values as strings. */
export function configGet(core: SentinelCore, patterns: readonly string[]): [string, string][] {
  const c = core.state.config;
  const values: Record<(typeof CONFIG_PARAMS)[number], string> = {
    'resolve-hostnames': c.resolveHostnames ? 'yes' : 'no',
    'announce-hostnames': c.announceHostnames ? 'yes' : 'no',
    'announce-ip': c.announceIp ?? '',
    'announce-port': String(c.announcePort),
    'sentinel-user': c.sentinelUser ?? '',
    'sentinel-pass': c.sentinelPass ?? '',
  };
  const out: [string, string][] = [];
  for (const name of CONFIG_PARAMS) {
    if (patterns.some((p) => stringMatch(p, name, true))) out.push([name, values[name]]);
  }
  return out;
}

/** SENTINEL DEBUG <param> <ms> [...]: pairs applied in order until the first bad one. */
export function debugSet(core: SentinelCore, args: readonly string[]): string | null {
  const t = core.state.timing;
  for (let j = 0; j < args.length; j++) {
    const option = args[j]!;
    const entry = DEBUG_PARAMS.find(([n]) => n === option.toLowerCase());
    if (entry === undefined || j + 1 >= args.length) return SENTINEL_ERR.debugUnknownOption(option);
    const v = args[++j]!;
    const n = parseLongLong(v);
    if (n === null || n <= 0) return SENTINEL_ERR.debugInvalidArgument(v, option);
    t[entry[1]] = n;
  }
  return null;
}

/** SENTINEL DEBUG: the 13 parameters, upper case, in reference order. */
export function debugGet(core: SentinelCore): [string, number][] {
  return DEBUG_PARAMS.map(([n, k]) => [n.toUpperCase(), core.state.timing[k]]);
}

export type SimulateResult = { kind: 'ok' } | { kind: 'help' } | { kind: 'error'; error: string };

/** SENTINEL SIMULATE-FAILURE: flags are reset, then set from the arguments in order. */
export function simulateFailure(core: SentinelCore, args: readonly string[]): SimulateResult {
  const st = core.state;
  st.simFailureFlags = 0;
  for (const a of args) {
    const l = a.toLowerCase();
    if (l === 'crash-after-election') st.simFailureFlags |= SIMFAILURE_CRASH_AFTER_ELECTION;
    else if (l === 'crash-after-promotion') st.simFailureFlags |= SIMFAILURE_CRASH_AFTER_PROMOTION;
    else if (l === 'help') return { kind: 'help' };
    else return { kind: 'error', error: SENTINEL_ERR.unknownSimulation };
  }
  return { kind: 'ok' };
}

export interface QuorumCheck {
  readonly usable: number;
  readonly noQuorum: boolean;
  readonly noAuth: boolean;
}

/** sentinelIsQuorumReachable: ourselves plus peers not SDOWN must reach both the quorum and the majority. */
export function checkQuorum(m: Master): QuorumCheck {
  const voters = m.sentinels.size + 1;
  let usable = 1;
  for (const p of m.sentinels.values()) if (!p.sDown) usable++;
  return { usable, noQuorum: usable < m.quorum, noAuth: usable < Math.floor(voters / 2) + 1 };
}
