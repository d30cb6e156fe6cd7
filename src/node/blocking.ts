/**
 * Clients blocked on keys (blocked.c, Redis 7.0): BLPOP/BRPOP/BLMOVE/BLMPOP/BZPOPMIN/BZPOPMAX/BZMPOP.
 *
 * A blocked command's handler returns a promise that this manager settles. Writers signal keys that became
 * non-empty (`signalKeyAsReady`, as dbAdd does for lists and sorted sets); after each top-level command the
 * execution wrapper calls `handleReady()`, which serves waiters of each ready key in the order they blocked
 * (FIFO, as serveClientsBlockedOnListKey) until the key has nothing left or no waiter remains. A waiter blocked
 * on several keys is served by the first that becomes ready. Timeouts and CLIENT UNBLOCK end a wait with the
 * command's timeout reply (or an UNBLOCKED error).
 */
import { UNBLOCKED_ERROR } from '../server/replies.js';
import type { CommandContext } from '../server/types.js';
import type { ReadySignals } from './context.js';

export interface Waiter {
  readonly sessionId: number;
  readonly db: number;
  readonly keys: readonly string[];
  /** Try to serve from `key`; true when the waiter was served (its reply written). */
  serve(key: string): boolean;
  /** Write the reply for a timeout (also used by CLIENT UNBLOCK … TIMEOUT). */
  timedOut(): void;
  /** Write an error reply (CLIENT UNBLOCK … ERROR). */
  failed(message: string): void;
}

interface Entry {
  readonly w: Waiter;
  readonly resolve: () => void;
  timer: ReturnType<typeof setTimeout> | null;
  done: boolean;
}

export interface TimerPort {
  setTimeout(fn: () => void, ms: number): ReturnType<typeof setTimeout>;
  clearTimeout(t: ReturnType<typeof setTimeout>): void;
}

const realTimers: TimerPort = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t),
};

export class BlockingManager implements ReadySignals {
  readonly #byKey = new Map<string, Entry[]>();
  readonly #bySession = new Map<number, Entry>();
  #ready: string[] = [];
  readonly #readySet = new Set<string>();
  readonly #timers: TimerPort;
  /** Wall-clock source for absolute deadlines. */
  readonly #now: () => number;
  /** Called after waiters were served outside a command (so the caller can e.g. flush propagation). */
  onServed: (() => void) | null = null;

  constructor(now: () => number, timers: TimerPort = realTimers) {
    this.#now = now;
    this.#timers = timers;
  }

  /** Number of blocked clients (INFO blocked_clients). */
  get blockedClients(): number {
    return this.#bySession.size;
  }

  /** Keys with waiters (INFO clients.total_blocking_keys is 7.2; kept for diagnostics). */
  get blockingKeys(): number {
    return this.#byKey.size;
  }

  /**
   * Block the command running in `ctx`, registering with the server core how CLIENT UNBLOCK ends the wait
   * (TIMEOUT → the command's timeout reply, ERROR → `-UNBLOCKED …`).
   */
  blockClient(ctx: CommandContext, w: Waiter, deadline: number): Promise<void> {
    const p = this.block(w, deadline);
    ctx.setUnblockHandler?.((reason) => {
      this.unblock(w.sessionId, reason === 'error' ? UNBLOCKED_ERROR : null);
    });
    return p;
  }

  /**
   * blockForKeys as the pop/move commands use it: a timeout answers a null array (replyToBlockedClientTimedOut),
   * CLIENT UNBLOCK … ERROR the error text; `serve` tries one ready key.
   */
  blockForKeys(ctx: CommandContext, db: number, keys: readonly string[], deadline: number, serve: (key: string) => boolean): Promise<void> {
    const timedOut = (): void => ctx.reply.nilArray();
    const failed = (m: string): void => ctx.reply.error(m);
    return this.blockClient(ctx, { sessionId: ctx.session.id, db, keys, serve, timedOut, failed }, deadline);
  }

  /** Block until served, timed out or unblocked. `deadline` is absolute wall ms, 0 for no timeout. */
  block(w: Waiter, deadline: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const e: Entry = { w, resolve, timer: null, done: false };
      for (const k of new Set(w.keys)) {
        const id = keyId(w.db, k);
        let list = this.#byKey.get(id);
        if (list === undefined) this.#byKey.set(id, (list = []));
        list.push(e);
      }
      this.#bySession.set(w.sessionId, e);
      if (deadline > 0) {
        const ms = Math.max(0, deadline - this.#now());
        e.timer = this.#timers.setTimeout(() => {
          if (e.done) return;
          this.#finish(e);
          w.timedOut();
        }, ms);
      }
    });
  }

  signalKeyAsReady(db: number, key: string): void {
    const id = keyId(db, key);
    if (!this.#byKey.has(id) || this.#readySet.has(id)) return;
    this.#readySet.add(id);
    this.#ready.push(id);
  }

  /** Serve waiters on ready keys; serving may make more keys ready (BLMOVE's destination), handled in turn. */
  handleReady(): void {
    let served = false;
    while (this.#ready.length > 0) {
      const batch = this.#ready;
      this.#ready = [];
      this.#readySet.clear();
      for (const id of batch) {
        const list = this.#byKey.get(id);
        if (list === undefined) continue;
        const key = id.slice(id.indexOf(':') + 1);
        // serve in blocking order until the key runs out (serve() returns false)
        while (list.length > 0) {
          const e = list[0]!;
          if (!e.w.serve(key)) break;
          served = true;
          this.#finish(e);
        }
      }
    }
    if (served) this.onServed?.();
  }

  /** CLIENT UNBLOCK: true when the client was blocked here. */
  unblock(sessionId: number, error: string | null): boolean {
    const e = this.#bySession.get(sessionId);
    if (e === undefined) return false;
    this.#finish(e);
    if (error === null) e.w.timedOut();
    else e.w.failed(error);
    return true;
  }

  /** The client went away: forget it without replying. */
  cancel(sessionId: number): void {
    const e = this.#bySession.get(sessionId);
    if (e !== undefined) this.#finish(e);
  }

  isBlocked(sessionId: number): boolean {
    return this.#bySession.has(sessionId);
  }

  #finish(e: Entry): void {
    if (e.done) return;
    e.done = true;
    if (e.timer !== null) this.#timers.clearTimeout(e.timer);
    this.#bySession.delete(e.w.sessionId);
    for (const k of new Set(e.w.keys)) {
      const id = keyId(e.w.db, k);
      const list = this.#byKey.get(id);
      if (list === undefined) continue;
      const i = list.indexOf(e);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.#byKey.delete(id);
    }
    e.resolve();
  }
}

function keyId(db: number, key: string): string {
  return `${db}:${key}`;
}
