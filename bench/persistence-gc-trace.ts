/**
 * Reading a daemon's `--trace-gc` output (TREDIS_NODE_ARGS=--trace-gc) inside a benchmark, so a run reports the
 * longest GC pause of each kind per measured window instead of leaving the lines to be matched up by hand.
 *
 * V8 (node 20) prints one line per collection:
 *   [pid:0x…]   1119 ms: Mark-Compact 62.3 (95.7) -> 54.6 (88.7) MB, 27.50 / 0.03 ms  (+ 4.3 ms in 1 steps since
 *   start of marking, biggest step 4.3 ms, …) …
 * The time is ms since the isolate started (a few ms after the spawn); "27.50 / 0.03 ms" is the main-thread pause
 * and the time of background work; incremental marking steps ran earlier, each its own pause (largest: "biggest
 * step").
 */

export type GcKind = 'scavenge' | 'mark-compact' | 'other';

export interface GcEvent {
  /** ms since the isolate started. */
  readonly at: number;
  readonly kind: GcKind;
  readonly pauseMs: number;
  /** Largest incremental marking step before a mark-compact (0 when none). */
  readonly biggestStepMs: number;
}

const LINE = /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: ([A-Za-z -]+?)(?: \([a-z ]+\))? [\d.]+ \([\d.]+\) -> [\d.]+ \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms/;
const STEP = /biggest step ([\d.]+) ms/;

export function parseTraceGcLine(line: string): GcEvent | null {
  const m = LINE.exec(line);
  if (m === null) return null;
  const name = m[2]!;
  const kind: GcKind = name === 'Scavenge' ? 'scavenge' : name === 'Mark-Compact' ? 'mark-compact' : 'other';
  const step = STEP.exec(line);
  return { at: Number(m[1]), kind, pauseMs: Number(m[3]), biggestStepMs: step === null ? 0 : Number(step[1]) };
}

export interface GcWindowSummary {
  readonly scavenges: number;
  readonly maxScavengeMs: number;
  readonly markCompacts: number;
  readonly maxMarkCompactMs: number;
  readonly maxMarkingStepMs: number;
}

/** Collects GC lines from a daemon's stdout (line-buffered), passing every line through to `echo`. */
export class GcTrace {
  readonly events: GcEvent[] = [];
  #partial = '';
  readonly #echo: (line: string) => void;

  constructor(echo: (line: string) => void) {
    this.#echo = echo;
  }

  feed(chunk: Buffer | string): void {
    const text = this.#partial + chunk.toString();
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      const e = parseTraceGcLine(line);
      if (e !== null) this.events.push(e);
      if (line !== '') this.#echo(line);
    }
  }

  /** Collections that ended in [fromMs, toMs) (isolate time). */
  summarize(fromMs: number, toMs: number): GcWindowSummary {
    let scavenges = 0;
    let maxScavengeMs = 0;
    let markCompacts = 0;
    let maxMarkCompactMs = 0;
    let maxMarkingStepMs = 0;
    for (const e of this.events) {
      if (e.at < fromMs || e.at >= toMs) continue;
      if (e.kind === 'scavenge') {
        scavenges++;
        maxScavengeMs = Math.max(maxScavengeMs, e.pauseMs);
      } else {
        markCompacts++;
        maxMarkCompactMs = Math.max(maxMarkCompactMs, e.pauseMs);
        maxMarkingStepMs = Math.max(maxMarkingStepMs, e.biggestStepMs);
      }
    }
    return { scavenges, maxScavengeMs, markCompacts, maxMarkCompactMs, maxMarkingStepMs };
  }
}

export function formatGcSummary(s: GcWindowSummary): string {
  return (
    `scavenges ${s.scavenges} (max ${s.maxScavengeMs.toFixed(1)} ms), ` +
    `mark-compacts ${s.markCompacts} (max ${s.maxMarkCompactMs.toFixed(1)} ms, biggest marking step ${s.maxMarkingStepMs.toFixed(1)} ms)`
  );
}
