/**
 * The script runner with real child processes: arguments, exit 1 retried with the doubling delay, exit ≥2 and
 * spawn failures reported as -script-error, timeouts killed with -script-timeout, the queue limit.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ScriptRunner, SCRIPT_MAX_QUEUE } from '../../src/sentinel/driver/scripts.js';
import { tempDir } from '../helpers/processes.js';
import { until } from '../helpers/wait.js';

function runner(opts: { maxRuntime?: number; retryDelay?: number } = {}) {
  const events: string[] = [];
  let wake = 0;
  const r = new ScriptRunner({
    now: () => performance.now(),
    maxRuntime: () => opts.maxRuntime ?? 60_000,
    retryDelay: () => opts.retryDelay ?? 30_000,
    event: (type, payload) => events.push(`${type} ${payload}`),
    debug: () => {},
    wake: () => void wake++,
  });
  return { r, events };
}

describe('script runner', () => {
  const cleanups: (() => void)[] = [];
  const runners: ScriptRunner[] = [];
  afterEach(() => {
    for (const r of runners.splice(0)) r.stop();
    for (const f of cleanups.splice(0)) f();
  });
  const script = (body: string): { path: string; dir: string } => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, 's.sh');
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
    return { path, dir: t.dir };
  };

  it('runs with the given arguments and forgets a successful job', async () => {
    const { path, dir } = script(`echo "$1|$2" > ${'$(dirname "$0")'}/out`);
    const { r, events } = runner();
    runners.push(r);
    r.schedule(path, ['+sdown', 'master mymaster 127.0.0.1 6379']);
    await until(() => r.queue.length === 0, 5000);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('+sdown|master mymaster 127.0.0.1 6379\n');
    expect(events).toEqual([]);
  });

  it('exit 1 is retried after the retry delay (doubling); exit 2 is an error not retried', async () => {
    const { path, dir } = script(`echo x >> ${'$(dirname "$0")'}/runs; exit 1`);
    const { r } = runner({ retryDelay: 50 });
    runners.push(r);
    // the driver calls run() at nextDue(); here a short interval stands in for it
    const tick = setInterval(() => r.run(), 20);
    cleanups.push(() => clearInterval(tick));
    r.schedule(path, []);
    const runs = (): number => (existsSync(join(dir, 'runs')) ? (readFileSync(join(dir, 'runs'), 'utf8').match(/x/g) ?? []).length : 0);
    await until(() => runs() >= 3, 5000);
    const j = r.queue[0]!;
    expect(j.retryNum).toBeGreaterThanOrEqual(3);
    const p = r.pending(performance.now())[0]!;
    expect(['running', 'scheduled']).toContain(p.flags);

    const two = script('exit 2');
    const b = runner();
    runners.push(b.r);
    b.r.schedule(two.path, ['a']);
    await until(() => b.r.queue.length === 0, 5000);
    expect(b.events).toEqual([`-script-error ${two.path} 0 2`]);
  });

  it('a script that cannot be executed gives -script-error <path> 0 2; a slow one is killed with -script-timeout', async () => {
    const a = runner();
    runners.push(a.r);
    a.r.schedule('/nonexistent/script', []);
    await until(() => a.r.queue.length === 0, 5000);
    expect(a.events).toEqual(['-script-error /nonexistent/script 0 2']);

    const slow = script('sleep 10');
    const b = runner({ maxRuntime: 100, retryDelay: 100_000 });
    runners.push(b.r);
    b.r.schedule(slow.path, []);
    await new Promise((res) => setTimeout(res, 200));
    b.r.run();
    await until(() => b.events.length > 0, 5000);
    expect(b.events[0]).toMatch(new RegExp(`^-script-timeout ${slow.path} \\d+$`));
  });

  it('the queue keeps at most 256 jobs, dropping the oldest one not running', () => {
    const q = new ScriptRunner({ now: () => 0, maxRuntime: () => 1e9, retryDelay: () => 1, event: () => {}, debug: () => {}, wake: () => {} });
    runners.push(q);
    // 256 jobs, the first 3 running, the rest not due before a far future time
    for (let i = 0; i < SCRIPT_MAX_QUEUE; i++) {
      q.queue.push({ argv: ['x', String(i)], running: i < 3, retryNum: 0, startTime: i < 3 ? 0 : 1e12, pid: 0, child: null, timeoutReported: false });
    }
    q.schedule('/bin/true', ['new']);
    expect(q.queue.length).toBe(SCRIPT_MAX_QUEUE);
    expect(q.queue.map((j) => j.argv[1]).slice(0, 5)).toEqual(['0', '1', '2', '4', '5']);
    expect(q.queue[q.queue.length - 1]!.argv).toEqual(['/bin/true', 'new']);
  });
});
