/**
 * The FAILOVER command's decisions (replication.c failoverCommand, updateFailoverStatus, abortFailover), pure:
 * argument parsing with the exact 7.0 errors, the start checks, and what each cron tick must do. The driver
 * pauses/unpauses writes, demotes the node and runs the PSYNC … FAILOVER handshake.
 */
import { parseLongLong } from '../args.js';
import type { FailoverState } from '../info.js';
import { REPL_ERR } from '../wire.js';
import { findReplica, replicaIp, type ReplicaRecord } from './replica-records.js';

export type FailoverRequest =
  | { readonly kind: 'abort' }
  | {
      readonly kind: 'start';
      readonly to: { readonly host: string; readonly port: number } | null;
      readonly force: boolean;
      /** TIMEOUT in ms, 0 when not given. */
      readonly timeoutMs: number;
    };

/** Parse FAILOVER's arguments (args[0] is the command name); a string is the error reply. */
export function parseFailover(args: readonly string[]): FailoverRequest | string {
  if (args.length === 2 && args[1]!.toLowerCase() === 'abort') return { kind: 'abort' };
  let timeoutMs = 0;
  let force = false;
  let to: { host: string; port: number } | null = null;
  for (let j = 1; j < args.length; j++) {
    const a = args[j]!.toLowerCase();
    if (a === 'timeout' && j + 1 < args.length && timeoutMs === 0) {
      const t = parseLongLong(args[j + 1]!);
      if (t === null) return REPL_ERR.NOT_INTEGER;
      if (t <= 0) return REPL_ERR.FAILOVER_TIMEOUT_POSITIVE;
      timeoutMs = t;
      j++;
    } else if (a === 'to' && j + 2 < args.length && to === null) {
      const port = parseLongLong(args[j + 2]!);
      if (port === null) return REPL_ERR.NOT_INTEGER;
      to = { host: args[j + 1]!, port };
      j += 2;
    } else if (a === 'force' && !force) {
      force = true;
    } else {
      return REPL_ERR.SYNTAX;
    }
  }
  return { kind: 'start', to, force, timeoutMs };
}

/** A failover in progress, as data. */
export interface FailoverPlan {
  state: Exclude<FailoverState, 'no-failover'>;
  /** Chosen (or given) target; null until a replica catches up when none was named. */
  target: { host: string; port: number } | null;
  readonly force: boolean;
  /** Monotonic ms, or null without TIMEOUT. */
  readonly deadline: number | null;
}

/** failoverCommand's checks, in its order; returns the error reply or the plan to start. */
export function startFailover(
  req: Extract<FailoverRequest, { kind: 'start' }>,
  ctx: { readonly inProgress: boolean; readonly isReplica: boolean; readonly replicas: readonly ReplicaRecord[]; readonly now: number },
): FailoverPlan | string {
  if (ctx.inProgress) return REPL_ERR.FAILOVER_ALREADY;
  if (ctx.isReplica) return REPL_ERR.FAILOVER_ON_REPLICA;
  if (ctx.replicas.length === 0) return REPL_ERR.FAILOVER_NO_REPLICAS;
  if (req.force && (req.timeoutMs === 0 || req.to === null)) return REPL_ERR.FAILOVER_FORCE_NEEDS;
  if (req.to !== null) {
    const r = findReplica(ctx.replicas, req.to.host, req.to.port);
    if (r === null) return REPL_ERR.FAILOVER_TARGET_NOT_REPLICA;
    if (r.state !== 'online') return REPL_ERR.FAILOVER_TARGET_NOT_ONLINE;
  }
  return {
    state: 'waiting-for-sync',
    target: req.to === null ? null : { ...req.to },
    force: req.force,
    deadline: req.timeoutMs > 0 ? ctx.now + req.timeoutMs : null,
  };
}

export type FailoverTick =
  | { readonly kind: 'wait' }
  | { readonly kind: 'abort'; readonly reason: string }
  /** Demote to a replica of the target and send PSYNC … FAILOVER. */
  | { readonly kind: 'hand-over'; readonly host: string; readonly port: number };

/**
 * updateFailoverStatus, once per cron tick while waiting for sync: past the deadline either hand over anyway
 * (FORCE) or give up; otherwise hand over to the target (or the first replica) once its ACK offset EQUALS ours.
 * Mutates the plan's state/target the way Redis records them.
 */
export function failoverTick(plan: FailoverPlan, replicas: readonly ReplicaRecord[], masterOffset: number, now: number): FailoverTick {
  if (plan.state !== 'waiting-for-sync') return { kind: 'wait' };
  if (plan.deadline !== null && plan.deadline <= now) {
    if (plan.force && plan.target !== null) {
      plan.state = 'failover-in-progress';
      return { kind: 'hand-over', host: plan.target.host, port: plan.target.port };
    }
    return { kind: 'abort', reason: 'Replica never caught up before timeout' };
  }
  let replica: ReplicaRecord | null = null;
  if (plan.target !== null) {
    replica = findReplica(replicas, plan.target.host, plan.target.port);
  } else {
    for (const r of replicas) {
      if (r.ackOffset === masterOffset) {
        replica = r;
        plan.target = { host: replicaIp(r), port: r.conf.listeningPort };
        break;
      }
    }
  }
  if (replica !== null && replica.ackOffset === masterOffset && plan.target !== null) {
    plan.state = 'failover-in-progress';
    return { kind: 'hand-over', host: plan.target.host, port: plan.target.port };
  }
  return { kind: 'wait' };
}
