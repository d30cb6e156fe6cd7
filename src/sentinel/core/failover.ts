/**
 * The failover state machine (sentinel.c sentinelStartFailover*, sentinelFailover*, sentinelAbortFailover,
 * sentinelFailoverSwitchToPromotedSlave) and the reconfiguration transaction (sentinelSendSlaveOf).
 * States: wait_start → select_slave → send_slaveof_noone → wait_promotion → reconf_slaves → update_config.
 * tsentinel runs consecutive states in one step when nothing needs to be waited for, and adds two steps the
 * reference lacks: a fresh-offset query in select_slave, and FAILOVER TO for coordinated manual failovers.
 */
import { announceHost, type Addr } from '../protocol/addr.js';
import { formatSwitchMaster } from '../protocol/event-format.js';
import type { Ctx, Purpose } from './context.js';
import { currentMasterAddr, resetMasterAndChangeAddress } from './instances.js';
import { FailoverState, SIMFAILURE_CRASH_AFTER_ELECTION, type Master, type Replica } from './model.js';
import { isPromotable, selectReplica } from './selection.js';
import { MAX_DESYNC } from './timing.js';
import { getLeader } from './votes.js';

/**
 * MULTI / SLAVEOF host port (or NO ONE) / CONFIG REWRITE / CLIENT KILL TYPE normal / CLIENT KILL TYPE pubsub / EXEC.
 * Replies are discarded; the outcome is observed through INFO. The CLIENT KILLs make clients re-resolve the
 * master through Sentinel. Returns false (nothing sent) when the command connection is down.
 */
export function sendSlaveOf(ctx: Ctx, ri: Replica | Master, to: Addr | null, execPurpose: Purpose = 'discard'): boolean {
  if (ri.link.cc !== 'up') return false;
  const host = to === null ? 'NO' : announceHost(to, ctx.state.config.announceHostnames);
  const port = to === null ? 'ONE' : String(to.port);
  ctx.send(ri, ['MULTI'], 'discard');
  ctx.send(ri, ['SLAVEOF', host, port], 'discard');
  ctx.send(ri, ['CONFIG', 'REWRITE'], 'discard');
  ctx.send(ri, ['CLIENT', 'KILL', 'TYPE', 'normal'], 'discard');
  ctx.send(ri, ['CLIENT', 'KILL', 'TYPE', 'pubsub'], 'discard');
  ctx.send(ri, ['EXEC'], execPurpose);
  return true;
}

/** sentinelStartFailover: new epoch, +try-failover, wait_start, start time desynchronised by up to 1 s. */
export function startFailover(ctx: Ctx, m: Master): void {
  const st = ctx.state;
  m.failoverState = FailoverState.WaitStart;
  m.failoverInProgress = true;
  m.failoverEpoch = ++st.currentEpoch;
  ctx.plainEvent('+new-epoch', String(st.currentEpoch), m);
  ctx.instanceEvent('+try-failover', m);
  m.failoverStartTime = ctx.now + ctx.random.int(MAX_DESYNC);
  m.failoverStateChangeTime = ctx.now;
  m.electionStartAt = 0;
}

/**
 * sentinelStartFailoverIfNeeded: ODOWN, no failover running, and no attempt (or vote for another sentinel) within
 * 2×failover-timeout. tsentinel then waits a random 0..electionDesync ms before starting, so sentinels that
 * reached ODOWN in the same instant do not all request votes at once and split them; a vote granted to another
 * candidate meanwhile moves failoverStartTime and cancels our attempt, as in the reference.
 */
export function startFailoverIfNeeded(ctx: Ctx, m: Master): boolean {
  if (!m.oDown) {
    m.electionStartAt = 0;
    return false;
  }
  if (m.failoverInProgress) return false;
  const gate = m.failoverTimeout * 2;
  if (ctx.now - m.failoverStartTime < gate) {
    if (m.failoverDelayLogged !== m.failoverStartTime) {
      m.failoverDelayLogged = m.failoverStartTime;
      ctx.log('warning', 'Next failover delay: I will not start a failover before {at}', {
        master: m.name,
        atInMs: m.failoverStartTime + gate - ctx.now,
      });
    }
    m.electionStartAt = 0;
    return false;
  }
  // Alone, nobody can compete for the votes: no reason to wait.
  if (ctx.tuning.enabled && ctx.tuning.electionDesync > 0 && m.sentinels.size > 0) {
    if (m.electionStartAt === 0) {
      m.electionStartAt = ctx.now + 1 + ctx.random.int(ctx.tuning.electionDesync);
      return false;
    }
    if (ctx.now < m.electionStartAt) return false;
  }
  startFailover(ctx, m);
  return true;
}

/** sentinelAbortFailover (only possible up to wait_promotion). */
export function abortFailover(ctx: Ctx, m: Master): void {
  m.failoverInProgress = false;
  m.forceFailover = false;
  m.failoverState = FailoverState.None;
  m.failoverStateChangeTime = ctx.now;
  m.offsetQuery = null;
  m.coordinated = false;
  if (m.promoted !== null) {
    m.promoted.promoted = false;
    m.promoted = null;
  }
}

function setState(ctx: Ctx, m: Master, s: FailoverState): void {
  m.failoverState = s;
  m.failoverStateChangeTime = ctx.now;
}

/**
 * tsentinel: is it already certain that nobody can win the election of `epoch`? Every known sentinel has told us
 * its vote in this epoch (or will be counted as possibly still voting), and even if all the undecided ones voted
 * for the best-placed candidate it would miss the majority or the quorum: a split vote. Waiting for the election
 * timeout would only delay the retry.
 */
export function electionIsLost(m: Master, epoch: number, myVote: { leader: string | null; leaderEpoch: number }): boolean {
  const voters = m.sentinels.size + 1;
  const needed = Math.max(Math.floor(voters / 2) + 1, m.quorum);
  const counts = new Map<string, number>();
  let decided = 0;
  for (const p of m.sentinels.values()) {
    if (p.leader === null || p.leaderEpoch !== epoch) continue;
    decided++;
    counts.set(p.leader, (counts.get(p.leader) ?? 0) + 1);
  }
  if (myVote.leader !== null && myVote.leaderEpoch === epoch) {
    decided++;
    counts.set(myVote.leader, (counts.get(myVote.leader) ?? 0) + 1);
  }
  const best = Math.max(0, ...counts.values());
  return best + (voters - decided) < needed;
}

/** wait_start: become leader (or be forced), else give up after min(election-timeout, failover-timeout). */
function waitStart(ctx: Ctx, m: Master): void {
  const leader = getLeader(ctx, m, m.failoverEpoch);
  const isLeader = leader !== null && leader.toLowerCase() === ctx.state.myid.toLowerCase();
  if (!isLeader && !m.forceFailover) {
    const electionTimeout = Math.min(ctx.timing.electionTimeout, m.failoverTimeout);
    if (ctx.now - m.failoverStartTime > electionTimeout) {
      ctx.instanceEvent('-failover-abort-not-elected', m);
      abortFailover(ctx, m);
    } else if (ctx.tuning.enabled && ctx.state.currentEpoch === m.failoverEpoch && electionIsLost(m, m.failoverEpoch, { leader: m.leader, leaderEpoch: m.leaderEpoch })) {
      // A proven split vote: abort now and retry after a short random back-off instead of 2×failover-timeout
      // (Raft's randomized election timeout). Safe because nobody can have won this epoch, and a new attempt
      // needs a new epoch and a fresh majority.
      ctx.instanceEvent('-failover-abort-not-elected', m);
      abortFailover(ctx, m);
      const backoff = 1 + ctx.random.int(Math.max(1, ctx.tuning.electionDesync * 2));
      m.failoverStartTime = ctx.now - m.failoverTimeout * 2 + backoff;
      m.electionStartAt = 0;
      ctx.log('notice', `Split vote in epoch ${m.failoverEpoch} for '${m.name}': retrying in ${backoff} ms`, { master: m.name, epoch: m.failoverEpoch });
    }
    return;
  }
  ctx.instanceEvent('+elected-leader', m);
  if (ctx.state.simFailureFlags & SIMFAILURE_CRASH_AFTER_ELECTION) {
    ctx.out.push({ type: 'exit', code: 99, msg: 'Sentinel CRASH because of SENTINEL simulate-failure' });
  }
  setState(ctx, m, FailoverState.SelectSlave);
  ctx.instanceEvent('+failover-state-select-slave', m);
}

/**
 * select_slave. tsentinel first asks every candidate for a fresh INFO and ranks on the offsets that come back
 * (bounded by offsetQueryTimeout), because the last periodic INFO can be seconds old and ranking on it can promote a
 * replica that lacks a write another replica acknowledged (redis/redis#13483).
 */
function selectSlaveStep(ctx: Ctx, m: Master): void {
  let freshSince: number | undefined;
  if (ctx.tuning.enabled) {
    if (m.offsetQuery === null) {
      const waiting = new Set<number>();
      for (const r of m.replicas.values()) {
        if (r.sDown || r.link.cc !== 'up' || r.slavePriority === 0) continue;
        const before = ctx.out.length;
        if (ctx.send(r, ['INFO'], 'info')) {
          const eff = ctx.out[before];
          if (eff !== undefined && eff.type === 'send') waiting.add(eff.req);
          r.infoSentAt = ctx.now;
        }
      }
      m.offsetQuery = { start: ctx.now, deadline: ctx.now + ctx.tuning.offsetQueryTimeout, waiting };
      if (waiting.size > 0) return;
    } else if (m.offsetQuery.waiting.size > 0 && ctx.now < m.offsetQuery.deadline) {
      return;
    }
    freshSince = m.offsetQuery.start;
  }
  m.offsetQuery = null;
  const slave = selectReplica(m, ctx.now, ctx.timing, freshSince);
  if (slave === null) {
    ctx.instanceEvent('-failover-abort-no-good-slave', m);
    abortFailover(ctx, m);
    return;
  }
  ctx.instanceEvent('+selected-slave', slave);
  slave.promoted = true;
  m.promoted = slave;
  setState(ctx, m, FailoverState.SendSlaveofNoOne);
  ctx.instanceEvent('+failover-state-send-slaveof-noone', slave);
}

/**
 * send_slaveof_noone: SLAVEOF NO ONE to the chosen replica (its EXEC reply triggers an immediate INFO poll), or,
 * for a coordinated failover, FAILOVER TO <replica> TIMEOUT <ms> to the old master, which pauses writes, waits
 * for the replica to catch up and hands over — nothing acknowledged is lost.
 */
function sendSlaveofNoOneStep(ctx: Ctx, m: Master): void {
  const slave = m.promoted;
  if (slave === null) return;
  if (slave.link.disconnected) {
    if (ctx.now - m.failoverStateChangeTime > m.failoverTimeout) {
      ctx.instanceEvent('-failover-abort-slave-timeout', m);
      abortFailover(ctx, m);
    }
    return;
  }
  if (m.coordinated) {
    const host = announceHost(slave.addr, ctx.state.config.announceHostnames);
    const ok = ctx.send(m, ['FAILOVER', 'TO', host, String(slave.addr.port), 'TIMEOUT', String(coordinatedTimeout(m))], 'failover-to');
    if (!ok) return;
  } else if (!sendSlaveOf(ctx, slave, null, 'promote-exec')) {
    return;
  }
  ctx.instanceEvent('+failover-state-wait-promotion', slave);
  setState(ctx, m, FailoverState.WaitPromotion);
}

/** The pause the old master may spend waiting for the target to catch up in a coordinated failover. */
export function coordinatedTimeout(m: Master): number {
  return Math.max(1000, Math.min(10_000, Math.floor(m.failoverTimeout / 2)));
}

function waitPromotionStep(ctx: Ctx, m: Master): void {
  const limit = m.coordinated ? Math.min(m.failoverTimeout, coordinatedTimeout(m) + 5000) : m.failoverTimeout;
  if (ctx.now - m.failoverStateChangeTime > limit) {
    ctx.instanceEvent('-failover-abort-slave-timeout', m);
    abortFailover(ctx, m);
  }
}

/**
 * reconf_slaves: SLAVEOF <promoted> to at most parallel-syncs replicas at a time; a replica stuck in reconf_sent
 * for slave-reconf-timeout counts as done; then detect the end of the failover.
 */
function reconfNextSlave(ctx: Ctx, m: Master): void {
  const promoted = m.promoted;
  if (promoted === null) return;
  let inProgress = 0;
  for (const r of m.replicas.values()) if (r.reconfSent || r.reconfInprog) inProgress++;
  for (const r of m.replicas.values()) {
    if (inProgress >= m.parallelSyncs) break;
    if (r.promoted || r.reconfDone) continue;
    if (r.reconfSent && ctx.now - r.slaveReconfSentTime > ctx.timing.slaveReconfTimeout) {
      ctx.instanceEvent('-slave-reconf-sent-timeout', r);
      r.reconfSent = false;
      r.reconfDone = true;
    }
    if (r.reconfSent || r.reconfInprog) continue;
    if (r.link.disconnected) continue;
    if (sendSlaveOf(ctx, r, promoted.addr)) {
      r.reconfSent = true;
      r.slaveReconfSentTime = ctx.now;
      ctx.instanceEvent('+slave-reconf-sent', r);
      inProgress++;
    }
  }
  detectEnd(ctx, m);
}

/** sentinelFailoverDetectEnd. */
function detectEnd(ctx: Ctx, m: Master): void {
  const promoted = m.promoted;
  if (promoted === null || promoted.sDown) return;
  let notReconfigured = 0;
  for (const r of m.replicas.values()) {
    if (r.promoted || r.reconfDone) continue;
    if (r.sDown) continue;
    notReconfigured++;
  }
  let timeout = false;
  if (ctx.now - m.failoverStateChangeTime > m.failoverTimeout) {
    notReconfigured = 0;
    timeout = true;
    ctx.instanceEvent('+failover-end-for-timeout', m);
  }
  if (notReconfigured === 0) {
    ctx.instanceEvent('+failover-end', m);
    setState(ctx, m, FailoverState.UpdateConfig);
  }
  if (timeout) {
    for (const r of m.replicas.values()) {
      if (r.promoted || r.reconfDone || r.reconfSent) continue;
      if (r.link.disconnected) continue;
      if (sendSlaveOf(ctx, r, promoted.addr)) {
        ctx.instanceEvent('+slave-reconf-sent-be', r);
        r.reconfSent = true;
      }
    }
  }
}

/** update_config: +switch-master and the master record moves to the promoted replica's address. */
export function switchToPromoted(ctx: Ctx, m: Master): void {
  const ref = m.promoted ?? m;
  const ah = ctx.state.config.announceHostnames;
  ctx.plainEvent(
    '+switch-master',
    formatSwitchMaster(m.name, announceHost(m.addr, ah), m.addr.port, announceHost(ref.addr, ah), ref.addr.port),
    m,
  );
  resetMasterAndChangeAddress(ctx, m, ref.addr);
}

/** One pass of the machine; consecutive states that need no waiting run in the same step (tsentinel). */
export function failoverStateMachine(ctx: Ctx, m: Master): void {
  for (let guard = 0; guard < 8; guard++) {
    if (!m.failoverInProgress) return;
    const before = m.failoverState;
    switch (m.failoverState) {
      case FailoverState.WaitStart:
        waitStart(ctx, m);
        break;
      case FailoverState.SelectSlave:
        selectSlaveStep(ctx, m);
        break;
      case FailoverState.SendSlaveofNoOne:
        sendSlaveofNoOneStep(ctx, m);
        break;
      case FailoverState.WaitPromotion:
        waitPromotionStep(ctx, m);
        break;
      case FailoverState.ReconfSlaves:
        reconfNextSlave(ctx, m);
        break;
      default:
        return;
    }
    if (m.failoverState === before || !ctx.tuning.enabled) return;
    if (ctx.out.some((e) => e.type === 'exit')) return;
  }
}

/** SENTINEL FAILOVER precondition: some replica could be promoted right now. */
export function hasPromotableReplica(m: Master, now: number, ctx: Ctx): boolean {
  for (const r of m.replicas.values()) if (isPromotable(r, m, now, ctx.timing)) return true;
  return false;
}

export { currentMasterAddr };
