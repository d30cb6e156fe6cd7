/**
 * The monitoring half (sentinel.c sentinelReconnectInstance, sentinelSendPeriodicCommands, sentinelSendHello,
 * sentinelSendPing and the link callbacks): keep links up, PING, INFO and hello on their cadences.
 */
import { announceHost } from '../protocol/addr.js';
import { HELLO_CHANNEL } from '../protocol/wire-names.js';
import type { ConnKind } from './io.js';
import type { Ctx } from './context.js';
import { closeConn, currentMasterAddr, markConnDown } from './instances.js';
import { FailoverState, type Instance, type Link } from './model.js';
import { MAX_PENDING_COMMANDS } from './timing.js';

/**
 * PING cadence: the reference pings every min(down-after, ping-period). tsentinel pings every
 * down-after/pingDivisor when that is shorter, so the oldest unanswered PING is at most that old when a node dies
 * and SDOWN is declared right at down-after instead of up to a ping-period later.
 */
export function pingPeriodFor(ctx: Ctx, ri: Instance): number {
  let p = Math.min(ri.downAfter, ctx.timing.pingPeriod);
  if (ctx.tuning.enabled) p = Math.min(p, Math.max(10, Math.floor(ri.downAfter / ctx.tuning.pingDivisor)));
  return p;
}

/**
 * INFO cadence: info-period, or 1 s for replicas of a master that is ODOWN or in failover or whose link to their
 * master is down (reference). tsentinel polls faster where a decision waits on the answer: the promoted replica
 * during wait_promotion, replicas being reconfigured, and a replica reporting role:master that may need fencing.
 */
export function infoPeriodFor(ctx: Ctx, ri: Instance): number {
  const t = ctx.timing;
  if (ri.kind !== 'slave') return t.infoPeriod;
  const m = ri.master;
  let period = m.oDown || m.failoverInProgress || ri.masterLinkDownTime !== 0 ? Math.min(1000, t.infoPeriod) : t.infoPeriod;
  if (ctx.tuning.enabled) {
    const tu = ctx.tuning;
    if (ri.promoted && m.failoverState === FailoverState.WaitPromotion) period = Math.min(period, tu.promotionPollPeriod);
    if (ri.reconfSent || ri.reconfInprog) period = Math.min(period, tu.promotionPollPeriod * 2);
    if (ri.roleReported === 'master' && !ri.promoted) period = Math.min(period, tu.fencePollPeriod);
  }
  return period;
}

/** sentinelReconnectInstance: (re)open missing connections, at most once per ping period. */
export function reconnectInstance(ctx: Ctx, ri: Instance): void {
  const link = ri.link;
  if (!link.disconnected) return;
  if (ri.addr.port === 0) return;
  const wantPubSub = ri.kind !== 'sentinel';
  if (link.cc !== 'down' && (!wantPubSub || link.pc !== 'down')) return; // connecting
  if (ctx.now - link.lastReconnTime < pingPeriodFor(ctx, ri)) return;
  link.lastReconnTime = ctx.now;
  // Connection times count from the attempt (sentinel.c sets cc_conn_time/pc_conn_time when it starts connecting),
  // so the idle-link checks never close an attempt still in progress.
  if (link.cc === 'down') {
    link.cc = 'connecting';
    link.ccConnTime = ctx.now;
    ctx.connect(ri, 'cmd');
  }
  if (wantPubSub && link.pc === 'down') {
    link.pc = 'connecting';
    link.pcConnTime = ctx.now;
    link.pcLastActivity = ctx.now;
    ctx.connect(ri, 'pubsub');
  }
}

/** AUTH for this instance's connections: the master's auth-pass/auth-user for nodes; sentinel-user/pass (or our own requirepass) for peers. */
function authArgs(ctx: Ctx, ri: Instance): string[] | null {
  let pass: string | null;
  let user: string | null;
  if (ri.kind === 'sentinel') {
    const c = ctx.state.config;
    if (c.sentinelPass !== null) {
      pass = c.sentinelPass;
      user = c.sentinelUser;
    } else {
      pass = c.requirePass;
      user = null;
    }
  } else {
    const m = ri.kind === 'master' ? ri : ri.master;
    pass = m.authPass;
    user = m.authUser;
  }
  if (pass === null) return null;
  return user === null ? ['AUTH', pass] : ['AUTH', user, pass];
}

/** A connection came up: authenticate, name it, PING (cmd) or SUBSCRIBE to the hello channel (pub/sub). */
export function onLinkUp(ctx: Ctx, link: Link, conn: ConnKind, localIp: string | null): void {
  const ri = link.owner;
  const now = ctx.now;
  const auth = authArgs(ctx, ri);
  const name = `sentinel-${ctx.state.myid.slice(0, 8)}-${conn}`;
  if (conn === 'cmd') {
    link.cc = 'up';
    link.ccConnTime = now;
    link.pendingCommands = 0;
    link.localIp = localIp;
    if (auth !== null) ctx.send(ri, auth, 'discard');
    ctx.send(ri, ['CLIENT', 'SETNAME', name], 'discard');
    sendPing(ctx, ri);
    // tsentinel: a fresh connection may mean a restarted node (new run id, another role): ask at once instead
    // of waiting up to info-period.
    if (ri.kind !== 'sentinel' && ctx.tuning.enabled && ctx.send(ri, ['INFO'], 'info')) ri.infoSentAt = now;
  } else {
    link.pc = 'up';
    link.pcConnTime = now;
    link.pcLastActivity = now;
    if (auth !== null) ctx.send(ri, auth, 'discard', 'pubsub');
    ctx.send(ri, ['CLIENT', 'SETNAME', name], 'discard', 'pubsub');
    ctx.send(ri, ['SUBSCRIBE', HELLO_CHANNEL], 'discard', 'pubsub');
  }
  link.disconnected = !(link.cc === 'up' && (ri.kind === 'sentinel' || link.pc === 'up'));
}

export function onLinkDown(ctx: Ctx, link: Link, conn: ConnKind, reason: string): void {
  // The driver already closed it: the bookkeeping of closeConn without asking the driver to disconnect again.
  if (!markConnDown(ctx, link, conn)) return;
  const ri = link.owner;
  if (ri.kind === 'slave') ri.availableSince = 0;
  ri.infoSentAt = 0;
  ri.pubSentAt = 0;
  ctx.instanceEvent(conn === 'cmd' ? '-cmd-link-reconnection' : '-pubsub-link-reconnection', ri, ` #${reason}`);
}

/** sentinelSendPing: the oldest unanswered PING time is what SDOWN is measured from. */
export function sendPing(ctx: Ctx, ri: Instance): boolean {
  if (!ctx.send(ri, ['PING'], 'ping')) return false;
  ri.link.lastPingTime = ctx.now;
  if (ri.link.actPingTime === 0) ri.link.actPingTime = ctx.now;
  return true;
}

/** sentinelSendHello: our address, runid, epoch, and the master's current address and config epoch. */
export function sendHello(ctx: Ctx, ri: Instance): boolean {
  const st = ctx.state;
  const m = ri.kind === 'master' ? ri : ri.master;
  if (ri.link.disconnected) return false;
  const ip = st.config.announceIp ?? ri.link.localIp;
  if (ip === null) return false;
  const port = st.config.announcePort !== 0 ? st.config.announcePort : st.config.port;
  const maddr = currentMasterAddr(m);
  const payload = [
    ip,
    port,
    st.myid,
    st.currentEpoch,
    m.name,
    announceHost(maddr, st.config.announceHostnames),
    maddr.port,
    m.configEpoch,
  ].join(',');
  if (!ctx.send(ri, ['PUBLISH', HELLO_CHANNEL, payload], 'publish')) return false;
  ri.pubSentAt = ctx.now;
  return true;
}

/** sentinelSendPeriodicCommands: INFO (nodes), PING and hello when due; nothing while >100 commands are pending per link ref. */
export function sendPeriodicCommands(ctx: Ctx, ri: Instance): void {
  const { now } = ctx;
  const link = ri.link;
  if (link.disconnected) return;
  if (link.pendingCommands >= MAX_PENDING_COMMANDS * link.refcount) return;
  if (ri.kind !== 'sentinel') {
    const period = infoPeriodFor(ctx, ri);
    const due = ri.infoRefresh === 0 || now - ri.infoRefresh > period;
    const inFlight = ri.infoSentAt !== 0 && now - ri.infoSentAt < Math.max(period, 1000);
    if (due && !inFlight && ctx.send(ri, ['INFO'], 'info')) ri.infoSentAt = now;
  }
  const ping = pingPeriodFor(ctx, ri);
  if (now - link.lastPongTime > ping && now - link.lastPingTime > ping / 2) sendPing(ctx, ri);
  const pubInFlight = ri.pubSentAt !== 0 && now - ri.pubSentAt < ctx.timing.publishPeriod;
  if (now - ri.lastPubTime > ctx.timing.publishPeriod && !pubInFlight) sendHello(ctx, ri);
}

export { closeConn };
