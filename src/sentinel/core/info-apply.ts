/**
 * Applying a parsed INFO reply to an instance (sentinel.c sentinelRefreshInstanceInfo): run id and reboots,
 * replica discovery from a master's INFO, the replica fields, role changes, promotion detection, and the rules that
 * correct misconfigured nodes (+convert-to-slave, +fix-slave-config) and track reconfiguration progress.
 */
import { addrMatchesHost, makeAddr } from '../protocol/addr.js';
import type { InfoSnapshot } from '../protocol/info-parse.js';
import type { Ctx } from './context.js';
import { sendSlaveOf } from './failover.js';
import { createReplica, findReplicaByAddr, makeInstanceAddr, masterLooksSane, noDownFor } from './instances.js';
import { FailoverState, SIMFAILURE_CRASH_AFTER_PROMOTION, type Instance, type Master, type Replica } from './model.js';

export function applyInfo(ctx: Ctx, ri: Instance, text: string, snap: InfoSnapshot): void {
  const { now } = ctx;
  ri.info = text;
  ri.infoSentAt = 0;
  if (ri.kind === 'slave') ri.masterLinkDownTime = 0;

  if (snap.runId !== null) {
    if (ri.runid === null) {
      ri.runid = snap.runId;
    } else if (ri.runid !== snap.runId) {
      ctx.instanceEvent('+reboot', ri);
      if (ri.kind === 'master' && ri.masterRebootDownAfter !== 0) {
        ri.masterReboot = true;
        ri.masterRebootSince = now;
      }
      ri.runid = snap.runId;
    }
  }
  ri.replId = snap.masterReplId;
  ri.replId2 = snap.masterReplId2;

  if (ri.kind === 'master') discoverReplicas(ctx, ri, snap);

  if (ri.kind === 'slave') {
    ri.masterLinkDownTime = snap.masterLinkDownTime;
    if (snap.role === 'slave') applyReplicaFields(ri, snap, now);
  }

  ri.infoRefresh = now;
  const role = snap.role ?? 'none';
  if (role !== ri.roleReported) {
    ri.roleReportedTime = now;
    ri.roleReported = role;
    if (role === 'slave') ri.slaveConfChangeTime = now;
    const coherent = ri.kind === role;
    ctx.instanceEvent(coherent ? '+role-change' : '-role-change', ri, ` new reported role is ${role === 'master' ? 'master' : 'slave'}`);
  }

  // Everything below changes the world; TILT means our sense of time can't be trusted to do that.
  if (ctx.state.tilt) return;
  if (ri.kind !== 'slave') return;
  const m = ri.master;

  if (role === 'master') {
    if (ri.promoted && m.failoverInProgress && m.failoverState === FailoverState.WaitPromotion) {
      confirmPromotion(ctx, m, ri);
    } else if (!ri.promoted && shouldConvertToSlave(ctx, ri)) {
      if (sendSlaveOf(ctx, ri, m.addr)) ctx.instanceEvent('+convert-to-slave', ri);
    }
  }

  if (role === 'slave' && ri.slaveMasterHost !== null && !pointsAt(ctx, ri, m)) {
    const wait = m.failoverTimeout;
    if (masterLooksSane(m, now, ctx.timing.infoPeriod) && noDownFor(ri, wait, now) && now - ri.slaveConfChangeTime > wait) {
      if (sendSlaveOf(ctx, ri, m.addr)) ctx.instanceEvent('+fix-slave-config', ri);
    }
  }

  if (role === 'slave' && (ri.reconfSent || ri.reconfInprog) && m.promoted !== null) {
    if (ri.reconfSent && ri.slaveMasterHost !== null && pointsAt(ctx, ri, m.promoted)) {
      ri.reconfSent = false;
      ri.reconfInprog = true;
      ctx.instanceEvent('+slave-reconf-inprog', ri);
    }
    if (ri.reconfInprog && ri.slaveMasterLinkUp) {
      ri.reconfInprog = false;
      ri.reconfDone = true;
      ctx.instanceEvent('+slave-reconf-done', ri);
    }
  }
}

/** A master's `slave<N>:` lines: every replica not known yet is created (+slave, config flushed). */
function discoverReplicas(ctx: Ctx, m: Master, snap: InfoSnapshot): void {
  for (const line of snap.replicas) {
    const addr = makeInstanceAddr(ctx.state, line.ip, line.port);
    if (typeof addr === 'string') {
      if (addr === 'ENOENT' && ctx.state.config.resolveHostnames) ctx.out.push({ type: 'resolve', host: line.ip });
      continue;
    }
    if (findReplicaByAddr(m, addr) !== null) continue;
    const r = createReplica(ctx.state, m, addr, ctx.now);
    if (typeof r === 'string') continue;
    ctx.instanceEvent('+slave', r);
    ctx.persist('new replica');
  }
}

function applyReplicaFields(r: Replica, snap: InfoSnapshot, now: number): void {
  if (snap.masterHost !== null && (r.slaveMasterHost === null || snap.masterHost.toLowerCase() !== r.slaveMasterHost.toLowerCase())) {
    r.slaveMasterHost = snap.masterHost;
    r.slaveConfChangeTime = now;
  }
  if (snap.masterPort !== null && snap.masterPort !== r.slaveMasterPort) {
    r.slaveMasterPort = snap.masterPort;
    r.slaveConfChangeTime = now;
  }
  if (snap.masterLinkUp !== null) r.slaveMasterLinkUp = snap.masterLinkUp;
  if (snap.slavePriority !== null) r.slavePriority = snap.slavePriority;
  if (snap.slaveReplOffset !== null) r.slaveReplOffset = snap.slaveReplOffset;
  if (snap.replicaAnnounced !== null) r.replicaAnnounced = snap.replicaAnnounced !== 0;
}

/** The replica's reported master (master_host/master_port) is `target` (sentinelAddrEqualsHostname + port). */
function pointsAt(ctx: Ctx, r: Replica, target: Instance): boolean {
  const host = r.slaveMasterHost;
  if (host === null) return false;
  const resolved = ctx.state.dns.get(host.toLowerCase()) ?? null;
  return r.slaveMasterPort === target.addr.port && addrMatchesHost(target.addr, host, resolved);
}

/**
 * The promoted replica reports role:master during wait_promotion: the new configuration is born. The config epoch
 * becomes the failover epoch and is flushed, observers will learn it from our hellos, which are sent at once.
 */
function confirmPromotion(ctx: Ctx, m: Master, r: Replica): void {
  m.configEpoch = m.failoverEpoch;
  m.failoverState = FailoverState.ReconfSlaves;
  m.failoverStateChangeTime = ctx.now;
  ctx.persist('promotion confirmed');
  ctx.instanceEvent('+promoted-slave', r);
  if (ctx.state.simFailureFlags & SIMFAILURE_CRASH_AFTER_PROMOTION) {
    ctx.out.push({ type: 'exit', code: 99, msg: 'Sentinel CRASH because of SENTINEL simulate-failure' });
    return;
  }
  ctx.instanceEvent('+failover-state-reconf-slaves', m);
  if (m.coordinated) {
    // FAILOVER TO swapped the roles but rewrote neither config file nor dropped any client: do what the reference
    // transaction does for both nodes (both SLAVEOFs are no-ops on the wire), so restarts keep the new roles and
    // clients re-resolve the master.
    sendSlaveOf(ctx, r, null);
    sendSlaveOf(ctx, m, r.addr);
  }
  if (m.clientReconfigScript !== null) {
    ctx.script(m.clientReconfigScript, reconfigScriptArgs(ctx, m, 'leader', m.addr, r.addr));
  }
  forceHelloUpdate(m, ctx.timing.publishPeriod);
}

/** client-reconfig-script arguments: <master-name> <leader|observer> start <from-ip> <from-port> <to-ip> <to-port>. */
export function reconfigScriptArgs(
  ctx: Ctx,
  m: Master,
  role: 'leader' | 'observer',
  from: { host: string; ip: string; port: number },
  to: { host: string; ip: string; port: number },
): string[] {
  const ah = ctx.state.config.announceHostnames;
  return [m.name, role, 'start', ah ? from.host : from.ip, String(from.port), ah ? to.host : to.ip, String(to.port)];
}

/** sentinelForceHelloUpdateForMaster: make every hello for this master due now. */
export function forceHelloUpdate(m: Master, publishPeriod: number): void {
  const back = publishPeriod + 1;
  const due = (ri: Instance): void => {
    ri.lastPubTime -= back;
    ri.pubSentAt = 0;
  };
  due(m);
  for (const p of m.sentinels.values()) due(p);
  for (const r of m.replicas.values()) due(r);
}

/**
 * Should a replica that reports role:master be turned back into a replica of our master?
 *
 * Reference rule (kept): the master looks sane, the replica has not been down within 4×publish-period and has
 * reported master for longer than that — about 8–10 s with INFO granularity, during which a returning old master
 * accepts writes that will be thrown away.
 *
 * tsentinel's fast rule (Tuning.fenceDelay, ~1.2 s) acts earlier only when the evidence rules out the one
 * dangerous case — that the node is not a stale old master but a replica just promoted by a newer failover that
 * we have not heard about yet:
 * 1. our master is sane and reachable right now (role master, fresh INFO, not down, link up, recent valid PING);
 * 2. we hold no vote in an epoch newer than the master's config epoch (an election we know of would still be
 *    pending, and its winner may be promoting exactly this node);
 * 3. the node has been continuously available and reporting master for fenceDelay — longer than a leader needs to
 *    see its promotion and broadcast the new config epoch (reference leaders: ≤1 s INFO poll + one tick, and the
 *    hello reaches us through this very node's pub/sub link and by PUBLISH to our port); and
 * 4. its replication history does not show a promotion out of our master's current stream (a replica promoted
 *    by SLAVEOF NO ONE keeps the old replication id as master_replid2; a restarted or isolated old master does not
 *    carry our master's id there).
 * A flapping link resets condition 3, so a node that keeps disappearing is left to the reference rule.
 */
export function shouldConvertToSlave(ctx: Ctx, r: Replica): boolean {
  const { now } = ctx;
  const m = r.master;
  const t = ctx.timing;
  if (!masterLooksSane(m, now, t.infoPeriod)) return false;
  const wait = t.publishPeriod * 4;
  if (noDownFor(r, wait, now) && now - r.roleReportedTime > wait) return true;
  if (!ctx.tuning.enabled || m.failoverInProgress) return false;
  const fence = ctx.tuning.fenceDelay;
  const masterReachable = !m.link.disconnected && m.link.actPingTime === 0 && now - m.link.lastAvailTime < Math.max(t.pingPeriod, 1000) * 2;
  if (!masterReachable) return false;
  if (m.leaderEpoch > m.configEpoch) return false;
  if (r.sDown || r.link.disconnected || r.availableSince === 0 || now - r.availableSince < fence) return false;
  if (now - r.roleReportedTime < fence) return false;
  if (m.replId !== null && r.replId2 !== null && r.replId2 === m.replId) return false;
  return true;
}

/** A replica (of `m`) is the instance at this address? Used by hello processing and tests. */
export function isReplicaAddr(m: Master, host: string, port: number): boolean {
  return findReplicaByAddr(m, makeAddr(host, port)) !== null;
}
