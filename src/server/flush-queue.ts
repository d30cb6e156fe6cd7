/**
 * Output coalescing: connections with new replies are flushed once per event-loop turn, after every command the
 * turn's reads produced has run (like handleClientsWithPendingWrites in beforeSleep), so a pipeline's replies
 * leave in one write.
 */
export class FlushQueue<C extends { flush(): void }> {
  readonly #queue = new Set<C>();
  #scheduled = false;

  add(c: C): void {
    this.#queue.add(c);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const conns = [...this.#queue];
      this.#queue.clear();
      for (const conn of conns) conn.flush();
    });
  }
}
