/**
 * Replies and pub/sub messages coming back from nodes and peers (sentinel.c sentinelPingReplyCallback,
 * sentinelInfoReplyCallback, sentinelPublishReplyCallback, sentinelReceiveIsMasterDownReply,
 * sentinelReceiveHelloMessages). A reply of an unexpected shape is ignored, never trusted and never thrown on.
 */
import { parseInfo } from '../protocol/info-parse.js';
import { classifyPing, infoText, parseMasterDownReply, type Reply } from '../protocol/reply.js';
import { HELLO_CHANNEL } from '../protocol/wire-names.js';
import type { Ctx, PendingRequest } from './context.js';
import { abortFailover } from './failover.js';
import { processHello } from './hello-apply.js';
import { applyInfo } from './info-apply.js';
import { FailoverState, type Instance, type Link } from './model.js';
import { applyAskReply } from './votes.js';

export function handleReply(ctx: Ctx, p: PendingRequest, req: number, reply: Reply): void {
  const link = ctx.state.links.get(p.link);
  if (link !== undefined && p.conn === 'cmd' && link.pendingCommands > 0) link.pendingCommands--;
  const ri = p.ri;
  if (ri.removed) return;
  switch (p.purpose) {
    case 'ping':
      onPingReply(ctx, ri, reply);
      return;
    case 'info': {
      if (ri.kind === 'slave') ri.master.offsetQuery?.waiting.delete(req);
      const text = infoText(reply);
      // Not an INFO text (error, closed, garbage): keep the in-flight mark, so the retry waits for the INFO period
      // instead of looping on a node that fails every request at once.
      if (text === null) return;
      applyInfo(ctx, ri, text, parseInfo(text));
      return;
    }
    case 'publish':
      // only a successful publish ends the in-flight window early (sentinelPublishReplyCallback)
      if (reply.kind !== 'error' && reply.kind !== 'closed') {
        ri.pubSentAt = 0;
        ri.lastPubTime = ctx.now;
      }
      return;
    case 'ask': {
      if (ri.kind !== 'sentinel') return;
      const parsed = parseMasterDownReply(reply);
      if (parsed === null) return; // askSentAt stays: no immediate re-ask to a peer that answers nonsense
      applyAskReply(ctx, ri, parsed);
      return;
    }
    case 'promote-exec':
      // The transaction ran: SLAVEOF NO ONE already took effect, so one INFO now confirms the promotion instead
      // of waiting for the next poll.
      if (ctx.tuning.enabled && ri.kind === 'slave' && ri.promoted && ri.master.failoverState === FailoverState.WaitPromotion) {
        if (ctx.send(ri, ['INFO'], 'info')) ri.infoSentAt = ctx.now;
      }
      return;
    case 'failover-to':
      if (ri.kind === 'master' && reply.kind === 'error' && ri.coordinated && ri.failoverState === FailoverState.WaitPromotion) {
        ctx.log('warning', `Coordinated failover of '${ri.name}' refused by the master: ${reply.message}`, { master: ri.name });
        ctx.instanceEvent('-failover-abort-slave-timeout', ri);
        abortFailover(ctx, ri);
      }
      return;
    case 'discard':
      return;
  }
}

/** +PONG, -LOADING and -MASTERDOWN prove the instance alive; -BUSY while SDOWN gets one SCRIPT KILL. */
function onPingReply(ctx: Ctx, ri: Instance, reply: Reply): void {
  const link = ri.link;
  const outcome = classifyPing(reply);
  if (outcome === 'none') return;
  if (outcome === 'pong' || outcome === 'loading' || outcome === 'masterdown') {
    link.lastAvailTime = ctx.now;
    link.actPingTime = 0;
    if (ri.kind === 'master' && ri.masterReboot && outcome === 'pong') ri.masterReboot = false;
    if (ri.kind === 'slave' && ri.availableSince === 0) ri.availableSince = ctx.now;
  } else if (outcome === 'busy' && ri.sDown && !ri.scriptKillSent) {
    ctx.send(ri, ['SCRIPT', 'KILL'], 'discard');
    ri.scriptKillSent = true;
  }
  link.lastPongTime = ctx.now;
}

/** A pub/sub push on a node's hello subscription. */
export function handleMessage(ctx: Ctx, link: Link, channel: string, payload: string): void {
  link.pcLastActivity = ctx.now;
  if (link.owner.removed) return;
  if (channel !== HELLO_CHANNEL) return;
  processHello(ctx, payload, true);
}
