/** Virtual time: a min-heap of (time, seq) ordered callbacks. Deterministic for a given schedule. */
export class EventQueue {
  now = 0;
  #heap: { t: number; seq: number; fn: () => void }[] = [];
  #seq = 0;

  at(t: number, fn: () => void): void {
    const item = { t: Math.max(t, this.now), seq: this.#seq++, fn };
    const h = this.#heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p]!, h[i]!)) break;
      [h[p], h[i]] = [h[i]!, h[p]!];
      i = p;
    }
  }

  after(ms: number, fn: () => void): void {
    this.at(this.now + ms, fn);
  }

  #pop(): { t: number; seq: number; fn: () => void } | undefined {
    const h = this.#heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l]!, h[m]!)) m = l;
        if (r < h.length && less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i]!, h[m]!];
        i = m;
      }
    }
    return top;
  }

  /** Run events until virtual time `t` (inclusive). */
  runUntil(t: number): void {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.t > t) break;
      this.#pop();
      this.now = top.t;
      top.fn();
    }
    this.now = t;
  }

  /** Run until `cond()` holds (checked after every event) or `limit` ms pass; returns whether it held. */
  runUntilCond(cond: () => boolean, limit: number): boolean {
    const end = this.now + limit;
    if (cond()) return true;
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.t > end) {
        this.now = end;
        return cond();
      }
      this.#pop();
      this.now = top.t;
      top.fn();
      if (cond()) return true;
    }
  }
}

function less(a: { t: number; seq: number }, b: { t: number; seq: number }): boolean {
  return a.t < b.t || (a.t === b.t && a.seq < b.seq);
}
