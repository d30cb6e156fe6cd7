/**
 * Pure readers for the replies of a Sentinel-compatible server, as the admin commands (status, probe, failover)
 * see them through ioredis: instance records from SENTINEL MASTERS/SLAVES/SENTINELS, INFO text, SENTINEL
 * INFO-CACHE. They accept real redis-sentinel 7.0 replies and tsentinel's alike, and never throw on a strange
 * reply: a missing or malformed field reads as undefined so one odd server cannot crash a probe.
 */

/**
 * One instance record, `[k, v, k, v, …]` as addReplySentinelRedisInstance (sentinel.c) emits it in RESP2 — and as
 * ioredis's default "legacy" reply mapping flattens the RESP3 map — or an already-built object.
 */
export function pairsToRecord(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const k: unknown = reply[i];
      const v: unknown = reply[i + 1];
      if (typeof k === 'string' || Buffer.isBuffer(k)) out[String(k)] = scalarText(v);
    }
  } else if (reply !== null && typeof reply === 'object') {
    for (const [k, v] of Object.entries(reply)) out[k] = scalarText(v);
  }
  return out;
}

function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return '';
}

/** A list of instance records (SENTINEL MASTERS, SLAVES, SENTINELS). Non-array replies read as empty. */
export function recordsOf(reply: unknown): Record<string, string>[] {
  return Array.isArray(reply) ? reply.map(pairsToRecord) : [];
}

/** An integer field; sentinel sends every number as a bulk string. */
export function intField(rec: Record<string, string>, key: string): number | undefined {
  const s = rec[key];
  if (s === undefined || !/^-?\d+$/.test(s)) return undefined;
  return Number(s);
}

export function flagsOf(rec: Record<string, string>): string[] {
  const s = rec['flags'];
  return s === undefined || s === '' ? [] : s.split(',');
}

/** `host:port`, bracketing IPv6 literals the way redis-cli and Redis's own anetFormatAddr do. */
export function formatAddress(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `field:value` lines of an INFO reply (section headers and blank lines skipped; CRLF or LF). */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) out.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return out;
}

/** A replica as its master reports it in INFO replication (`slaveN:ip=…,port=…,state=…,offset=…,lag=…`). */
export interface InfoReplicaLine {
  ip: string;
  port: number;
  state: string;
  offset: number;
  lagSeconds: number;
}

export function replicaLinesOf(info: Map<string, string>): InfoReplicaLine[] {
  const out: InfoReplicaLine[] = [];
  for (const [k, v] of info) {
    if (!/^slave\d+$/.test(k)) continue;
    const kv = new Map(v.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
    const port = Number(kv.get('port'));
    const ip = kv.get('ip');
    if (ip === undefined || !Number.isInteger(port)) continue;
    out.push({
      ip,
      port,
      state: kv.get('state') ?? '',
      offset: Number(kv.get('offset') ?? NaN),
      lagSeconds: Number(kv.get('lag') ?? NaN),
    });
  }
  return out;
}

/**
 * SENTINEL INFO-CACHE reply (sentinel.c sentinelCommand "info-cache"): `[name, [[age_ms, info|null], …], …]`, the
 * master's entry first, then its replicas'. Returns the INFO texts keyed by master name; null entries skipped.
 */
export function parseInfoCache(reply: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const name: unknown = reply[i];
    const entries: unknown = reply[i + 1];
    if (typeof name !== 'string' || !Array.isArray(entries)) continue;
    const infos: string[] = [];
    for (const e of entries) {
      if (Array.isArray(e) && typeof e[1] === 'string') infos.push(e[1]);
    }
    out.set(name, infos);
  }
  return out;
}
