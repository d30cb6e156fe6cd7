/**
 * `sentinel …` directives of sentinel.conf (sentinel.c sentinelHandleConfiguration / queueSentinelConfig /
 * loadSentinelConfigFromQueue). Lines arrive already split (args after the `sentinel` keyword) and are applied in
 * the reference's fixed order whatever their order in the file: the pre-monitor set, then every `monitor`, then
 * the rest. An error stops loading and is reported with file and line.
 */
import { ConfigError } from '../../common/errors.js';
import { atoi, isIpLiteral, strtoull } from '../protocol/addr.js';
import { SENTINEL_CONFIG_ERR as E } from '../protocol/error-text.js';
import { parseYesNo } from '../protocol/numbers.js';
import type { Ctx } from '../core/context.js';
import type { SentinelCore } from '../core/core.js';
import {
  createErrorText,
  createMaster,
  createPeer,
  createReplica,
  makeInstanceAddr,
  propagateDownAfter,
  tryConnectionSharing,
} from '../core/instances.js';
import type { Master } from '../core/model.js';

export interface SentinelDirective {
  /** Arguments after the `sentinel` keyword (`['monitor', 'mymaster', '127.0.0.1', '6379', '2']`). */
  readonly args: readonly string[];
  readonly file?: string;
  readonly line?: number;
  /** The original line, for the error message. */
  readonly text?: string;
}

export interface DirectivePorts {
  /** access(path, X_OK) */
  isExecutable(path: string): boolean;
}

const PRE_MONITOR = new Set([
  'announce-ip',
  'announce-port',
  'deny-scripts-reconfig',
  'sentinel-user',
  'sentinel-pass',
  'current-epoch',
  'myid',
  'resolve-hostnames',
  'announce-hostnames',
]);

/** Apply all directives in load order; throws ConfigError (file:line) on the first bad one, like the reference's exit(1). */
export function loadSentinelDirectives(core: SentinelCore, now: number, directives: readonly SentinelDirective[], ports: DirectivePorts): void {
  const rank = (d: SentinelDirective): number => {
    const k = (d.args[0] ?? '').toLowerCase();
    return PRE_MONITOR.has(k) ? 0 : k === 'monitor' ? 1 : 2;
  };
  const ordered = [...directives].map((d, i) => ({ d, i })).sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i);
  const ctx = core.begin(now);
  for (const { d } of ordered) {
    const err = applySentinelDirective(ctx, d.args, ports);
    if (err !== null) throw new ConfigError(err, { file: d.file, line: d.line, text: d.text });
  }
}

/** One directive; returns the reference's error text or null. */
export function applySentinelDirective(ctx: Ctx, argv: readonly string[], ports: DirectivePorts): string | null {
  const st = ctx.state;
  const argc = argv.length;
  const key = (argv[0] ?? '').toLowerCase();
  const master = (): Master | null => st.masters.get(argv[1]!) ?? null;

  if (key === 'monitor' && argc === 5) {
    const quorum = atoi(argv[4]!);
    if (quorum <= 0) return E.quorumMin;
    const addr = makeInstanceAddr(st, argv[2]!, atoi(argv[3]!));
    if (typeof addr === 'string') return createErrorText(addr, 'master');
    const m = createMaster(st, argv[1]!, addr, quorum, ctx.now);
    return typeof m === 'string' ? createErrorText(m, 'master') : null;
  }
  if ((key === 'down-after-milliseconds' || key === 'failover-timeout') && argc === 3) {
    const m = master();
    if (m === null) return E.noSuchMaster;
    const v = atoi(argv[2]!);
    if (key === 'down-after-milliseconds') {
      m.downAfter = v;
      if (v <= 0) return E.nonPositiveTime;
      propagateDownAfter(m);
    } else {
      m.failoverTimeout = v;
      if (v <= 0) return E.nonPositiveTime;
    }
    return null;
  }
  if (key === 'parallel-syncs' && argc === 3) {
    const m = master();
    if (m === null) return E.noSuchMaster;
    m.parallelSyncs = atoi(argv[2]!);
    return null;
  }
  if ((key === 'notification-script' || key === 'client-reconfig-script') && argc === 3) {
    const m = master();
    if (m === null) return E.noSuchMaster;
    if (!ports.isExecutable(argv[2]!)) return key === 'notification-script' ? E.notificationScript : E.reconfigScript;
    if (key === 'notification-script') m.notificationScript = argv[2]!;
    else m.clientReconfigScript = argv[2]!;
    return null;
  }
  if ((key === 'auth-pass' || key === 'auth-user') && argc === 3) {
    const m = master();
    if (m === null) return E.noSuchMaster;
    if (key === 'auth-pass') m.authPass = argv[2]!;
    else m.authUser = argv[2]!;
    return null;
  }
  if (key === 'current-epoch' && argc === 2) {
    const e = strtoull(argv[1]!);
    if (e > st.currentEpoch) st.currentEpoch = e;
    return null;
  }
  if (key === 'myid' && argc === 2) {
    if (argv[1]!.length !== 40) return E.malformedMyid;
    st.myid = argv[1]!;
    return null;
  }
  if (key === 'config-epoch' && argc === 3) {
    const m = master();
    if (m === null) return E.noSuchMaster;
    m.configEpoch = strtoull(argv[2]!);
    if (m.configEpoch > st.currentEpoch) st.currentEpoch = m.configEpoch;
    return null;
  }
  if (key === 'leader-epoch' && argc === 3) {
    const m = master();
    if (m === null) return E.noSuchMaster;
    m.leaderEpoch = strtoull(argv[2]!);
    return null;
  }
  if ((key === 'known-slave' || key === 'known-replica') && argc === 4) {
    const m = master();
    if (m === null) return E.noSuchMaster;
    const addr = makeInstanceAddr(st, argv[2]!, atoi(argv[3]!));
    if (typeof addr === 'string') return createErrorText(addr, 'slave');
    const r = createReplica(st, m, addr, ctx.now);
    return typeof r === 'string' ? createErrorText(r, 'slave') : null;
  }
  if (key === 'known-sentinel' && (argc === 4 || argc === 5)) {
    if (argc === 4) return null; // the pre-runid form is silently ignored
    const m = master();
    if (m === null) return E.noSuchMaster;
    const addr = makeInstanceAddr(st, argv[2]!, atoi(argv[3]!));
    if (typeof addr === 'string') return createErrorText(addr, 'sentinel');
    const p = createPeer(st, m, argv[4]!, addr, ctx.now);
    if (typeof p === 'string') return createErrorText(p, 'sentinel');
    tryConnectionSharing(ctx, p);
    return null;
  }
  if (key === 'rename-command' && argc === 4) {
    const m = master();
    if (m === null) return E.noSuchMaster;
    const from = argv[2]!;
    if (m.renamedCommands.has(from.toLowerCase())) return E.renameTwice;
    m.renamedCommands.set(from.toLowerCase(), { from, to: argv[3]! });
    return null;
  }
  if (key === 'announce-ip' && argc === 2) {
    if (argv[1]!.length > 0) st.config.announceIp = argv[1]!;
    return null;
  }
  if (key === 'announce-port' && argc === 2) {
    st.config.announcePort = atoi(argv[1]!);
    return null;
  }
  if (key === 'deny-scripts-reconfig' && argc === 2) {
    const b = parseYesNo(argv[1]!);
    if (b === null) return E.denyScriptsYesNo;
    st.config.denyScriptsReconfig = b;
    return null;
  }
  if ((key === 'sentinel-user' || key === 'sentinel-pass') && argc === 2) {
    if (argv[1]!.length > 0) {
      if (key === 'sentinel-user') st.config.sentinelUser = argv[1]!;
      else st.config.sentinelPass = argv[1]!;
    }
    return null;
  }
  if ((key === 'resolve-hostnames' || key === 'announce-hostnames') && argc === 2) {
    const b = parseYesNo(argv[1]!);
    if (b === null) return E.yesNo(key);
    if (key === 'resolve-hostnames') st.config.resolveHostnames = b;
    else st.config.announceHostnames = b;
    return null;
  }
  // Valkey 8 spells it primary-…; accepting the alias lets a Valkey-written file load.
  if ((key === 'master-reboot-down-after-period' || key === 'primary-reboot-down-after-period') && argc === 3) {
    const m = master();
    if (m === null) return E.noSuchMaster;
    m.masterRebootDownAfter = atoi(argv[2]!);
    if (m.masterRebootDownAfter < 0) return E.negativeTime;
    return null;
  }
  return E.unrecognized;
}

/** Hostnames the directives mention, so the loader can resolve them (asynchronously) before applying. */
export function hostnamesIn(directives: readonly SentinelDirective[]): string[] {
  const out = new Set<string>();
  for (const d of directives) {
    const k = (d.args[0] ?? '').toLowerCase();
    const host = k === 'monitor' ? d.args[2] : k === 'known-replica' || k === 'known-slave' || k === 'known-sentinel' ? d.args[2] : undefined;
    if (host !== undefined && !isIpLiteral(host)) out.add(host);
  }
  return [...out];
}
