/**
 * notification-script and client-reconfig-script execution with the reference's policy (sentinel.c
 * sentinelScheduleScriptExecution, sentinelRunPendingScripts, sentinelCollectTerminatedScripts,
 * sentinelKillTimedoutScripts): a queue of at most 256 jobs (the oldest not-running one is dropped), at most 16
 * running, exit 1 or death by signal retried up to 10 runs with script-retry-delay doubling, exit ≥2 not retried,
 * `-script-error <path> <signal> <exit>` for a final failure, `-script-timeout <path> <pid>` and SIGKILL after
 * script-max-runtime. Scripts run with the sentinel's environment, without a shell.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export const SCRIPT_MAX_QUEUE = 256;
export const SCRIPT_MAX_RUNNING = 16;
export const SCRIPT_MAX_RETRY = 10;

export interface ScriptJob {
  readonly argv: readonly string[];
  running: boolean;
  retryNum: number;
  /** Running: when it started. Scheduled: do not run before this time (0 = any time). */
  startTime: number;
  pid: number;
  child: ChildProcess | null;
  timeoutReported: boolean;
}

export interface ScriptHost {
  now(): number;
  /** script-max-runtime and script-retry-delay, read live (SENTINEL DEBUG changes them). */
  maxRuntime(): number;
  retryDelay(): number;
  /** -script-error / -script-timeout. */
  event(type: '-script-error' | '-script-timeout', payload: string): void;
  debug(msg: string): void;
  /** Something changed (a job finished or got due later): the caller re-runs `run()` at `nextDue()`. */
  wake(): void;
}

export class ScriptRunner {
  readonly queue: ScriptJob[] = [];
  #running = 0;
  #stopped = false;

  constructor(private readonly host: ScriptHost) {}

  get running(): number {
    return this.#running;
  }

  schedule(path: string, args: readonly string[]): void {
    if (this.#stopped) return;
    this.queue.push({ argv: [path, ...args], running: false, retryNum: 0, startTime: 0, pid: 0, child: null, timeoutReported: false });
    if (this.queue.length > SCRIPT_MAX_QUEUE) {
      const i = this.queue.findIndex((j) => !j.running);
      if (i >= 0) this.queue.splice(i, 1);
    }
    this.run();
  }

  /** The earliest time a scheduled job becomes runnable or a running one times out (for the driver's timer). */
  nextDue(): number | null {
    let best: number | null = null;
    for (const j of this.queue) {
      const t = j.running ? j.startTime + this.host.maxRuntime() + 1 : j.startTime;
      if (best === null || t < best) best = t;
    }
    return best;
  }

  /** sentinelRunPendingScripts + sentinelKillTimedoutScripts. */
  run(): void {
    const now = this.host.now();
    for (const j of this.queue) {
      if (j.running && now - j.startTime > this.host.maxRuntime() && !j.timeoutReported) {
        j.timeoutReported = true;
        this.host.event('-script-timeout', `${j.argv[0]} ${j.pid}`);
        j.child?.kill('SIGKILL');
      }
    }
    for (const j of this.queue) {
      if (this.#running >= SCRIPT_MAX_RUNNING || this.#stopped) break;
      if (j.running) continue;
      if (j.startTime !== 0 && j.startTime > now) continue;
      this.#start(j, now);
    }
  }

  #start(j: ScriptJob, now: number): void {
    j.running = true;
    j.startTime = now;
    j.retryNum++;
    j.timeoutReported = false;
    let child: ChildProcess;
    try {
      child = spawn(j.argv[0]!, j.argv.slice(1), { stdio: 'ignore', env: process.env });
    } catch {
      // fork() failed in the reference
      j.running = false;
      this.host.event('-script-error', `${j.argv[0]} 99 0`);
      return;
    }
    this.#running++;
    j.child = child;
    j.pid = child.pid ?? 0;
    this.host.debug(`+script-child ${j.pid}`);
    let spawnFailed = false;
    child.once('error', () => {
      // execve failed: the reference's child exits with 2
      spawnFailed = true;
    });
    child.once('close', (code, signal) => {
      this.#finished(j, spawnFailed ? 2 : (code ?? 0), signal === null ? 0 : signalNumber(signal));
    });
  }

  /** sentinelCollectTerminatedScripts. */
  #finished(j: ScriptJob, exitCode: number, bySignal: number): void {
    this.#running--;
    j.child = null;
    this.host.debug(`-script-child ${j.pid} ${exitCode} ${bySignal}`);
    if ((bySignal !== 0 || exitCode === 1) && j.retryNum !== SCRIPT_MAX_RETRY && !this.#stopped) {
      j.running = false;
      j.pid = 0;
      let delay = this.host.retryDelay();
      for (let n = j.retryNum; n > 1; n--) delay *= 2;
      j.startTime = this.host.now() + delay;
    } else {
      if (bySignal !== 0 || exitCode !== 0) this.host.event('-script-error', `${j.argv[0]} ${bySignal} ${exitCode}`);
      const i = this.queue.indexOf(j);
      if (i >= 0) this.queue.splice(i, 1);
    }
    this.host.wake();
  }

  /** SENTINEL PENDING-SCRIPTS entries. */
  pending(now: number): { argv: readonly string[]; flags: string; pid: number; time: [string, number]; retryNum: number }[] {
    return this.queue.map((j) => ({
      argv: j.argv,
      flags: j.running ? 'running' : 'scheduled',
      pid: j.pid,
      time: j.running ? ['run-time', now - j.startTime] : ['run-delay', Math.max(0, j.startTime !== 0 ? j.startTime - now : 0)],
      retryNum: j.retryNum,
    }));
  }

  /** Stop scheduling; kill running scripts. */
  stop(): void {
    this.#stopped = true;
    for (const j of this.queue) j.child?.kill('SIGKILL');
  }
}

const SIGNALS: Readonly<Record<string, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

function signalNumber(sig: NodeJS.Signals): number {
  return SIGNALS[sig] ?? 1;
}
