/**
 * Subjective and objective down (sentinel.c sentinelCheckSubjectivelyDown / sentinelCheckObjectivelyDown).
 */
import type { Ctx } from './context.js';
import { closeConn } from './instances.js';
import type { Instance, Master } from './model.js';
import type { Timing } from './timing.js';

/**
 * SDOWN (sentinel.md §4.2): no valid PING reply for longer than down-after (counted from the oldest unanswered
 * PING, or from the last valid reply while disconnected); or a master reporting role:slave for longer than
 * down-after + 2×info-period; or a master that rebooted and has not answered PONG within
 * master-reboot-down-after-period (LOADING no longer counts then).
 */
export function isSubjectivelyDown(ri: Instance, now: number, timing: Timing): boolean {
  const link = ri.link;
  let elapsed = 0;
  if (link.actPingTime !== 0) elapsed = now - link.actPingTime;
  else if (link.disconnected) elapsed = now - link.lastAvailTime;
  if (elapsed > ri.downAfter) return true;
  if (ri.kind !== 'master') return false;
  if (ri.roleReported === 'slave' && now - ri.roleReportedTime > ri.downAfter + timing.infoPeriod * 2) return true;
  return ri.masterReboot && now - ri.masterRebootSince > ri.masterRebootDownAfter;
}

/**
 * The link hygiene that runs with the SDOWN check: a command connection older than min-link-reconnect-period
 * whose PING has been pending and unanswered for half of down-after is closed (so a half-dead TCP session gets a
 * fresh connect), and so is a pub/sub connection with no traffic for 3×publish-period.
 */
export function closeIdleConnections(ctx: Ctx, ri: Instance): void {
  const { now } = ctx;
  const link = ri.link;
  const t = ctx.timing;
  if (
    link.cc !== 'down' &&
    now - link.ccConnTime > t.minLinkReconnectPeriod &&
    link.actPingTime !== 0 &&
    now - link.actPingTime > ri.downAfter / 2 &&
    now - link.lastPongTime > ri.downAfter / 2
  ) {
    closeConn(ctx, link, 'cmd');
  }
  if (link.pc !== 'down' && now - link.pcConnTime > t.minLinkReconnectPeriod && now - link.pcLastActivity > t.publishPeriod * 3) {
    closeConn(ctx, link, 'pubsub');
  }
}

export function checkSubjectivelyDown(ctx: Ctx, ri: Instance): void {
  closeIdleConnections(ctx, ri);
  if (isSubjectivelyDown(ri, ctx.now, ctx.timing)) {
    if (!ri.sDown) {
      ctx.instanceEvent('+sdown', ri);
      ri.sDownSince = ctx.now;
      ri.sDown = true;
      if (ri.kind === 'slave') ri.availableSince = 0;
    }
  } else if (ri.sDown) {
    ctx.instanceEvent('-sdown', ri);
    ri.sDown = false;
    ri.scriptKillSent = false;
  }
}

/** 1 (ourselves, SDOWN) + peers whose last is-master-down reply (≤5×ask-period old) said down. */
export function countDownReports(m: Master): number {
  if (!m.sDown) return 0;
  let n = 1;
  for (const p of m.sentinels.values()) if (p.masterDown) n++;
  return n;
}

/** ODOWN is a "weak quorum": reports collected over time, at least `quorum` including our own SDOWN. */
export function hasOdownQuorum(m: Master): boolean {
  return m.sDown && countDownReports(m) >= m.quorum;
}

export function checkObjectivelyDown(ctx: Ctx, m: Master): void {
  if (hasOdownQuorum(m)) {
    if (!m.oDown) {
      ctx.instanceEvent('+odown', m, ` #quorum ${countDownReports(m)}/${m.quorum}`);
      m.oDown = true;
      m.oDownSince = ctx.now;
    }
  } else if (m.oDown) {
    ctx.instanceEvent('-odown', m);
    m.oDown = false;
  }
}
