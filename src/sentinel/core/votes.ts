/**
 * Asking peers, voting and counting votes (sentinel.c sentinelAskMasterStateToOtherSentinels,
 * sentinelReceiveIsMasterDownReply, sentinelVoteLeader, sentinelGetLeader, and the IS-MASTER-DOWN-BY-ADDR
 * handler). The vote rules are the reference's exactly, because mixed fleets elect leaders together.
 */
import { announceHost } from '../protocol/addr.js';
import type { MasterDownReply } from '../protocol/reply.js';
import type { Ctx } from './context.js';
import { findMasterByAddr } from './instances.js';
import { FailoverState, type Master, type Peer } from './model.js';
import { MAX_DESYNC } from './timing.js';

export interface Vote {
  readonly leader: string | null;
  readonly leaderEpoch: number;
}

/**
 * sentinelVoteLeader — first come, first served, one vote per master per epoch, persisted before it is revealed:
 * 1. a request from a newer epoch moves our current epoch forward (flushed, +new-epoch);
 * 2. if we have not voted in that epoch yet and it is not older than our current epoch, the requester gets our vote
 *    (flushed, +vote-for-leader); voting for someone else also pushes our own failover start time forward, which
 *    keeps us from competing with the sentinel we just voted for for 2×failover-timeout;
 * 3. the answer is whatever vote we hold for this master.
 * The `persist` effects land before the caller's reply in the effect list: persist before you speak.
 */
export function voteLeader(ctx: Ctx, m: Master, reqEpoch: number, reqRunid: string): Vote {
  const st = ctx.state;
  if (reqEpoch > st.currentEpoch) {
    st.currentEpoch = reqEpoch;
    ctx.persist('new epoch from a vote request');
    ctx.plainEvent('+new-epoch', String(st.currentEpoch), m);
  }
  if (m.leaderEpoch < reqEpoch && st.currentEpoch <= reqEpoch) {
    m.leader = reqRunid;
    m.leaderEpoch = st.currentEpoch;
    ctx.persist('vote');
    ctx.plainEvent('+vote-for-leader', `${m.leader} ${m.leaderEpoch}`, m);
    if (m.leader.toLowerCase() !== st.myid.toLowerCase()) m.failoverStartTime = ctx.now + ctx.random.int(MAX_DESYNC);
  }
  return { leader: m.leader, leaderEpoch: m.leaderEpoch };
}

/** Votes of the other sentinels cast in `epoch`, counted per candidate (insertion order decides ties, like dict order). */
export function tallyVotes(peers: Iterable<Peer>, epoch: number): Map<string, number> {
  const counters = new Map<string, number>();
  for (const p of peers) {
    if (p.leader !== null && p.leaderEpoch === epoch) counters.set(p.leader, (counters.get(p.leader) ?? 0) + 1);
  }
  return counters;
}

/**
 * sentinelGetLeader: count the peers' votes for the current epoch, add our own vote (for the most voted candidate,
 * or for ourselves when nobody has votes yet), and declare a winner only with an absolute majority of all known
 * sentinels (dead ones included) AND at least `quorum` votes.
 */
export function getLeader(ctx: Ctx, m: Master, epoch: number): string | null {
  const voters = m.sentinels.size + 1;
  const counters = tallyVotes(m.sentinels.values(), ctx.state.currentEpoch);
  let winner: string | null = null;
  let maxVotes = 0;
  for (const [runid, votes] of counters) {
    if (votes > maxVotes) {
      maxVotes = votes;
      winner = runid;
    }
  }
  const my = voteLeader(ctx, m, epoch, winner ?? ctx.state.myid);
  if (my.leader !== null && my.leaderEpoch === epoch) {
    const votes = (counters.get(my.leader) ?? 0) + 1;
    counters.set(my.leader, votes);
    if (votes > maxVotes) {
      maxVotes = votes;
      winner = my.leader;
    }
  }
  const votersQuorum = Math.floor(voters / 2) + 1;
  if (winner !== null && (maxVotes < votersQuorum || maxVotes < m.quorum)) winner = null;
  return winner;
}

/**
 * Ask every connected peer about the master while we see it SDOWN (sentinelAskMasterStateToOtherSentinels). The
 * request carries our runid once we run a failover (a vote request), `*` otherwise. Replies older than
 * 5×ask-period expire the peer's down report and vote. Unforced asks are rate limited to one per ask-period per
 * peer; tsentinel re-asks at `fastAskPeriod` while it sees SDOWN without ODOWN yet, so ODOWN is reached as soon
 * as the peers have seen the failure too, and never re-sends while an ask is still in flight.
 */
export function askPeers(ctx: Ctx, m: Master, forced: boolean): void {
  const { now } = ctx;
  const t = ctx.timing;
  const period = ctx.tuning.enabled && m.sDown && !m.oDown ? Math.min(ctx.tuning.fastAskPeriod, t.askPeriod) : t.askPeriod;
  for (const p of m.sentinels.values()) {
    if (now - p.lastMasterDownReplyTime > t.askPeriod * 5) {
      p.masterDown = false;
      p.leader = null;
    }
    if (!m.sDown) continue;
    if (p.link.disconnected) continue;
    if (!forced) {
      if (now - p.lastMasterDownReplyTime < period) continue;
      if (p.askSentAt !== 0 && now - p.askSentAt < t.askPeriod) continue;
    }
    askPeer(ctx, m, p);
  }
}

function askPeer(ctx: Ctx, m: Master, p: Peer): void {
  const sent = ctx.send(
    p,
    [
      'SENTINEL',
      'is-master-down-by-addr',
      announceHost(m.addr, ctx.state.config.announceHostnames),
      String(m.addr.port),
      String(ctx.state.currentEpoch),
      m.failoverState > FailoverState.None ? ctx.state.myid : '*',
    ],
    'ask',
  );
  if (sent) p.askSentAt = ctx.now;
}

/** sentinelReceiveIsMasterDownReply (the reply already validated as [int, bulk, int]). */
export function applyAskReply(ctx: Ctx, p: Peer, r: MasterDownReply): void {
  p.askSentAt = 0;
  p.lastMasterDownReplyTime = ctx.now;
  p.masterDown = r.down;
  if (r.leader !== null) {
    if (p.leaderEpoch !== r.leaderEpoch) {
      ctx.log('warning', `${p.name} voted for ${r.leader} ${r.leaderEpoch}`, { peer: p.name, leader: r.leader, epoch: r.leaderEpoch });
    }
    p.leader = r.leader;
    p.leaderEpoch = r.leaderEpoch;
  }
}

export interface MasterDownAnswer {
  readonly down: boolean;
  readonly leader: string | null;
  readonly leaderEpoch: number;
}

/**
 * SENTINEL IS-MASTER-DOWN-BY-ADDR: the master is looked up by address; `down` only if we see it SDOWN and are not
 * in TILT; a runid other than `*` is a vote request, granted even in TILT. tsentinel: a peer asking about a master
 * we see SDOWN but not yet ODOWN is itself evidence that it sees the failure now, so we re-ask the peers that have
 * not reported down yet at once (rate limited) instead of waiting for our next ask round.
 */
export function answerIsMasterDown(ctx: Ctx, ip: string, port: number, reqEpoch: number, runid: string): MasterDownAnswer {
  const st = ctx.state;
  const m = findMasterByAddr(st, ip, port);
  const down = !st.tilt && m !== null && m.sDown;
  let vote: Vote = { leader: null, leaderEpoch: 0 };
  if (m !== null && runid !== '*') vote = voteLeader(ctx, m, reqEpoch, runid);
  if (m !== null && ctx.tuning.enabled && m.sDown && !m.oDown && !st.tilt && ctx.now - m.lastPeerTriggeredAsk >= 20) {
    m.lastPeerTriggeredAsk = ctx.now;
    reaskSilentPeers(ctx, m);
  }
  return { down, leader: vote.leader, leaderEpoch: vote.leaderEpoch };
}

function reaskSilentPeers(ctx: Ctx, m: Master): void {
  for (const p of m.sentinels.values()) {
    if (p.masterDown || p.link.disconnected) continue;
    if (p.askSentAt !== 0 && ctx.now - p.askSentAt < ctx.timing.askPeriod) continue;
    askPeer(ctx, m, p);
  }
}
