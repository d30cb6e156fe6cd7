/**
 * The one timer behind client pauses (CLIENT PAUSE, FAILOVER, shutdown waits): armed at the earliest pause
 * deadline, so a pause ends at its deadline rather than at the next cron tick. PauseState keeps the state and the
 * decisions; this only schedules its `expire`.
 */
import type { Clock } from '../common/clock.js';
import type { PauseState } from './pause.js';

export class PauseTimer {
  readonly #pause: PauseState;
  readonly #clock: Clock;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(pause: PauseState, clock: Clock) {
    this.#pause = pause;
    this.#clock = clock;
  }

  /** Re-arm for the pause state as it is now (after a pause, an unpause or an expiry). */
  rearm(): void {
    this.stop();
    const next = this.#pause.nextExpiry;
    if (next === Infinity) return;
    const delay = Math.max(0, Math.min(next - this.#clock.monotonic(), 2 ** 31 - 1));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#pause.expire(this.#clock.monotonic());
      this.rearm();
    }, Math.ceil(delay));
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
