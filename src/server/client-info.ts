/**
 * CLIENT LIST / CLIENT INFO lines (networking.c catClientInfoString, Redis 7.0.15 field order) and the client
 * types CLIENT KILL / CLIENT LIST TYPE / output-buffer limits use (getClientType, getClientTypeByName).
 */
import type { ClientSession } from './session.js';

export type ClientClass = 'normal' | 'replica' | 'master' | 'pubsub';

/** getClientType: master link, replica link, subscribed client, or normal. */
export function clientClass(s: ClientSession): ClientClass {
  if (s.kind === 'master') return 'master';
  if (s.kind === 'replica') return 'replica';
  if (s.isPubsub) return 'pubsub';
  return 'normal';
}

/** getClientTypeByName: `slave` and `replica` are the same class; null for anything else. */
export function clientClassByName(name: string): ClientClass | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'pubsub':
      return 'pubsub';
    case 'master':
      return 'master';
    default:
      return null;
  }
}

/** `ip:port`, `[v6]:port`, or `path:0` for the unix socket (anetFormatAddr); IPv4-mapped IPv6 shown as IPv4. */
export function formatAddr(ip: string | undefined, port: number | undefined): string {
  const host = normalizeIp(ip ?? '?');
  return host.includes(':') ? `[${host}]:${port ?? 0}` : `${host}:${port ?? 0}`;
}

export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/** connIsLocal: loopback IPv4/IPv6 (unix sockets are always local). */
export function isLoopback(ip: string): boolean {
  const a = normalizeIp(ip);
  return a.startsWith('127.') || a === '::1';
}

/** CLIENT LIST flags letters in Redis's order; `N` when none apply. */
export function clientFlags(s: ClientSession): string {
  let f = '';
  if (s.kind === 'replica') f += 'S';
  if (s.kind === 'master') f += 'M';
  if (s.isPubsub) f += 'P';
  if (s.inMulti) f += 'x';
  if (s.blocked) f += 'b';
  if (s.multiDirty) f += 'd';
  if (s.closing) f += 'c';
  if (s.unixSocket) f += 'U';
  if (s.noEvict) f += 'e';
  return f === '' ? 'N' : f;
}

/** Redis's fixed per-client overhead in tot-mem (sizeof(client) plus the static reply buffer), approximated. */
const CLIENT_OVERHEAD = 21264;
const READ_BUFFER = 16384;

/** One CLIENT LIST line without the trailing newline. `nowWall` in ms. */
export function clientInfoLine(s: ClientSession, nowWall: number): string {
  const sizes = { queryBuffer: s.transport?.pendingInput ?? 0, socketPending: s.transport?.pendingOutput ?? 0 };
  const age = Math.max(0, Math.floor((nowWall - s.createdAt) / 1000));
  const idle = Math.max(0, Math.floor((nowWall - s.lastInteraction) / 1000));
  let multiMem = 0;
  for (const q of s.multiQueue) for (const a of q.args) multiMem += a.length;
  const obl = s.writer.length;
  const omem = sizes.socketPending;
  const totMem = CLIENT_OVERHEAD + sizes.queryBuffer + s.argvBytes + multiMem + omem;
  const fd = s.transport?.fd ?? -1;
  return (
    `id=${s.id} addr=${s.addr} laddr=${s.laddr} fd=${fd} name=${s.name} age=${age} idle=${idle} ` +
    `flags=${clientFlags(s)} db=${s.db} sub=${s.channels.size} psub=${s.patterns.size} ssub=0 ` +
    `multi=${s.inMulti ? s.multiQueue.length : -1} qbuf=${sizes.queryBuffer} qbuf-free=${Math.max(0, READ_BUFFER - sizes.queryBuffer)} ` +
    `argv-mem=${s.argvBytes} multi-mem=${multiMem} rbs=${READ_BUFFER} rbp=${READ_BUFFER} obl=${obl} oll=0 omem=${omem} ` +
    `tot-mem=${totMem} events=${omem > 0 ? 'rw' : 'r'} cmd=${s.lastCommand} user=${s.user ?? 'default'} redir=-1 resp=${s.proto}`
  );
}
