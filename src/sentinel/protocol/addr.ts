/**
 * Instance addresses as sentinel.c's `sentinelAddr` keeps them: the host as given (an IP, or a hostname when
 * resolve-hostnames is on), the resolved IP used for identity, and the port. Resolution itself is I/O and happens
 * in the driver; the core only carries what it was told.
 */
import { isIP } from 'node:net';

export interface Addr {
  /** As configured or announced (sentinelAddr.hostname). */
  readonly host: string;
  /** Resolved address (sentinelAddr.ip); equals host for IP literals and for hostnames not resolved yet. */
  readonly ip: string;
  readonly port: number;
}

export function isIpLiteral(host: string): boolean {
  return isIP(host) !== 0;
}

/** An address for `host`: IP literals are their own IP; hostnames start unresolved (ip = host). */
export function makeAddr(host: string, port: number, ip?: string): Addr {
  return { host, ip: ip ?? host, port };
}

/** sentinelAddrIsEqual: same port and case-insensitively equal IP. */
export function addrEqual(a: Addr, b: Addr): boolean {
  return a.port === b.port && a.ip.toLowerCase() === b.ip.toLowerCase();
}

/** sentinelAddrEqualsHostname: `host` (as a replica's INFO or a hello reports it) names the same IP as `a`. */
export function addrMatchesHost(a: Addr, host: string, resolved?: string | null): boolean {
  const ip = resolved ?? host;
  return a.ip.toLowerCase() === ip.toLowerCase() || a.host.toLowerCase() === host.toLowerCase();
}

/** announceSentinelAddr: what replies, events, hellos and the config file show. */
export function announceHost(a: Addr, announceHostnames: boolean): string {
  return announceHostnames ? a.host : a.ip;
}

/** announceSentinelAddrAndPort: `ip:port`, or `[ip]:port` for IPv6 (a replica's instance name). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Strict decimal port 0..65535 as atoi-based parsers accept it from INFO/hello (leading digits; garbage = 0). */
export function atoi(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  if (m === null) return 0;
  const n = Number.parseInt(m[1]!, 10);
  if (n > 2147483647) return -1; // overflow as the C int would wrap; callers treat it as invalid
  if (n < -2147483648) return 0;
  return n;
}

/** strtoull(s, NULL, 10) for epochs and offsets: leading digits, 0 when none. */
export function strtoull(s: string): number {
  const m = /^\s*\+?(\d+)/.exec(s);
  if (m === null) return 0;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : 0;
}
