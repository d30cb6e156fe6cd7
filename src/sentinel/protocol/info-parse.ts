/**
 * INFO text → snapshot, parsed line by line with the prefix matching of sentinel.c sentinelRefreshInstanceInfo.
 * Quirks kept on purpose, because they decide what a real sentinel would conclude from the same text:
 * - replica fields (master_host, master_port, master_link_status, slave_priority, slave_repl_offset,
 *   replica_announced) count only after a `role:slave` line has been seen;
 * - `run_id:` needs at least 40 characters after the prefix and takes exactly 40;
 * - `slave<N>:` lines accept the 2.8+ `ip=…,port=…` form and the legacy `<ip>,<port>,<state>` form;
 * - numbers go through atoi/strtoull semantics (leading digits, garbage = 0).
 * Parsing never throws: a garbage reply simply yields an empty snapshot.
 */
import { atoi, strtoull } from './addr.js';

export interface InfoReplicaLine {
  readonly ip: string;
  readonly port: number;
}

export interface InfoSnapshot {
  readonly runId: string | null;
  readonly role: 'master' | 'slave' | null;
  /** Present when `role:slave` preceded them. */
  readonly masterHost: string | null;
  readonly masterPort: number | null;
  readonly masterLinkUp: boolean | null;
  readonly slavePriority: number | null;
  readonly slaveReplOffset: number | null;
  readonly replicaAnnounced: number | null;
  /** master_link_down_since_seconds × 1000 (0 when absent, as the reference resets it on every INFO). */
  readonly masterLinkDownTime: number;
  /** `slave<N>:` lines, in order (only meaningful on a master). */
  readonly replicas: readonly InfoReplicaLine[];
  /** Not used by the reference; tsentinel reads them for fresh-offset ranking and logs. */
  readonly masterReplOffset: number | null;
  readonly masterReplId: string | null;
  readonly masterReplId2: string | null;
  readonly loading: boolean;
}

export function parseInfo(text: string): InfoSnapshot {
  let runId: string | null = null;
  let role: 'master' | 'slave' | null = null;
  let masterHost: string | null = null;
  let masterPort: number | null = null;
  let masterLinkUp: boolean | null = null;
  let slavePriority: number | null = null;
  let slaveReplOffset: number | null = null;
  let replicaAnnounced: number | null = null;
  let masterLinkDownTime = 0;
  let masterReplOffset: number | null = null;
  let masterReplId: string | null = null;
  let masterReplId2: string | null = null;
  let loading = false;
  const replicas: InfoReplicaLine[] = [];

  for (const l of text.split('\r\n')) {
    if (l.length >= 47 && l.startsWith('run_id:')) runId = l.slice(7, 47);

    if (l.length >= 7 && l.startsWith('slave') && isDigit(l.charCodeAt(5))) {
      const r = parseReplicaLine(l);
      if (r !== null) replicas.push(r);
    }

    if (l.length >= 32 && l.startsWith('master_link_down_since_seconds')) {
      masterLinkDownTime = strtoll(l.slice(31)) * 1000;
    }

    if (l.length >= 11 && l.startsWith('role:master')) role = 'master';
    else if (l.length >= 10 && l.startsWith('role:slave')) role = 'slave';

    if (role === 'slave') {
      if (l.length >= 12 && l.startsWith('master_host:')) masterHost = l.slice(12);
      if (l.length >= 12 && l.startsWith('master_port:')) masterPort = atoi(l.slice(12));
      if (l.length >= 19 && l.startsWith('master_link_status:')) masterLinkUp = l.slice(19).toLowerCase() === 'up';
      if (l.length >= 15 && l.startsWith('slave_priority:')) slavePriority = atoi(l.slice(15));
      if (l.length >= 18 && l.startsWith('slave_repl_offset:')) slaveReplOffset = strtoull(l.slice(18));
      if (l.length >= 18 && l.startsWith('replica_announced:')) replicaAnnounced = atoi(l.slice(18));
    }

    if (l.startsWith('master_repl_offset:')) masterReplOffset = strtoull(l.slice(19));
    if (l.startsWith('master_replid:')) masterReplId = l.slice(14);
    if (l.startsWith('master_replid2:')) masterReplId2 = l.slice(15);
    if (l.startsWith('loading:')) loading = l.slice(8) === '1';
  }

  return {
    runId,
    role,
    masterHost,
    masterPort,
    masterLinkUp,
    slavePriority,
    slaveReplOffset,
    replicaAnnounced,
    masterLinkDownTime,
    replicas,
    masterReplOffset,
    masterReplId,
    masterReplId2,
    loading,
  };
}

/** One `slave<N>:` line; null when it lacks the pieces the reference needs (it `continue`s). */
export function parseReplicaLine(l: string): InfoReplicaLine | null {
  if (!l.includes('ip=')) {
    // legacy "slave0:<ip>,<port>,<state>"
    const colon = l.indexOf(':');
    if (colon < 0) return null;
    const rest = l.slice(colon + 1);
    const c1 = rest.indexOf(',');
    if (c1 < 0) return null;
    const c2 = rest.indexOf(',', c1 + 1);
    if (c2 < 0) return null;
    return { ip: rest.slice(0, c1), port: atoi(rest.slice(c1 + 1, c2)) };
  }
  const ipAt = l.indexOf('ip=');
  const portAt = l.indexOf('port=');
  if (portAt < 0) return null;
  const ipEnd = l.indexOf(',', ipAt + 3);
  const ip = l.slice(ipAt + 3, ipEnd < 0 ? undefined : ipEnd);
  const portEnd = l.indexOf(',', portAt + 5);
  const port = atoi(l.slice(portAt + 5, portEnd < 0 ? undefined : portEnd));
  return { ip, port };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** strtoll(s, NULL, 10): optional sign and leading digits. */
function strtoll(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number.parseInt(m[1]!, 10);
}
