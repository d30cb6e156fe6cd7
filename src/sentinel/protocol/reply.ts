/**
 * Replies from nodes and peer sentinels as the core sees them, decoded by the driver from whatever its client
 * library returns. Interpreting them is pure and total: anything unexpected is "not a valid reply", never a throw.
 */

/** `closed`: the connection died before the reply came. Status and bulk replies are both `string`. */
export type Reply =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'array'; readonly items: readonly Reply[] }
  | { readonly kind: 'nil' }
  | { readonly kind: 'closed' };

/** How a PING reply counts (sentinelPingReplyCallback). */
export type PingOutcome = 'pong' | 'loading' | 'masterdown' | 'busy' | 'other' | 'none';

export function classifyPing(r: Reply): PingOutcome {
  if (r.kind === 'closed') return 'none';
  const text = r.kind === 'string' ? r.value : r.kind === 'error' ? r.message : null;
  if (text === null) return 'other';
  if (text.startsWith('PONG')) return 'pong';
  if (text.startsWith('LOADING')) return 'loading';
  if (text.startsWith('MASTERDOWN')) return 'masterdown';
  if (text.startsWith('BUSY')) return 'busy';
  return 'other';
}

export interface MasterDownReply {
  readonly down: boolean;
  /** The runid the peer voted for, or null for `*`. */
  readonly leader: string | null;
  readonly leaderEpoch: number;
}

/** sentinelReceiveIsMasterDownReply: exactly `[int, bulk, int]`, anything else is ignored. */
export function parseMasterDownReply(r: Reply): MasterDownReply | null {
  if (r.kind !== 'array' || r.items.length !== 3) return null;
  const [a, b, c] = r.items as [Reply, Reply, Reply];
  if (a.kind !== 'int' || b.kind !== 'string' || c.kind !== 'int') return null;
  return { down: a.value === 1, leader: b.value === '*' ? null : b.value, leaderEpoch: c.value };
}

/** INFO reply text, or null when the reply is not a string (sentinelInfoReplyCallback ignores those). */
export function infoText(r: Reply): string | null {
  return r.kind === 'string' ? r.value : null;
}
