/**
 * serverCron for the server core: one interval at `hz` (clamped to 1..500 like server.c), re-armed when CONFIG SET
 * changes hz. Each tick expires client pauses, runs clientsCron (idle timeouts, buffer peaks, output-buffer
 * limits), samples the instantaneous metrics, then the applications' tasks.
 */
import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import { LOG } from './replies.js';
import type { SessionTable } from './session-table.js';
import type { ServerSettings } from './settings.js';
import type { ServerStats } from './stats.js';

export interface CronDeps {
  readonly settings: () => ServerSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly stats: ServerStats;
  readonly sessions: SessionTable;
  /** Expire finished client pauses (and re-arm their timer). */
  readonly expirePauses: (nowMono: number) => void;
}

export class ServerCron {
  readonly #d: CronDeps;
  readonly #tasks = new Set<(nowMono: number) => void>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #hz = 0;
  #lastSample = -Infinity;

  constructor(deps: CronDeps) {
    this.#d = deps;
  }

  /** Run `task` on every tick; returns a function that removes it. */
  add(task: (nowMono: number) => void): () => void {
    this.#tasks.add(task);
    return () => this.#tasks.delete(task);
  }

  get running(): boolean {
    return this.#timer !== null;
  }

  start(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    const hz = Math.min(500, Math.max(1, this.#d.settings().hz));
    this.#hz = hz;
    this.#timer = setInterval(() => this.tick(), Math.round(1000 / hz));
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  tick(): void {
    const { clock, stats, logger, sessions } = this.#d;
    const settings = this.#d.settings();
    const now = clock.monotonic();
    if (settings.hz !== this.#hz && this.#timer !== null) this.start();
    this.#d.expirePauses(now);
    const idleLimit = settings.timeout * 1000;
    for (const s of [...sessions.values()]) {
      const conn = sessions.connectionOf(s);
      if (conn === undefined) continue;
      // clientsCronHandleTimeout: replicas, the master, blocked and subscribed clients never time out
      if (idleLimit > 0 && s.kind === 'normal' && !s.blocked && !s.isPubsub && now - s.lastInteractionMono > idleLimit) {
        logger.debug(LOG.idle);
        conn.close('idle timeout');
        continue;
      }
      stats.observeBuffers(conn.pendingInput, conn.pendingOutput + s.writer.length);
      conn.checkOutputLimits();
    }
    // run_with_period(100): the instantaneous metrics average 16 samples taken 100 ms apart, whatever hz is
    if (now - this.#lastSample >= 100) {
      this.#lastSample = now;
      stats.sample(now);
    }
    for (const t of this.#tasks) {
      try {
        t(now);
      } catch (err) {
        logger.error({ err }, 'cron task failed');
      }
    }
  }
}
