/**
 * The replica's handshake with its master (replication.c syncWithMaster / slaveTryPartialResynchronization) as an
 * explicit state enum with pure transitions. Input: one reply line at a time (CR stripped). Output: what to send
 * next and, at the end, how the master answered PSYNC.
 *
 * Sequence: PING, wait; then AUTH (if masterauth), REPLCONF listening-port, REPLCONF ip-address (if announced),
 * REPLCONF capa eof capa psync2 written back-to-back; read their replies in order; only then PSYNC. PSYNC is never
 * pipelined behind the REPLCONFs: a 7.0 master refuses it while replies are pending ("SYNC and PSYNC are invalid
 * with pending output").
 */
import { encodeCommand, REPLID_LEN } from '../wire.js';

export type HandshakeState =
  | 'receive-ping-reply'
  | 'receive-auth-reply'
  | 'receive-port-reply'
  | 'receive-ip-reply'
  | 'receive-capa-reply'
  | 'receive-psync-reply';

export interface HandshakeConfig {
  /** replica-announce-port if set, else our port. */
  readonly listeningPort: number;
  /** replica-announce-ip, or null (then no REPLCONF ip-address is sent). */
  readonly announceIp: string | null;
  readonly masterUser: string | null;
  readonly masterAuth: string | null;
  /** The cached master (earlier link, own history after demotion, or RDB at start-up), or null for `PSYNC ? -1`. */
  readonly cached: { readonly replid: string; readonly offset: number } | null;
  /** This node is handing over as the old master in a FAILOVER: `PSYNC <id> <off> FAILOVER`. */
  readonly failover: boolean;
}

/** How the master answered PSYNC (slaveTryPartialResynchronization's PSYNC_* results). */
export type PsyncOutcome =
  /** Full sync follows; replid null when the +FULLRESYNC syntax was wrong (no PSYNC possible later). */
  | { readonly kind: 'full'; readonly replid: string | null; readonly offset: number }
  /** Partial sync: the stream continues at the requested offset; newReplid set if the master named a 40-char id. */
  | { readonly kind: 'continue'; readonly newReplid: string | null }
  /** -NOMASTERLINK / -LOADING: drop the link and retry soon with the same PSYNC. */
  | { readonly kind: 'try-later'; readonly reply: string }
  /** Anything else: the master does not support PSYNC; fall back to inline SYNC on the same connection. */
  | { readonly kind: 'not-supported'; readonly reply: string };

export type HandshakeStep =
  | { readonly kind: 'next'; readonly state: HandshakeState; readonly send: readonly Buffer[] }
  /** A keepalive newline while waiting for the PSYNC answer: nothing changes. */
  | { readonly kind: 'wait' }
  | { readonly kind: 'abort'; readonly reason: string }
  | { readonly kind: 'done'; readonly outcome: PsyncOutcome; readonly send: readonly Buffer[] };

/** Inline SYNC, as a 7.0 replica sends it after a PSYNC the master did not understand. */
export const SYNC_INLINE = Buffer.from('SYNC\r\n', 'latin1');

export function startHandshake(): { state: HandshakeState; send: Buffer[] } {
  return { state: 'receive-ping-reply', send: [encodeCommand(['PING'])] };
}

/** The PSYNC command for this attempt. */
export function psyncCommand(cfg: HandshakeConfig): Buffer {
  const id = cfg.cached?.replid ?? '?';
  const off = cfg.cached !== null ? String(cfg.cached.offset + 1) : '-1';
  return encodeCommand(cfg.failover ? ['PSYNC', id, off, 'FAILOVER'] : ['PSYNC', id, off]);
}

/** The commands written back-to-back after the PING reply. */
export function handshakeBurst(cfg: HandshakeConfig): Buffer[] {
  const out: Buffer[] = [];
  if (cfg.masterAuth !== null) {
    out.push(encodeCommand(cfg.masterUser !== null ? ['AUTH', cfg.masterUser, cfg.masterAuth] : ['AUTH', cfg.masterAuth]));
  }
  out.push(encodeCommand(['REPLCONF', 'listening-port', String(cfg.listeningPort)]));
  if (cfg.announceIp !== null) out.push(encodeCommand(['REPLCONF', 'ip-address', cfg.announceIp]));
  out.push(encodeCommand(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']));
  return out;
}

export function handshakeStep(state: HandshakeState, line: string, cfg: HandshakeConfig): HandshakeStep {
  switch (state) {
    case 'receive-ping-reply':
      // -NOAUTH/-NOPERM/"-ERR operation not permitted" are fine: AUTH comes next
      if (
        line.startsWith('+') ||
        line.startsWith('-NOAUTH') ||
        line.startsWith('-NOPERM') ||
        line.startsWith('-ERR operation not permitted')
      ) {
        return {
          kind: 'next',
          state: cfg.masterAuth !== null ? 'receive-auth-reply' : 'receive-port-reply',
          send: handshakeBurst(cfg),
        };
      }
      return { kind: 'abort', reason: `Error reply to PING from master: '${line}'` };
    case 'receive-auth-reply':
      if (line.startsWith('-')) return { kind: 'abort', reason: `Unable to AUTH to MASTER: ${line}` };
      return { kind: 'next', state: 'receive-port-reply', send: [] };
    case 'receive-port-reply':
      // errors tolerated: not every Redis version knows REPLCONF listening-port
      return { kind: 'next', state: cfg.announceIp !== null ? 'receive-ip-reply' : 'receive-capa-reply', send: [] };
    case 'receive-ip-reply':
      return { kind: 'next', state: 'receive-capa-reply', send: [] };
    case 'receive-capa-reply':
      return { kind: 'next', state: 'receive-psync-reply', send: [psyncCommand(cfg)] };
    case 'receive-psync-reply': {
      if (line.length === 0) return { kind: 'wait' };
      const outcome = parsePsyncReply(line);
      return { kind: 'done', outcome, send: outcome.kind === 'not-supported' ? [SYNC_INLINE] : [] };
    }
  }
}

/** slaveTryPartialResynchronization's reading of the PSYNC answer (one non-empty line, CR stripped). */
export function parsePsyncReply(line: string): PsyncOutcome {
  if (line.startsWith('+FULLRESYNC')) {
    // "+FULLRESYNC <replid> <offset>": the id must be exactly 40 chars between the two spaces
    const sp1 = line.indexOf(' ');
    const sp2 = sp1 === -1 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 === -1 || sp2 === -1 || sp2 - sp1 - 1 !== REPLID_LEN) return { kind: 'full', replid: null, offset: -1 };
    return { kind: 'full', replid: line.slice(sp1 + 1, sp2), offset: strtoll(line.slice(sp2 + 1)) };
  }
  if (line.startsWith('+CONTINUE')) {
    const id = line.slice(10);
    return { kind: 'continue', newReplid: line.length > 9 && id.length === REPLID_LEN ? id : null };
  }
  if (line.startsWith('-NOMASTERLINK') || line.startsWith('-LOADING')) return { kind: 'try-later', reply: line };
  return { kind: 'not-supported', reply: line };
}

/** strtoll(s, NULL, 10): leading digits, 0 if none. */
function strtoll(s: string): number {
  const m = /^\s*([+-]?\d+)/.exec(s);
  return m === null ? 0 : Number(m[1]);
}
