/**
 * Time as a port. Decision code never reads the wall clock itself: it is handed `now` (ms) by its driver, and tests
 * drive a ManualClock. `monotonic()` is for measuring intervals (TILT detection, latency); `now()` is wall time for
 * anything shown to users or compared with other hosts (expiry timestamps, INFO, logs).
 */
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Wall-clock milliseconds since the Unix epoch. */
  now(): number;
  /** Monotonic milliseconds (arbitrary origin, never goes backwards), with sub-ms precision. */
  monotonic(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  // the imported object, not the global: globalThis.performance is a lazy getter Node re-checks on every access
  monotonic: () => performance.now(),
};

/** A clock tests move by hand. Both readings advance together unless `jumpWall` simulates a wall-clock step. */
export class ManualClock implements Clock {
  #wall: number;
  #mono: number;

  constructor(startWallMs = 1_700_000_000_000, startMonoMs = 0) {
    this.#wall = startWallMs;
    this.#mono = startMonoMs;
  }

  now(): number {
    return this.#wall;
  }

  monotonic(): number {
    return this.#mono;
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError('ManualClock.advance: negative step; use jumpWall for wall-clock jumps');
    this.#wall += ms;
    this.#mono += ms;
  }

  /** Move only the wall clock (NTP step, VM resume): monotonic time is unaffected. */
  jumpWall(ms: number): void {
    this.#wall += ms;
  }
}
