/**
 * The master's PSYNC rule (replication.c masterTryPartialResynchronization), as one pure function.
 *
 * Continue only if (1) the requested history is ours — `id == replid`, or `id == replid2` and the offset is not past
 * where that history ended (`off <= second_repl_offset`) — and (2) the backlog still holds byte `off` (or `off` is
 * one past the end: nothing is missing). Otherwise the replica needs a full resync. `?` never matches an id.
 * Ids compare case-insensitively, as strcasecmp does in 7.0.
 */
import type { HistorySnapshot } from '../history.js';

export type PsyncDecision =
  | { readonly kind: 'continue'; readonly fromOffset: number; readonly bytes: number }
  | { readonly kind: 'full'; readonly reason: 'history' | 'no-backlog' | 'out-of-range' };

export function decidePsync(replid: string, offset: number, h: HistorySnapshot): PsyncDecision {
  const id = replid.toLowerCase();
  const ours = id === h.replid.toLowerCase();
  const previous = id === h.replid2.toLowerCase() && offset <= h.secondReplOffset;
  if (!ours && !previous) return { kind: 'full', reason: 'history' };
  const b = h.backlog;
  if (b === null) return { kind: 'full', reason: 'no-backlog' };
  if (offset < b.firstByteOffset || offset > b.firstByteOffset + b.histlen) return { kind: 'full', reason: 'out-of-range' };
  return { kind: 'continue', fromOffset: offset, bytes: h.masterReplOffset + 1 - offset };
}

/** `+CONTINUE <replid>` for replicas that declared `capa psync2`, bare `+CONTINUE` for older ones. */
export function continueLine(replid: string, psync2: boolean): string {
  return psync2 ? `+CONTINUE ${replid}\r\n` : '+CONTINUE\r\n';
}

export function fullResyncLine(replid: string, offset: number): string {
  return `+FULLRESYNC ${replid} ${offset}\r\n`;
}
