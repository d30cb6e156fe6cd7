/**
 * Text renderings of a log record for operators who grep Redis logs (server.c serverLogRaw) or ship Valkey's
 * logfmt (valkey server.c, log-format logfmt). Pure: the record, the time zone and nothing else.
 *
 *   legacy  1:X 21 Nov 2026 09:24:49.095 # +sdown master mymaster 127.0.0.1 6379
 *   logfmt  pid=1 role=sentinel timestamp="21 Nov 2026 09:24:49.095" level=warning message="+sdown master …"
 */

/** Who is logging: Redis's role chars X sentinel, M master, S replica, C child (fork). */
export type LogRole = 'sentinel' | 'master' | 'replica' | 'child';

/** Redis log levels, plus `nothing` (no output). */
export type RedisLogLevel = 'debug' | 'verbose' | 'notice' | 'warning' | 'nothing';

/** Redis level → pino level (clients-and-ops.md §4.3). */
export const PINO_LEVEL: Readonly<Record<RedisLogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'silent'>> = {
  debug: 'trace',
  verbose: 'debug',
  notice: 'info',
  warning: 'warn',
  nothing: 'silent',
};

const ROLE_CHAR: Readonly<Record<LogRole, string>> = { sentinel: 'X', master: 'M', replica: 'S', child: 'C' };
/** Valkey's logfmt role names (it says primary and RDB/AOF). */
const ROLE_NAME: Readonly<Record<LogRole, string>> = { sentinel: 'sentinel', master: 'primary', replica: 'replica', child: 'RDB/AOF' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The fields a text format needs from a pino record. */
export interface LogRecord {
  readonly level: number;
  readonly time: number;
  readonly pid: number;
  readonly role: LogRole;
  readonly msg: string;
}

export type TimeZone = 'local' | 'utc';

/** Redis level char for a pino level number: `.` debug, `-` verbose, `*` notice, `#` warning (and above). */
export function levelChar(level: number): string {
  if (level >= 40) return '#';
  if (level >= 30) return '*';
  if (level >= 20) return '-';
  return '.';
}

/** Valkey logfmt level names (verbose is printed as `info`). */
export function levelName(level: number): string {
  if (level >= 40) return 'warning';
  if (level >= 30) return 'notice';
  if (level >= 20) return 'info';
  return 'debug';
}

/** `%d %b %Y %H:%M:%S.mmm` (server.c serverLogRaw), in local time like Redis unless `utc`. */
export function formatLogTime(ms: number, tz: TimeZone): string {
  const d = new Date(ms);
  const utc = tz === 'utc';
  const day = utc ? d.getUTCDate() : d.getDate();
  const mon = utc ? d.getUTCMonth() : d.getMonth();
  const year = utc ? d.getUTCFullYear() : d.getFullYear();
  const h = utc ? d.getUTCHours() : d.getHours();
  const m = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const msPart = ((ms % 1000) + 1000) % 1000;
  return `${pad(day)} ${MONTHS[mon]} ${year} ${pad(h)}:${pad(m)}:${pad(s)}.${String(Math.floor(msPart)).padStart(3, '0')}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function formatLegacyLine(r: LogRecord, tz: TimeZone): string {
  return `${r.pid}:${ROLE_CHAR[r.role]} ${formatLogTime(r.time, tz)} ${levelChar(r.level)} ${r.msg}\n`;
}

/** Valkey filterInvalidLogfmtChar: `"` becomes `'`, CR and LF become spaces. */
export function formatLogfmtLine(r: LogRecord, tz: TimeZone): string {
  const message = r.msg.replace(/"/g, "'").replace(/[\r\n]/g, ' ');
  return `pid=${r.pid} role=${ROLE_NAME[r.role]} timestamp="${formatLogTime(r.time, tz)}" level=${levelName(r.level)} message="${message}"\n`;
}

/**
 * Turns one line of pino JSON into a LogRecord, tolerating anything (a record without msg logs its error
 * message, or nothing). Returns undefined for a line that is not a JSON object.
 */
export function recordFromJson(line: string, fallback: { pid: number; role: LogRole }): LogRecord | undefined {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const rec = o as Record<string, unknown>;
  const err = rec['err'];
  let msg = typeof rec['msg'] === 'string' ? rec['msg'] : '';
  if (typeof err === 'object' && err !== null && typeof (err as { message?: unknown }).message === 'string') {
    const em = (err as { message: string }).message;
    // pino already uses the message of a bare logged Error as msg
    if (msg === '') msg = em;
    else if (msg !== em) msg = `${msg}: ${em}`;
  }
  const role = rec['role'];
  return {
    level: typeof rec['level'] === 'number' ? rec['level'] : 30,
    time: typeof rec['time'] === 'number' ? rec['time'] : 0,
    pid: typeof rec['pid'] === 'number' ? rec['pid'] : fallback.pid,
    role: role === 'sentinel' || role === 'master' || role === 'replica' || role === 'child' ? role : fallback.role,
    msg,
  };
}
