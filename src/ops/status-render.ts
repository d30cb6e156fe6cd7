/**
 * `tsentinel status` output: a terminal view readable at a glance (pure: snapshot + events in, text out) and a
 * stable JSON document for scripts. Ages shown are the sentinel's own (`last-ok-ping-reply` etc. are "ms ago" at
 * the moment it answered), so no clock is read here.
 */
import { formatEventJson, formatEventLine, type SentinelEvent } from './events.js';
import type { MasterStatus, StatusSnapshot } from './status-model.js';

export interface RenderOptions {
  color: boolean;
  /** Events to show under "recent events" (oldest first); omitted when undefined. */
  events?: readonly SentinelEvent[] | undefined;
  /** How many of them to show. */
  maxEvents?: number;
}

const C = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };

function paint(color: boolean, code: string, s: string): string {
  return color ? `${code}${s}${C.reset}` : s;
}

/** `850ms`, `4.2s`, `3m05s`, `2h10m`; `-` when unknown. */
export function formatAge(ms: number | undefined): string {
  if (ms === undefined || ms < 0) return '-';
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `512 B`, `1.5 KiB`, `3.2 MiB`; `-` when unknown. */
export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '-';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Left-aligned columns; widths from the content (ANSI codes excluded from the measure). */
export function table(rows: readonly (readonly string[])[], indent: string): string[] {
  const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows.map((r) =>
    (indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visible(cell)))).join('  ')).trimEnd(),
  );
}

function flagText(flags: readonly string[], base: string): string {
  const extra = flags.filter((f) => f !== base);
  return extra.length === 0 ? base : `${base},${extra.join(',')}`;
}

function healthText(m: MasterStatus, color: boolean): string {
  if (m.health === 'odown') return paint(color, C.red, 'ODOWN');
  if (m.health === 'sdown') return paint(color, C.yellow, 'SDOWN');
  if (m.flags.includes('disconnected')) return paint(color, C.yellow, 'disconnected');
  return paint(color, C.green, 'ok');
}

function renderMaster(m: MasterStatus, color: boolean): string[] {
  const out: string[] = [];
  const failover = m.flags.includes('failover_in_progress')
    ? paint(color, C.yellow, `  FAILOVER ${m.failoverState ?? 'in progress'}`)
    : '';
  out.push(
    `${paint(color, C.bold, `master ${m.name}`)}  ${m.address}  ${healthText(m, color)}  epoch ${m.configEpoch ?? '-'}${failover}`,
  );
  const q = m.quorumCheck;
  const quorumText = q.ok
    ? paint(color, C.green, `OK, ${q.usable ?? '?'} usable`)
    : paint(color, C.red, q.message.replace(/^NOQUORUM /, 'NO QUORUM, '));
  out.push(
    `  quorum ${m.quorum ?? '-'} of ${m.sentinelCount} sentinels: ${quorumText}` +
      `   down-after ${formatAge(m.downAfterMs)}  failover-timeout ${formatAge(m.failoverTimeoutMs)}` +
      `  parallel-syncs ${m.parallelSyncs ?? '-'}`,
  );
  out.push(`  replicas (${m.replicas.length})`);
  if (m.replicas.length > 0) {
    const rows = [['ADDRESS', 'LINK', 'PRIORITY', 'OFFSET', 'LAG', 'ACK', 'FLAGS']];
    for (const r of m.replicas) {
      const down = r.flags.includes('s_down') || r.flags.includes('o_down') || r.flags.includes('disconnected');
      const link = r.link === 'ok' ? paint(color, C.green, 'up') : paint(color, C.red, r.link === undefined ? '-' : 'down');
      rows.push([
        r.address,
        link,
        r.priority === 0 ? paint(color, C.dim, '0 (never)') : String(r.priority ?? '-'),
        String(r.offset ?? '-'),
        formatBytes(r.lagBytes),
        r.ackLagSeconds === undefined ? '-' : `${r.ackLagSeconds}s`,
        down ? paint(color, C.red, flagText(r.flags, 'slave')) : flagText(r.flags, 'slave'),
      ]);
    }
    out.push(...table(rows, '    '));
  }
  out.push(`  sentinels (${m.sentinelCount}, including this one)`);
  if (m.sentinels.length > 0) {
    const rows = [['ADDRESS', 'ID', 'LAST HELLO', 'LAST PING OK', 'VOTED', 'FLAGS']];
    for (const s of m.sentinels) {
      const down = s.flags.some((f) => f === 's_down' || f === 'o_down' || f === 'disconnected');
      rows.push([
        s.address,
        s.id.slice(0, 8),
        formatAge(s.lastHelloMs),
        formatAge(s.lastOkPingMs),
        s.votedLeader === undefined ? '-' : `${s.votedLeader.slice(0, 8)} @${s.votedLeaderEpoch ?? '?'}`,
        down ? paint(color, C.red, flagText(s.flags, 'sentinel')) : flagText(s.flags, 'sentinel'),
      ]);
    }
    out.push(...table(rows, '    '));
  }
  return out;
}

/** The terminal view. Ends with a newline. */
export function renderStatus(snap: StatusSnapshot, opts: RenderOptions): string {
  const { color } = opts;
  const s = snap.sentinel;
  const head = [
    `sentinel ${s.address}`,
    s.id !== undefined ? `id ${s.id.slice(0, 8)}` : undefined,
    s.version !== undefined ? `version ${s.version}` : undefined,
    s.tilt === true ? paint(color, C.red, 'TILT') : undefined,
    `${snap.masters.length} master${snap.masters.length === 1 ? '' : 's'}`,
    new Date(snap.takenAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
  ].filter((x) => x !== undefined);
  const lines = [head.join(' · '), ''];
  if (snap.masters.length === 0) lines.push('no masters monitored', '');
  for (const m of snap.masters) lines.push(...renderMaster(m, color), '');
  if (opts.events !== undefined) {
    const recent = opts.events.slice(-(opts.maxEvents ?? 10));
    lines.push(`recent events${recent.length === 0 ? ': none yet' : ''}`);
    for (const e of recent) lines.push(`  ${formatEventLine(e, color)}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** JSON schema id; bump when a field changes meaning or disappears (additions keep the version). */
export const STATUS_JSON_SCHEMA = 'tsentinel.status/v1';

/**
 * The `--json` document. Keys keep a fixed order and unknown values are `null` (never missing), so consumers can
 * rely on the shape; times are ISO 8601.
 */
export function statusToJson(snap: StatusSnapshot, events?: readonly SentinelEvent[]): string {
  const doc = {
    schema: STATUS_JSON_SCHEMA,
    time: new Date(snap.takenAt).toISOString(),
    sentinel: snap.sentinel,
    masters: snap.masters,
    ...(events !== undefined ? { events: events.map((e) => JSON.parse(formatEventJson(e)) as unknown) } : {}),
  };
  return JSON.stringify(doc, (_k, v: unknown) => (v === undefined ? null : v));
}

/**
 * A full-screen redraw without flicker: cursor home, each line cleared to its end, then the rest of the screen
 * cleared (instead of wiping the screen first and painting after).
 */
export function terminalFrame(text: string): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return `\x1b[H${body.split('\n').map((l) => `${l}\x1b[K`).join('\n')}\n\x1b[J`;
}
