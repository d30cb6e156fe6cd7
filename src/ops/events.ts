/**
 * Sentinel events as a subscriber receives them (`PSUBSCRIBE *`: the channel is the event name, the payload its
 * text, sentinel.c sentinelEvent), parsed into structure for `tsentinel events --json` and the status view, and
 * formatted for terminals. Payload shapes follow sentinel.md §6: `%@` is `<type> <name> <ip> <port>`, followed by
 * `@ <master-name> <master-ip> <master-port>` for replicas and sentinels.
 */

export interface EventInstance {
  type: 'master' | 'slave' | 'sentinel';
  name: string;
  ip: string;
  port: number;
}

export interface SentinelEvent {
  /** Wall-clock ms when the event was received. */
  time: number;
  /** The channel, which is the event name (`+sdown`, `+switch-master`, …). */
  event: string;
  /** The payload exactly as published. */
  message: string;
  /** The instance the event is about, when the payload starts with `%@`. */
  instance?: EventInstance;
  /** The master name: from `@ <master> …`, from a master instance, or from +switch-master. */
  master?: string;
  /** +switch-master only: the old and new master addresses. */
  from?: { ip: string; port: number };
  to?: { ip: string; port: number };
  /** Whatever follows `%@` (`#quorum 2/3`, `quorum 2`, `new reported role is master`, …). */
  detail?: string;
}

const INSTANCE_TYPES = new Set(['master', 'slave', 'sentinel']);

/**
 * WARNING-level events (sentinel.c sentinelEvent callers with LL_WARNING); everything else published is NOTICE or
 * VERBOSE. Used only to highlight lines in a terminal.
 */
const WARNING_EVENTS = new Set([
  '+monitor', '-monitor', '+reset-master', '+sdown', '-sdown', '+odown', '-odown', '+new-epoch', '+vote-for-leader',
  '+try-failover', '+elected-leader', '+failover-state-select-slave', '+selected-slave', '+promoted-slave',
  '+failover-state-reconf-slaves', '+failover-end-for-timeout', '+failover-end', '-failover-abort-not-elected',
  '-failover-abort-no-good-slave', '-failover-abort-slave-timeout', '+switch-master', '+config-update-from', '+set',
  '+tilt', '-tilt', '-script-error', '-script-timeout',
]);

export function isWarningEvent(event: string): boolean {
  return WARNING_EVENTS.has(event);
}

function port(s: string | undefined): number | undefined {
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
}

export function parseEvent(channel: string, message: string, time: number): SentinelEvent {
  const ev: SentinelEvent = { time, event: channel, message };
  const t = message.split(' ');
  if (channel === '+switch-master' && t.length === 5) {
    const [name, oldIp, oldPort, newIp, newPort] = t as [string, string, string, string, string];
    const op = port(oldPort);
    const np = port(newPort);
    if (op !== undefined && np !== undefined) {
      ev.master = name;
      ev.from = { ip: oldIp, port: op };
      ev.to = { ip: newIp, port: np };
    }
    return ev;
  }
  const [type, name, ip, p] = t;
  const instPort = port(p);
  if (type === undefined || !INSTANCE_TYPES.has(type) || name === undefined || ip === undefined || instPort === undefined) {
    return ev;
  }
  ev.instance = { type: type as EventInstance['type'], name, ip, port: instPort };
  let rest = t.slice(4);
  if (type === 'master') {
    ev.master = name;
  } else if (rest[0] === '@' && rest.length >= 4) {
    ev.master = rest[1];
    rest = rest.slice(4);
  }
  if (rest.length > 0) ev.detail = rest.join(' ');
  return ev;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Local `HH:MM:SS.mmm`, short enough for a tail. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

const RED = '\x1b[31m';
const YELLOW = '\x1b[33m';
const GREEN = '\x1b[32m';
const RESET = '\x1b[0m';

/** One terminal line: `10:12:03.456 +sdown master mymaster 127.0.0.1 6379`, warnings coloured when `color`. */
export function formatEventLine(ev: SentinelEvent, color: boolean): string {
  const text = `${ev.event} ${ev.message}`;
  if (!color) return `${clockTime(ev.time)} ${text}`;
  const c = ev.event === '+switch-master' || ev.event === '-odown' || ev.event === '+failover-end'
    ? GREEN
    : ev.event.startsWith('-failover-abort') || ev.event === '+odown' || ev.event === '+tilt'
      ? RED
      : isWarningEvent(ev.event)
        ? YELLOW
        : '';
  return c === '' ? `${clockTime(ev.time)} ${text}` : `${clockTime(ev.time)} ${c}${text}${RESET}`;
}

/** One NDJSON line with a stable key order; the time as ISO 8601. */
export function formatEventJson(ev: SentinelEvent): string {
  return JSON.stringify({
    time: new Date(ev.time).toISOString(),
    event: ev.event,
    message: ev.message,
    master: ev.master ?? null,
    instance: ev.instance ?? null,
    detail: ev.detail ?? null,
    ...(ev.from !== undefined ? { from: ev.from, to: ev.to } : {}),
  });
}
