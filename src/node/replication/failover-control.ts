/**
 * Driving a FAILOVER (replication.c failoverCommand, updateFailoverStatus, abortFailover, clearFailoverState and
 * the PSYNC … FAILOVER outcome check in syncWithMaster): pause writes, wait for a replica to ACK exactly our
 * offset, demote to a replica of it with `PSYNC <id> <off> FAILOVER`, then unpause once it answered +CONTINUE or
 * +FULLRESYNC; anything else makes this node master again (with a fresh id shift) and unpauses.
 */
import type { FailoverState } from './info.js';
import { failoverTick, parseFailover, startFailover, type FailoverPlan } from './primary/failover.js';
import type { PsyncOutcome } from './replica/handshake.js';
import type { ReplicationService } from './service.js';
import { REPL_ERR } from './wire.js';

export class FailoverControl {
  readonly #svc: ReplicationService;
  #plan: FailoverPlan | null = null;

  constructor(svc: ReplicationService) {
    this.#svc = svc;
  }

  get state(): FailoverState {
    return this.#plan?.state ?? 'no-failover';
  }

  get active(): boolean {
    return this.#plan !== null;
  }

  /** The demoted node's handshake must send PSYNC … FAILOVER. */
  get handingOver(): boolean {
    return this.#plan?.state === 'failover-in-progress';
  }

  /** replicationCron: no PINGs while a FAILOVER with a TIMEOUT keeps writes paused. */
  suppressPings(): boolean {
    return this.#plan !== null && this.#plan.deadline !== null && this.#svc.ports.writesPaused();
  }

  /** The FAILOVER command; returns the reply: null for +OK, else an error text. */
  command(args: readonly string[]): string | null {
    const req = parseFailover(args);
    if (typeof req === 'string') return req;
    if (req.kind === 'abort') {
      if (this.#plan === null) return REPL_ERR.FAILOVER_NONE_IN_PROGRESS;
      this.abort('Failover manually aborted');
      return null;
    }
    const svc = this.#svc;
    const plan = startFailover(req, {
      inProgress: this.#plan !== null,
      isReplica: svc.isReplica,
      replicas: svc.feeder.records(),
      now: svc.ports.clock.monotonic(),
    });
    if (typeof plan === 'string') return plan;
    this.#plan = plan;
    svc.ports.log('notice', plan.target === null ? 'FAILOVER requested to any replica.' : `FAILOVER requested to ${plan.target.host}:${plan.target.port}.`);
    svc.ports.pauseWrites('failover');
    return null;
  }

  /** Every 100 ms, and on each ACK. */
  tick(now: number): void {
    const plan = this.#plan;
    if (plan === null) return;
    const svc = this.#svc;
    if (plan.state === 'failover-in-progress') {
      if (plan.deadline !== null && now > plan.deadline + 60_000) this.abort('Failover target did not answer');
      return;
    }
    const t = failoverTick(plan, svc.feeder.records(), svc.history.masterReplOffset, now);
    if (t.kind === 'abort') this.abort(t.reason);
    else if (t.kind === 'hand-over') {
      svc.ports.log('notice', `Failover target ${t.host}:${t.port} is synced, failing over.`);
      svc.setMaster(t.host, t.port);
    }
  }

  check(): void {
    if (this.#plan?.state === 'waiting-for-sync') this.tick(this.#svc.ports.clock.monotonic());
  }

  replicaGone(): void {
    // nothing to do: the tick keeps waiting for another replica (or the timeout)
  }

  /** The PSYNC … FAILOVER answer from the target. */
  psyncOutcome(o: PsyncOutcome): void {
    if (this.#plan?.state !== 'failover-in-progress') return;
    if (o.kind === 'continue' || o.kind === 'full') {
      this.#svc.ports.log('notice', 'Failover completed');
      this.#clear();
    } else {
      this.abort('Failover target rejected psync request');
    }
  }

  /** The hand-over connection failed before any PSYNC answer. */
  handoverFailed(): void {
    if (this.#plan?.state === 'failover-in-progress') this.abort('Failover target rejected psync request');
  }

  abort(reason: string): void {
    const plan = this.#plan;
    if (plan === null) return;
    const to = plan.target === null ? 'any replica' : `${plan.target.host}:${plan.target.port}`;
    this.#svc.ports.log('notice', `FAILOVER to ${to} aborted: ${reason}`);
    if (plan.state === 'failover-in-progress') this.#svc.unsetMaster('failover aborted');
    this.#clear();
  }

  #clear(): void {
    this.#plan = null;
    this.#svc.ports.unpauseWrites('failover');
  }
}
