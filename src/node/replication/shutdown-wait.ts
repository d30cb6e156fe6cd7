/**
 * SHUTDOWN waiting for replicas (server.c shutdownCommand → prepareForShutdown, isReadyToShutdown,
 * finishShutdown; 7.0): unless NOW, with shutdown-timeout ≠ 0 and some replica's ACK offset ≠ our offset, pause
 * writes, append `REPLCONF GETACK *`, and wait until every replica acknowledged exactly our offset or the timeout
 * passes. Then log the laggards. SHUTDOWN ABORT cancels. The node's SHUTDOWN calls `wait` before saving/exiting.
 */
import { allReplicasAt, replicaIp } from './primary/replica-records.js';
import type { ReplicationService } from './service.js';

export type ShutdownWaitResult = 'ready' | 'timeout' | 'aborted';

export class ShutdownWait {
  readonly #svc: ReplicationService;
  #pending: { deadline: number; resolve: (r: ShutdownWaitResult) => void; timer: NodeJS.Timeout } | null = null;

  constructor(svc: ReplicationService) {
    this.#svc = svc;
  }

  get inProgress(): boolean {
    return this.#pending !== null;
  }

  /** INFO shutdown_in_milliseconds while waiting, else null. */
  remainingMs(): number | null {
    return this.#pending === null ? null : Math.max(0, this.#pending.deadline - this.#svc.ports.clock.monotonic());
  }

  /** Whether SHUTDOWN would have to wait (isReadyToShutdown is false). */
  needed(): boolean {
    const s = this.#svc;
    return !s.isReplica && !allReplicasAt(s.feeder.records(), s.history.masterReplOffset);
  }

  /** Wait for replicas (resolves at once when nothing to wait for). */
  wait(timeoutMs: number): Promise<ShutdownWaitResult> {
    const s = this.#svc;
    if (timeoutMs <= 0 || !this.needed()) return Promise.resolve('ready');
    if (this.#pending !== null) return Promise.resolve('aborted');
    s.ports.log('warning', 'Waiting for replicas before shutting down.');
    const alreadyPaused = s.ports.writesPaused();
    if (!alreadyPaused) s.getackNow();
    s.ports.pauseWrites('shutdown');
    return new Promise((resolve) => {
      const deadline = s.ports.clock.monotonic() + timeoutMs;
      const timer = setInterval(() => this.#poll(), 100);
      timer.unref();
      this.#pending = { deadline, resolve, timer };
    });
  }

  /** SHUTDOWN ABORT: false when nothing was waiting (`-ERR No shutdown in progress.`). */
  abort(): boolean {
    if (this.#pending === null) return false;
    this.#finish('aborted');
    return true;
  }

  #poll(): void {
    const p = this.#pending;
    if (p === null) return;
    const s = this.#svc;
    if (!this.needed()) return this.#finish('ready');
    if (s.ports.clock.monotonic() >= p.deadline) this.#finish('timeout');
  }

  #finish(result: ShutdownWaitResult): void {
    const p = this.#pending;
    if (p === null) return;
    this.#pending = null;
    clearInterval(p.timer);
    const s = this.#svc;
    if (result !== 'aborted') {
      const off = s.history.masterReplOffset;
      const now = s.ports.clock.monotonic();
      const rs = s.feeder.records();
      let inSync = 0;
      for (const r of rs) {
        if (r.ackOffset === off) {
          inSync++;
          continue;
        }
        const lag = Math.floor((now - r.ackTime) / 1000);
        s.ports.log(
          'warning',
          `Lagging replica ${replicaIp(r)}:${r.conf.listeningPort} reported offset ${off - r.ackOffset} behind master, lag=${lag}, state=${r.state}.`,
        );
      }
      s.ports.log(inSync === rs.length ? 'notice' : 'warning', `${inSync} of ${rs.length} replicas are in sync when shutting down.`);
    }
    s.ports.unpauseWrites('shutdown');
    p.resolve(result);
  }
}
