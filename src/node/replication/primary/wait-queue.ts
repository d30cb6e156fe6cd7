/**
 * Clients blocked in WAIT (replication.c waitCommand, processClientsWaitingReplicas, replyToBlockedClientTimedOut).
 * Each waits for `numReplicas` online replicas to acknowledge the offset its connection last wrote; it is answered
 * with the count as soon as that holds, or with the count at that moment when its deadline passes. Pure: the
 * driver passes the ACK counter and the time in.
 */
export interface Waiter {
  readonly targetOffset: number;
  readonly numReplicas: number;
  /** Monotonic ms, or null to wait forever (timeout 0). */
  readonly deadline: number | null;
  /** Reply `:count` and unblock. */
  readonly reply: (count: number) => void;
}

export class WaitQueue {
  #waiters: Waiter[] = [];

  get size(): number {
    return this.#waiters.length;
  }

  add(w: Waiter): void {
    this.#waiters.push(w);
  }

  /** Remove without replying (the client disconnected). */
  remove(w: Waiter): void {
    const i = this.#waiters.indexOf(w);
    if (i >= 0) this.#waiters.splice(i, 1);
  }

  /**
   * Answer every waiter that now has enough ACKs, and every waiter whose deadline passed (with whatever count
   * it has). `countAcked(offset)` is replicationCountAcksByOffset.
   */
  process(countAcked: (offset: number) => number, now: number): void {
    if (this.#waiters.length === 0) return;
    const keep: Waiter[] = [];
    const done: [Waiter, number][] = [];
    // replicas that acked offset N also acked every smaller offset: reuse the last count when it suffices
    let lastOffset = -1;
    let lastCount = 0;
    for (const w of this.#waiters) {
      let count: number;
      if (lastOffset >= 0 && w.targetOffset <= lastOffset && lastCount >= w.numReplicas) count = lastCount;
      else {
        count = countAcked(w.targetOffset);
        lastOffset = w.targetOffset;
        lastCount = count;
      }
      if (count >= w.numReplicas || (w.deadline !== null && now >= w.deadline)) done.push([w, count]);
      else keep.push(w);
    }
    this.#waiters = keep;
    for (const [w, count] of done) w.reply(count);
  }

  /** Earliest deadline, for the driver's timer; null if none. */
  nextDeadline(): number | null {
    let d: number | null = null;
    for (const w of this.#waiters) if (w.deadline !== null && (d === null || w.deadline < d)) d = w.deadline;
    return d;
  }
}
