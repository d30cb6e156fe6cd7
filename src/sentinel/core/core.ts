/**
 * SentinelCore: the whole decision logic as one synchronous state machine. `handle(input, now)` applies one input
 * and returns the effects to execute, in order; `nextDeadline(now)` says when the driver must tick next. Time is
 * the monotonic millisecond count the driver passes in; randomness is the injected Random.
 *
 * Each input runs the reference's per-instance timer work (sentinel.c sentinelHandleRedisInstance) for the master
 * it concerns right away, so every step that the reference defers to its next 100 ms tick happens as soon as its
 * evidence arrives; a `tick` runs it for every master and checks TILT.
 */
import type { Random } from '../../common/random.js';
import { Ctx, type PendingRequest } from './context.js';
import { failoverStateMachine, startFailoverIfNeeded, switchToPromoted } from './failover.js';
import type { Effect, Input } from './io.js';
import { FailoverState, defaultGlobalConfig, type GlobalConfig, type Instance, type Master, type SentinelState } from './model.js';
import { infoPeriodFor, onLinkDown, onLinkUp, pingPeriodFor, reconnectInstance, sendPeriodicCommands } from './monitor.js';
import { handleMessage, handleReply } from './replies.js';
import { checkObjectivelyDown, checkSubjectivelyDown } from './sdown.js';
import { DEFAULT_TIMING, DEFAULT_TUNING, type Timing, type Tuning } from './timing.js';
import { askPeers } from './votes.js';

export interface CoreOptions {
  readonly myid?: string;
  readonly random: Random;
  readonly now: number;
  readonly timing?: Partial<Timing>;
  readonly tuning?: Partial<Tuning>;
  readonly config?: Partial<GlobalConfig>;
}

export class SentinelCore {
  readonly state: SentinelState;
  readonly random: Random;
  readonly #pending = new Map<number, PendingRequest>();
  #nextReq = 1;

  constructor(opts: CoreOptions) {
    this.random = opts.random;
    this.state = {
      myid: opts.myid ?? '',
      currentEpoch: 0,
      masters: new Map(),
      tilt: false,
      tiltStartTime: 0,
      previousTime: opts.now,
      tiltCount: 0,
      simFailureFlags: 0,
      config: { ...defaultGlobalConfig(), ...opts.config },
      timing: { ...DEFAULT_TIMING, ...opts.timing },
      tuning: { ...DEFAULT_TUNING, ...opts.tuning },
      links: new Map(),
      nextLinkId: 1,
      dns: new Map(),
    };
  }

  /** A context for one step; admin operations (core/admin.ts) use it too. */
  begin(now: number): Ctx {
    return new Ctx(this.state, now, this.random, this.#pending, () => this.#nextReq++);
  }

  /** Number of replies the core still waits for (diagnostics and tests). */
  get pendingRequests(): number {
    return this.#pending.size;
  }

  handle(input: Input, now: number): Effect[] {
    const ctx = this.begin(now);
    // TILT is checked before any input, not only on timer ticks: after a stall the first thing processed may be a
    // stale reply, and its SDOWN evaluation must already know that our sense of time just jumped (the reference
    // gets this ordering from its event loop: replies only update state, only the timer judges).
    checkTilt(ctx);
    switch (input.type) {
      case 'tick':
        this.#tick(ctx);
        break;
      case 'link-up': {
        const link = this.state.links.get(input.link);
        if (link === undefined) break;
        onLinkUp(ctx, link, input.conn, input.localIp ?? null);
        runMaster(ctx, Ctx.masterOf(link.owner));
        break;
      }
      case 'link-down': {
        const link = this.state.links.get(input.link);
        if (link === undefined) break;
        onLinkDown(ctx, link, input.conn, input.reason ?? 'connection lost');
        runMaster(ctx, Ctx.masterOf(link.owner));
        break;
      }
      case 'reply': {
        const p = this.#pending.get(input.req);
        if (p === undefined) break;
        this.#pending.delete(input.req);
        handleReply(ctx, p, input.req, input.reply);
        if (!p.ri.removed) runMaster(ctx, Ctx.masterOf(p.ri));
        break;
      }
      case 'message': {
        const link = this.state.links.get(input.link);
        if (link === undefined) break;
        handleMessage(ctx, link, input.channel, input.payload);
        if (!link.owner.removed) runMaster(ctx, Ctx.masterOf(link.owner));
        break;
      }
      case 'resolved':
        this.state.dns.set(input.host.toLowerCase(), input.ip);
        break;
    }
    return ctx.out;
  }

  /** sentinelTimer: TILT detection, then every master with its replicas and sentinels. */
  #tick(ctx: Ctx): void {
    for (const m of [...this.state.masters.values()]) if (!m.removed) runMaster(ctx, m);
  }

  /**
   * The earliest time something is due (a PING, INFO, hello, reconnect, SDOWN threshold, ask, election start,
   * offset-query deadline), never later than one heartbeat from now (TILT detection needs a regular tick).
   */
  nextDeadline(now: number): number {
    let best = now + this.state.tuning.heartbeat;
    const ctx = this.begin(now);
    const consider = (t: number): void => {
      if (t < best) best = t;
    };
    for (const m of this.state.masters.values()) {
      for (const ri of instancesOf(m)) deadlinesOf(ctx, ri, consider);
      if (m.electionStartAt !== 0) consider(m.electionStartAt);
      if (m.offsetQuery !== null) consider(m.offsetQuery.deadline);
    }
    return Math.max(best, now + 1);
  }
}

function* instancesOf(m: Master): Iterable<Instance> {
  yield m;
  yield* m.replicas.values();
  yield* m.sentinels.values();
}

function deadlinesOf(ctx: Ctx, ri: Instance, consider: (t: number) => void): void {
  const link = ri.link;
  const ping = pingPeriodFor(ctx, ri);
  if (link.disconnected) {
    if (ri.addr.port !== 0) consider(link.lastReconnTime + ping);
  } else {
    consider(Math.max(link.lastPongTime + ping, link.lastPingTime + ping / 2) + 1);
    consider(ri.lastPubTime + ctx.timing.publishPeriod + 1);
    if (ri.kind !== 'sentinel' && ri.infoRefresh !== 0) consider(ri.infoRefresh + infoPeriodFor(ctx, ri) + 1);
  }
  if (!ri.sDown && !ctx.state.tilt) {
    if (link.actPingTime !== 0) consider(link.actPingTime + ri.downAfter + 1);
    else if (link.disconnected) consider(link.lastAvailTime + ri.downAfter + 1);
  }
  if (ri.kind === 'sentinel' && ri.master.sDown && ctx.tuning.enabled && !ri.master.oDown) {
    consider(ri.lastMasterDownReplyTime + ctx.tuning.fastAskPeriod);
  }
}

/**
 * sentinelCheckTiltCondition: more than tilt-trigger ms since the previous input (the driver ticks at least every
 * heartbeat) or time going backwards means this process stalled; plus the exit after tilt-period without a new trigger.
 */
export function checkTilt(ctx: Ctx): void {
  const st = ctx.state;
  const delta = ctx.now - st.previousTime;
  if (delta < 0 || delta > st.timing.tiltTrigger) {
    if (!st.tilt) st.tiltCount++;
    st.tilt = true;
    st.tiltStartTime = ctx.now;
    ctx.plainEvent('+tilt', '#tilt mode entered');
    ctx.log('warning', `TILT: ${delta} ms between two timer runs (trigger ${st.timing.tiltTrigger} ms)`, { deltaMs: delta });
  }
  st.previousTime = ctx.now;
  if (st.tilt && ctx.now - st.tiltStartTime >= st.timing.tiltPeriod) {
    st.tilt = false;
    ctx.plainEvent('-tilt', '#tilt mode exited');
  }
}

/** sentinelHandleRedisInstance for one instance: monitoring half always, acting half unless in TILT. */
function handleInstance(ctx: Ctx, ri: Instance): void {
  reconnectInstance(ctx, ri);
  sendPeriodicCommands(ctx, ri);
  if (ctx.state.tilt) return;
  checkSubjectivelyDown(ctx, ri);
  if (ri.kind === 'master') {
    checkObjectivelyDown(ctx, ri);
    if (startFailoverIfNeeded(ctx, ri)) askPeers(ctx, ri, true);
    failoverStateMachine(ctx, ri);
    askPeers(ctx, ri, false);
  }
}

/** sentinelHandleDictOfRedisInstances for one master: the master, its replicas, its sentinels, then the switch. */
export function runMaster(ctx: Ctx, m: Master): void {
  if (m.removed) return;
  handleInstance(ctx, m);
  for (const r of [...m.replicas.values()]) if (!r.removed) handleInstance(ctx, r);
  for (const p of [...m.sentinels.values()]) if (!p.removed) handleInstance(ctx, p);
  if (m.failoverState === FailoverState.UpdateConfig) switchToPromoted(ctx, m);
}
