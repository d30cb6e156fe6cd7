/**
 * Server-wide counters the applications render into INFO (server.c genRedisInfoString): connections, commands,
 * network bytes, error replies by code (errorstats), and the instantaneous rates Redis samples every cron tick
 * (trackInstantaneousMetric over STATS_METRIC_SAMPLES samples).
 */
const SAMPLES = 16;
/** server.h: errorstats stop growing past this many distinct codes. */
const ERROR_STATS_MAX = 128;

class Metric {
  readonly #samples = new Float64Array(SAMPLES);
  #idx = 0;
  #lastTime = -1;
  #lastValue = 0;

  /** trackInstantaneousMetric: rate per second between this sample and the previous one. */
  track(value: number, nowMs: number): void {
    if (this.#lastTime >= 0) {
      const dt = nowMs - this.#lastTime;
      const rate = dt > 0 ? ((value - this.#lastValue) * 1000) / dt : 0;
      this.#samples[this.#idx] = rate;
      this.#idx = (this.#idx + 1) % SAMPLES;
    }
    this.#lastTime = nowMs;
    this.#lastValue = value;
  }

  /** getInstantaneousMetric: the mean of the samples. */
  get value(): number {
    let sum = 0;
    for (const v of this.#samples) sum += v;
    return sum / SAMPLES;
  }
}

export class ServerStats {
  totalConnectionsReceived = 0;
  rejectedConnections = 0;
  totalCommandsProcessed = 0;
  totalNetInputBytes = 0;
  totalNetOutputBytes = 0;
  totalErrorReplies = 0;
  /** Clients closed for output-buffer limits (INFO client_output_buffer_limit_disconnections is 7.2; kept). */
  obufLimitDisconnections = 0;
  /** Clients closed for the query-buffer limit (7.2's client_query_buffer_limit_disconnections). */
  qbufLimitDisconnections = 0;
  readonly #errors = new Map<string, number>();
  #errorsFull = false;
  readonly #ops = new Metric();
  readonly #input = new Metric();
  readonly #output = new Metric();
  /** Peaks of the last few seconds (client_recent_max_input_buffer / output_buffer). */
  #recentMaxInput = 0;
  #recentMaxOutput = 0;
  #peakInput = 0;
  #peakOutput = 0;
  #peakSince = 0;

  /** afterErrorReply → incrementErrorCount. */
  countError(code: string): void {
    this.totalErrorReplies++;
    const n = this.#errors.get(code);
    if (n !== undefined) this.#errors.set(code, n + 1);
    else if (this.#errors.size < ERROR_STATS_MAX) this.#errors.set(code, 1);
    else this.#errorsFull = true;
  }

  /** INFO errorstats: `errorstat_<CODE>:count=<n>` lines, in the order codes first appeared. */
  errorStats(): ReadonlyMap<string, number> {
    return this.#errors;
  }

  /** True once more than 128 distinct error codes were seen (Redis then stops tracking new ones). */
  get errorStatsFull(): boolean {
    return this.#errorsFull;
  }

  /** Called from the cron with monotonic ms. */
  sample(nowMs: number): void {
    this.#ops.track(this.totalCommandsProcessed, nowMs);
    this.#input.track(this.totalNetInputBytes, nowMs);
    this.#output.track(this.totalNetOutputBytes, nowMs);
    // clientsCronTrackExpansiveClients keeps per-second peaks over the last CLIENTS_PEAK_MEM_USAGE_SLOTS (8) seconds
    if (nowMs - this.#peakSince >= 8000) {
      this.#recentMaxInput = this.#peakInput;
      this.#recentMaxOutput = this.#peakOutput;
      this.#peakInput = 0;
      this.#peakOutput = 0;
      this.#peakSince = nowMs;
    }
  }

  /** Per-client buffer sizes seen by the cron. */
  observeBuffers(input: number, output: number): void {
    if (input > this.#peakInput) this.#peakInput = input;
    if (output > this.#peakOutput) this.#peakOutput = output;
  }

  get instantaneousOpsPerSec(): number {
    return Math.round(this.#ops.value);
  }

  get instantaneousInputKbps(): number {
    return this.#input.value / 1024;
  }

  get instantaneousOutputKbps(): number {
    return this.#output.value / 1024;
  }

  get clientRecentMaxInputBuffer(): number {
    return Math.max(this.#recentMaxInput, this.#peakInput);
  }

  get clientRecentMaxOutputBuffer(): number {
    return Math.max(this.#recentMaxOutput, this.#peakOutput);
  }

  /** CONFIG RESETSTAT. */
  reset(): void {
    this.totalConnectionsReceived = 0;
    this.rejectedConnections = 0;
    this.totalCommandsProcessed = 0;
    this.totalNetInputBytes = 0;
    this.totalNetOutputBytes = 0;
    this.totalErrorReplies = 0;
    this.obufLimitDisconnections = 0;
    this.qbufLimitDisconnections = 0;
    this.#errors.clear();
    this.#errorsFull = false;
  }
}
