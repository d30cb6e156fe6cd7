/**
 * Creating, finding, sharing and releasing instance records and their links (sentinel.c
 * createSentinelRedisInstance, releaseInstanceLink, sentinelTryConnectionSharing, sentinelResetMaster,
 * sentinelResetMasterAndChangeAddress, getSentinelRedisInstanceByAddrAndRunID).
 */
import { addrEqual, announceHost, hostPort, isIpLiteral, makeAddr, type Addr } from '../protocol/addr.js';
import type { ConnKind } from './io.js';
import type { Ctx } from './context.js';
import { FailoverState, NEVER, type Instance, type Link, type Master, type Peer, type Replica, type SentinelState } from './model.js';
import { DEFAULT_PARALLEL_SYNCS, DEFAULT_REPLICA_PRIORITY } from './timing.js';

/** Why an instance could not be created (the errno values sentinelCheckCreateInstanceErrors maps to text). */
export type CreateError = 'EBUSY' | 'ENOENT' | 'EINVAL';

/** sentinelCheckCreateInstanceErrors. */
export function createErrorText(err: CreateError, kind: Instance['kind']): string {
  if (err === 'EBUSY') {
    return kind === 'master'
      ? 'Duplicate master name.'
      : kind === 'slave'
        ? 'Duplicate hostname and port for replica.'
        : 'Duplicate runid for sentinel.';
  }
  return err === 'ENOENT' ? "Can't resolve instance hostname." : 'Invalid port number.';
}

/**
 * createSentinelAddr: port must be 0..65535; the host must be an IP literal unless resolve-hostnames is on. A
 * hostname takes its IP from the DNS cache when the driver already resolved it, otherwise it stays unresolved
 * (ip = host) and the driver resolves it while connecting.
 */
export function makeInstanceAddr(state: SentinelState, host: string, port: number): Addr | CreateError {
  if (!Number.isInteger(port) || port < 0 || port > 65535) return 'EINVAL';
  if (isIpLiteral(host)) return makeAddr(host, port);
  if (!state.config.resolveHostnames) return 'ENOENT';
  const ip = state.dns.get(host.toLowerCase());
  if (ip === null) return 'ENOENT';
  return makeAddr(host, port, ip);
}

function createLink(state: SentinelState, owner: Instance | null, now: number): Link {
  const link: Link = {
    id: state.nextLinkId++,
    refcount: 1,
    owner: owner as Instance, // set right after the instance exists
    cc: 'down',
    pc: 'down',
    disconnected: true,
    pendingCommands: 0,
    ccConnTime: 0,
    pcConnTime: 0,
    pcLastActivity: 0,
    lastAvailTime: now,
    actPingTime: now,
    lastPingTime: 0,
    lastPongTime: now,
    lastReconnTime: NEVER,
    localIp: null,
  };
  state.links.set(link.id, link);
  return link;
}

function baseFields(state: SentinelState, name: string, addr: Addr, downAfter: number, now: number) {
  return {
    name,
    runid: null,
    addr,
    link: createLink(state, null, now),
    removed: false,
    downAfter,
    sDown: false,
    sDownSince: 0,
    scriptKillSent: false,
    lastPubTime: now,
    info: null,
    infoRefresh: 0,
    infoSentAt: 0,
    pubSentAt: 0,
    roleReportedTime: now,
    slaveConfChangeTime: now,
    replId: null,
    replId2: null,
  };
}

export function createMaster(state: SentinelState, name: string, addr: Addr, quorum: number, now: number): Master | CreateError {
  if (state.masters.has(name)) return 'EBUSY';
  const m: Master = {
    kind: 'master',
    ...baseFields(state, name, addr, state.timing.defaultDownAfter, now),
    roleReported: 'master',
    sentinels: new Map(),
    replicas: new Map(),
    quorum,
    parallelSyncs: DEFAULT_PARALLEL_SYNCS,
    authPass: null,
    authUser: null,
    renamedCommands: new Map(),
    notificationScript: null,
    clientReconfigScript: null,
    masterRebootDownAfter: 0,
    masterReboot: false,
    masterRebootSince: 0,
    oDown: false,
    oDownSince: 0,
    configEpoch: 0,
    leader: null,
    leaderEpoch: 0,
    failoverEpoch: 0,
    failoverInProgress: false,
    forceFailover: false,
    failoverState: FailoverState.None,
    failoverStateChangeTime: 0,
    failoverStartTime: NEVER,
    failoverTimeout: state.timing.defaultFailoverTimeout,
    failoverDelayLogged: 0,
    promoted: null,
    electionStartAt: 0,
    offsetQuery: null,
    coordinated: false,
    lastPeerTriggeredAsk: 0,
  };
  m.link.owner = m;
  state.masters.set(name, m);
  return m;
}

/** Replicas are named `ip:port` as announced when they are created. */
export function createReplica(state: SentinelState, master: Master, addr: Addr, now: number): Replica | CreateError {
  const name = hostPort(announceHost(addr, state.config.announceHostnames), addr.port);
  if (master.replicas.has(name)) return 'EBUSY';
  const r: Replica = {
    kind: 'slave',
    ...baseFields(state, name, addr, master.downAfter, now),
    roleReported: 'slave',
    master,
    masterLinkDownTime: 0,
    slavePriority: DEFAULT_REPLICA_PRIORITY,
    replicaAnnounced: true,
    slaveReconfSentTime: 0,
    slaveMasterHost: null,
    slaveMasterPort: 0,
    slaveMasterLinkUp: false,
    slaveReplOffset: 0,
    promoted: false,
    reconfSent: false,
    reconfInprog: false,
    reconfDone: false,
    availableSince: 0,
  };
  r.link.owner = r;
  master.replicas.set(name, r);
  return r;
}

/** Sentinel records are named by their runid. */
export function createPeer(state: SentinelState, master: Master, runid: string, addr: Addr, now: number): Peer | CreateError {
  if (master.sentinels.has(runid)) return 'EBUSY';
  const p: Peer = {
    kind: 'sentinel',
    ...baseFields(state, runid, addr, master.downAfter, now),
    roleReported: 'master',
    master,
    lastHelloTime: now,
    lastMasterDownReplyTime: now,
    askSentAt: 0,
    masterDown: false,
    leader: null,
    leaderEpoch: 0,
  };
  p.runid = runid;
  p.link.owner = p;
  master.sentinels.set(runid, p);
  return p;
}

/** Close one connection of a link (instanceLinkCloseConnection): pending replies on it are forgotten. */
export function closeConn(ctx: Ctx, link: Link, conn: ConnKind): void {
  if (!markConnDown(ctx, link, conn)) return;
  ctx.disconnect(link.id, conn);
}

/**
 * The bookkeeping of a connection that went down, however it went (we closed it, or the driver saw it drop):
 * the link counts as disconnected and replies still pending on that connection are forgotten. False if it was
 * down already.
 */
export function markConnDown(ctx: Ctx, link: Link, conn: ConnKind): boolean {
  if ((conn === 'cmd' ? link.cc : link.pc) === 'down') return false;
  if (conn === 'cmd') {
    link.cc = 'down';
    link.pendingCommands = 0;
  } else {
    link.pc = 'down';
  }
  link.disconnected = true;
  for (const [req, p] of ctx.pending) if (p.link === link.id && p.conn === conn) ctx.pending.delete(req);
  return true;
}

/** releaseInstanceLink: drop one reference; the last one closes the connections. */
function releaseLink(ctx: Ctx, ri: Instance): void {
  const link = ri.link;
  link.refcount--;
  if (link.refcount > 0) {
    // Replies still due to this record are discarded (the reference rewrites their callbacks).
    for (const [req, p] of ctx.pending) if (p.ri === ri) ctx.pending.set(req, { ...p, purpose: 'discard' });
    if (link.owner === ri) link.owner = findOtherOwner(ctx.state, link, ri) ?? link.owner;
    return;
  }
  closeConn(ctx, link, 'cmd');
  closeConn(ctx, link, 'pubsub');
  ctx.state.links.delete(link.id);
}

function findOtherOwner(state: SentinelState, link: Link, not: Instance): Instance | null {
  for (const m of state.masters.values()) for (const p of m.sentinels.values()) if (p.link === link && p !== not) return p;
  return null;
}

/** releaseSentinelRedisInstance (recursively for a master's tables). */
export function releaseInstance(ctx: Ctx, ri: Instance): void {
  if (ri.kind === 'master') {
    for (const r of ri.replicas.values()) releaseInstance(ctx, r);
    for (const p of ri.sentinels.values()) releaseInstance(ctx, p);
    ri.replicas.clear();
    ri.sentinels.clear();
  }
  releaseLink(ctx, ri);
  ri.removed = true;
  if (ri.kind === 'slave' && ri.promoted && ri.master.promoted === ri) ri.master.promoted = null;
}

export function removeReplica(ctx: Ctx, r: Replica): void {
  r.master.replicas.delete(r.name);
  releaseInstance(ctx, r);
}

export function removePeer(ctx: Ctx, p: Peer): void {
  p.master.sentinels.delete(p.name);
  releaseInstance(ctx, p);
}

/**
 * getSentinelRedisInstanceByAddrAndRunID: match on runid and/or address (IP compared exactly, as strcmp does).
 * Records without a runid never match a runid query.
 */
export function findPeer(master: Master, ip: string | null, port: number, runid: string | null): Peer | null {
  for (const p of master.sentinels.values()) {
    if (runid !== null && p.runid === null) continue;
    if ((runid === null || p.runid === runid) && (ip === null || (p.addr.ip === ip && p.addr.port === port))) return p;
  }
  return null;
}

/**
 * The master record whose address is ip:port (IS-MASTER-DOWN-BY-ADDR looks masters up by address). Peers with
 * announce-hostnames send the hostname, which the reference resolves before comparing; we compare with the
 * resolved IP we hold and with the hostname itself.
 */
export function findMasterByAddr(state: SentinelState, ip: string, port: number): Master | null {
  const resolved = isIpLiteral(ip) ? ip : (state.dns.get(ip.toLowerCase()) ?? null);
  for (const m of state.masters.values()) {
    if (m.addr.port !== port) continue;
    if (m.addr.ip === ip || (resolved !== null && m.addr.ip === resolved) || m.addr.host.toLowerCase() === ip.toLowerCase()) return m;
  }
  return null;
}

export function findReplicaByAddr(master: Master, addr: Addr): Replica | null {
  for (const r of master.replicas.values()) if (addrEqual(r.addr, addr)) return r;
  return null;
}

/** sentinelTryConnectionSharing: a peer known under another master with the same runid shares its link. */
export function tryConnectionSharing(ctx: Ctx, p: Peer): boolean {
  if (p.runid === null || p.link.refcount > 1) return false;
  for (const m of ctx.state.masters.values()) {
    if (m === p.master) continue;
    const match = findPeer(m, null, 0, p.runid);
    if (match === null || match === p) continue;
    releaseLink(ctx, p);
    p.link = match.link;
    match.link.refcount++;
    return true;
  }
  return false;
}

/** sentinelUpdateSentinelAddressInAllMasters: every record of this runid moves to ri's address and reconnects. */
export function updatePeerAddressInAllMasters(ctx: Ctx, ri: Peer): number {
  let reconfigured = 0;
  for (const m of ctx.state.masters.values()) {
    const match = findPeer(m, null, 0, ri.runid);
    if (match === null) continue;
    closeConn(ctx, match.link, 'cmd');
    closeConn(ctx, match.link, 'pubsub');
    if (match.addr.port === 0) removePeer(ctx, match);
    if (match === ri) continue;
    match.addr = ri.addr;
    reconfigured++;
  }
  if (reconfigured > 0) ctx.instanceEvent('+sentinel-address-update', ri, ` ${reconfigured} additional matching instances`);
  return reconfigured;
}

/** removeMatchingSentinelFromMaster. */
export function removePeersByRunid(ctx: Ctx, master: Master, runid: string): number {
  let removed = 0;
  for (const p of [...master.sentinels.values()]) {
    if (p.runid === runid) {
      removePeer(ctx, p);
      removed++;
    }
  }
  return removed;
}

/** sentinelGetCurrentMasterAddress: from reconf_slaves on, the promoted replica is the master clients should use. */
export function currentMasterAddr(m: Master): Addr {
  if (m.failoverInProgress && m.promoted !== null && m.failoverState >= FailoverState.ReconfSlaves) return m.promoted.addr;
  return m.addr;
}

/** sentinelResetMaster. `keepSentinels`: SENTINEL_RESET_NO_SENTINELS. */
export function resetMaster(ctx: Ctx, m: Master, opts: { keepSentinels: boolean; event: boolean }): void {
  const now = ctx.now;
  for (const r of m.replicas.values()) releaseInstance(ctx, r);
  m.replicas.clear();
  if (!opts.keepSentinels) {
    for (const p of m.sentinels.values()) releaseInstance(ctx, p);
    m.sentinels.clear();
  }
  closeConn(ctx, m.link, 'cmd');
  closeConn(ctx, m.link, 'pubsub');
  m.sDown = false;
  m.oDown = false;
  m.failoverInProgress = false;
  m.forceFailover = false;
  m.scriptKillSent = false;
  m.masterReboot = false;
  m.leader = null;
  m.failoverState = FailoverState.None;
  m.failoverStateChangeTime = 0;
  m.failoverStartTime = NEVER;
  m.promoted = null;
  m.runid = null;
  m.electionStartAt = 0;
  m.offsetQuery = null;
  m.coordinated = false;
  m.infoRefresh = 0; // ask for INFO as soon as the link is back, so replicas are rediscovered at once
  m.link.actPingTime = now;
  m.link.lastPingTime = 0;
  m.link.lastAvailTime = now;
  m.link.lastPongTime = now;
  m.roleReportedTime = now;
  m.roleReported = 'master';
  if (opts.event) ctx.instanceEvent('+reset-master', m);
}

/**
 * sentinelResetMasterAndChangeAddress: the master moves to `addr`; every known replica except the new master,
 * plus the old master address, become replicas (+slave each), sentinels are kept, and the config is flushed.
 */
export function resetMasterAndChangeAddress(ctx: Ctx, m: Master, addr: Addr): void {
  const replicaAddrs: Addr[] = [];
  for (const r of m.replicas.values()) if (!addrEqual(r.addr, addr)) replicaAddrs.push(r.addr);
  if (!addrEqual(addr, m.addr)) replicaAddrs.push(m.addr);
  resetMaster(ctx, m, { keepSentinels: true, event: false });
  m.addr = addr;
  m.oDownSince = 0;
  m.sDownSince = 0;
  for (const a of replicaAddrs) {
    const r = createReplica(ctx.state, m, a, ctx.now);
    if (typeof r !== 'string') ctx.instanceEvent('+slave', r);
  }
  ctx.persist('switch master address');
}

/** sentinelPropagateDownAfterPeriod. */
export function propagateDownAfter(m: Master): void {
  for (const r of m.replicas.values()) r.downAfter = m.downAfter;
  for (const p of m.sentinels.values()) p.downAfter = m.downAfter;
}

/** sentinelRedisInstanceNoDownFor: not SDOWN/ODOWN within the last `ms` (or never). */
export function noDownFor(ri: Instance, ms: number, now: number): boolean {
  let mostRecent = ri.sDownSince;
  if (ri.kind === 'master' && ri.oDownSince > mostRecent) mostRecent = ri.oDownSince;
  return mostRecent === 0 || now - mostRecent > ms;
}

/** sentinelMasterLooksSane. */
export function masterLooksSane(m: Master, now: number, infoPeriod: number): boolean {
  return m.roleReported === 'master' && !m.sDown && !m.oDown && now - m.infoRefresh < infoPeriod * 2;
}
