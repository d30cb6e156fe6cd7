/**
 * `promtool check metrics` over a /metrics body, for the daemons' HTTP listeners. Its only complaints allowed are
 * about prom-client's own default gauges named *_total (nodejs_active_handles_total…), which we do not rename so
 * stock dashboards keep working. Returns null (after printing why) when promtool is not installed.
 */
import { spawnSync } from 'node:child_process';
import { has } from './processes.js';

export interface PromtoolResult {
  /** Findings other than the allowed ones. */
  readonly problems: string[];
  /** 0 clean, 3 lint findings only; 1 is a parse error. */
  readonly status: number | null;
}

export function promtoolCheck(body: string, what: string): PromtoolResult | null {
  if (!has('promtool')) {
    console.warn(`[skip] promtool not installed: ${what} not validated by promtool`);
    return null;
  }
  const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
  const problems = `${check.stdout}${check.stderr}`
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^nodejs_active_\w+_total non-counter metrics should not have "_total" suffix$/.test(l));
  return { problems, status: check.status };
}
