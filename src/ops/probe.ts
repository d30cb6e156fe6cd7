/**
 * Health decisions for `tsentinel probe` and the HTTP /readyz of the daemons (pure; the gathering is in
 * src/cli/commands/probe.ts). Exact semantics, also documented in the README:
 *
 * liveness — the process answers: PING replies PONG, or an error that only a live server sends (LOADING,
 *   MASTERDOWN, BUSY, NOAUTH; bitnami's chart treats LOADING/MASTERDOWN as alive for the same reason). Never looks
 *   at masters or replication: restarting a healthy process because its master is down only adds outages.
 *
 * readiness of a sentinel — it can give clients a trustworthy answer:
 *   - it monitors at least one master;
 *   - for every master, the address it hands out has been confirmed: the sentinel reached an instance there that
 *     reported itself (runid known, sentinel.c leaves it empty until the first INFO), and it is not the bootstrap
 *     placeholder given with --placeholder (spotahome's operator seeds `127.0.0.1` and calls the sentinel ready
 *     only once it has been pointed elsewhere);
 *   - for every master, CKQUORUM succeeds (quorum and majority reachable from here).
 *   A master being down does NOT make the sentinel unready: during a failover every sentinel sees the master down,
 *   and clients need them most then.
 *
 * readiness of a data node (tredis or redis-server) — spotahome's SlaveIsReady: not loading, and on a replica the
 *   link to its master is up and no sync is in progress. A master is ready once loaded.
 */
import { flagsOf, parseInfo } from './sentinel-replies.js';
import { errorText, type QuorumCheck } from './status-model.js';

export interface ProbeResult {
  ok: boolean;
  /** One line: why (not) ready / alive. */
  reason: string;
}

/** Errors that prove a live server behind them (server.c processCommand rejections). */
const ALIVE_ERRORS = /^(LOADING|MASTERDOWN|BUSY|NOAUTH)\b/;

export function livenessOf(reply: unknown, error?: unknown): ProbeResult {
  if (error !== undefined) {
    const msg = errorText(error);
    if (ALIVE_ERRORS.test(msg)) return { ok: true, reason: `alive (PING answered ${msg.split(' ')[0]})` };
    return { ok: false, reason: msg };
  }
  if (reply === 'PONG') return { ok: true, reason: 'alive (PONG)' };
  return { ok: false, reason: `unexpected PING reply: ${JSON.stringify(reply)}` };
}

export interface MasterProbeInput {
  record: Record<string, string>;
  quorum: QuorumCheck;
}

/** Placeholder matching: a host, or host:port. */
function isPlaceholder(ip: string, port: string, placeholder: string | undefined): boolean {
  if (placeholder === undefined || placeholder === '') return false;
  return placeholder === ip || placeholder === `${ip}:${port}`;
}

export function sentinelReadiness(masters: readonly MasterProbeInput[], placeholder?: string): ProbeResult {
  if (masters.length === 0) return { ok: false, reason: 'not ready: no master monitored' };
  const problems: string[] = [];
  for (const { record, quorum } of masters) {
    const name = record['name'] ?? '?';
    const ip = record['ip'] ?? '';
    const port = record['port'] ?? '';
    if (isPlaceholder(ip, port, placeholder)) problems.push(`${name}: still at the placeholder address ${ip}:${port}`);
    else if ((record['runid'] ?? '') === '') {
      const flags = flagsOf(record).filter((f) => f !== 'master');
      problems.push(`${name}: address ${ip}:${port} not confirmed yet${flags.length > 0 ? ` (${flags.join(',')})` : ''}`);
    }
    if (!quorum.ok) problems.push(`${name}: ${quorum.message}`);
  }
  if (problems.length > 0) return { ok: false, reason: `not ready: ${problems.join('; ')}` };
  return { ok: true, reason: `ready: ${masters.length} master${masters.length === 1 ? '' : 's'} known, quorum reachable` };
}

export function nodeReadiness(infoText: string): ProbeResult {
  const info = parseInfo(infoText);
  if (info.get('loading') === '1') return { ok: false, reason: 'not ready: loading the dataset' };
  const role = info.get('role');
  if (role === 'master') return { ok: true, reason: 'ready: master' };
  if (role === 'slave') {
    const link = info.get('master_link_status');
    const master = `${info.get('master_host') ?? '?'}:${info.get('master_port') ?? '?'}`;
    if (link !== 'up') return { ok: false, reason: `not ready: replica of ${master}, link ${link ?? 'unknown'}` };
    if (info.get('master_sync_in_progress') === '1') return { ok: false, reason: `not ready: replica of ${master}, sync in progress` };
    return { ok: true, reason: `ready: replica of ${master}, link up` };
  }
  return { ok: false, reason: `not ready: role ${role ?? 'unknown'}` };
}

/** Whether INFO comes from a sentinel (`redis_mode:sentinel` in # Server, server.c genRedisInfoString). */
export function isSentinelInfo(infoText: string): boolean {
  return parseInfo(infoText).get('redis_mode') === 'sentinel';
}
