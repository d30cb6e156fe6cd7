/**
 * Client pause (networking.c pauseClients / unpauseClients, Redis 7.0): several purposes (CLIENT PAUSE,
 * SHUTDOWN waiting for replicas, FAILOVER) each hold a pause of mode WRITE or ALL until an end time; the
 * effective mode is the most restrictive active one. Commands of normal clients that the mode covers are
 * postponed, not rejected: the client is parked and its command is processed again from scratch once the pause
 * relaxes. Replicas and the master link are never paused.
 *
 * Pure state: times are monotonic milliseconds passed in; the server arms a timer for `nextExpiry`.
 */
export type PauseMode = 'write' | 'all';

/** CLIENT PAUSE, shutdown and failover are the 7.0 purposes; applications may add their own. */
export type PausePurpose = 'client-pause' | 'shutdown' | 'failover' | (string & {});

interface PauseEvent {
  mode: PauseMode;
  end: number;
}

export class PauseState {
  readonly #events = new Map<string, PauseEvent>();
  #mode: PauseMode | null = null;
  readonly #waiters: (() => void)[] = [];

  /** The effective mode, or null when nothing is paused. */
  get mode(): PauseMode | null {
    return this.#mode;
  }

  /** Postponed clients waiting for the pause to relax. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * pauseClients: a purpose that is already paused keeps the more restrictive mode and the later end
   * (so `CLIENT PAUSE … WRITE` after `… ALL` stays ALL until the ALL pause would have ended).
   */
  pause(purpose: PausePurpose, mode: PauseMode, end: number): void {
    const cur = this.#events.get(purpose);
    if (cur === undefined) this.#events.set(purpose, { mode, end });
    else {
      if (mode === 'all') cur.mode = 'all';
      cur.end = Math.max(cur.end, end);
    }
    this.#update();
  }

  unpause(purpose: PausePurpose): void {
    if (this.#events.delete(purpose)) this.#update();
  }

  isPausedBy(purpose: PausePurpose): boolean {
    return this.#events.has(purpose);
  }

  /** Drop pauses whose end has passed; true if anything changed. */
  expire(now: number): boolean {
    let changed = false;
    for (const [p, e] of this.#events) {
      if (e.end <= now) {
        this.#events.delete(p);
        changed = true;
      }
    }
    if (changed) this.#update();
    return changed;
  }

  /** Earliest end among active pauses (Infinity if none). */
  get nextExpiry(): number {
    let t = Infinity;
    for (const e of this.#events.values()) t = Math.min(t, e.end);
    return t;
  }

  /** processCommand: ALL postpones everything, WRITE postpones write and may-replicate commands. */
  postpones(writeLike: boolean): boolean {
    return this.#mode === 'all' || (this.#mode === 'write' && writeLike);
  }

  /** Park a client; `resume` runs (once) when the effective pause relaxes. */
  park(resume: () => void): void {
    this.#waiters.push(resume);
  }

  #update(): void {
    let mode: PauseMode | null = null;
    for (const e of this.#events.values()) {
      if (e.mode === 'all') mode = 'all';
      else if (mode === null) mode = 'write';
    }
    const relaxed = this.#mode !== null && (mode === null || (this.#mode === 'all' && mode === 'write'));
    this.#mode = mode;
    // unblockPostponedClients: everyone is re-processed; those still covered park again
    if (relaxed && this.#waiters.length > 0) {
      const waiters = this.#waiters.splice(0);
      for (const w of waiters) w();
    }
  }
}
