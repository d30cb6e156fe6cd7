/**
 * Choosing the replica to promote (sentinel.c sentinelSelectSlave / compareSlavesForPromotion).
 */
import type { Master, Replica } from './model.js';
import type { Timing } from './timing.js';

/**
 * The reference's filters: a candidate must not be SDOWN/ODOWN or disconnected, must have answered a PING within
 * 5×ping-period, must not have priority 0, must have INFO younger than 5×ping-period (master SDOWN) or
 * 3×info-period, and must not have lost its master link for longer than the master has been down plus
 * 10×down-after. `freshSince` (tsentinel) additionally requires INFO received at or after that time, i.e. an
 * answer to the offset query sent when the selection started.
 */
export function isPromotable(r: Replica, m: Master, now: number, timing: Timing, freshSince?: number): boolean {
  if (r.sDown) return false;
  if (r.link.disconnected) return false;
  if (now - r.link.lastAvailTime > timing.pingPeriod * 5) return false;
  if (r.slavePriority === 0) return false;
  const infoValidity = m.sDown ? timing.pingPeriod * 5 : timing.infoPeriod * 3;
  if (now - r.infoRefresh > infoValidity) return false;
  let maxMasterDownTime = 0;
  if (m.sDown) maxMasterDownTime += now - m.sDownSince;
  maxMasterDownTime += m.downAfter * 10;
  if (r.masterLinkDownTime > maxMasterDownTime) return false;
  if (freshSince !== undefined && r.infoRefresh < freshSince) return false;
  return true;
}

/**
 * Ranking: lower slave_priority first, then the larger replication offset, then the lexicographically smaller
 * runid (case-insensitive; an unknown runid sorts last).
 */
export function compareForPromotion(a: Replica, b: Replica): number {
  if (a.slavePriority !== b.slavePriority) return a.slavePriority - b.slavePriority;
  if (a.slaveReplOffset > b.slaveReplOffset) return -1;
  if (a.slaveReplOffset < b.slaveReplOffset) return 1;
  if (a.runid === null && b.runid === null) return 0;
  if (a.runid === null) return 1;
  if (b.runid === null) return -1;
  const x = a.runid.toLowerCase();
  const y = b.runid.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The best promotable replica, or null. With `freshSince`, only replicas that answered the offset query compete;
 * if none did, the reference's selection (last known offsets) decides.
 */
export function selectReplica(m: Master, now: number, timing: Timing, freshSince?: number): Replica | null {
  const pick = (fresh?: number): Replica | null => {
    const c = [...m.replicas.values()].filter((r) => isPromotable(r, m, now, timing, fresh));
    c.sort(compareForPromotion);
    return c[0] ?? null;
  };
  if (freshSince !== undefined) {
    const fresh = pick(freshSince);
    if (fresh !== null) return fresh;
  }
  return pick();
}
