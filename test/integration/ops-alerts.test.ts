/**
 * The Prometheus alert rules shipped in conf/prometheus/: syntax (`promtool check rules`), behaviour
 * (`promtool test rules` over alerts.test.yml), the example scrape config (`promtool check config`), and a mutation
 * check proving the rule tests can fail: every alert, neutralised in turn, must make `promtool test rules` fail.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missing, tempDir } from '../helpers/processes.js';

const DIR = join(import.meta.dirname, '..', '..', 'conf', 'prometheus');
const skip = missing('promtool');

function promtool(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Alert names in file order, read from `- alert: Name` lines. */
function alertNames(text: string): string[] {
  return [...text.matchAll(/^\s*- alert:\s*(\S+)\s*$/gm)].map((m) => m[1] ?? '');
}

/** Replace the expression of one alert with one that never yields a series (a block `|` expr included). */
function neutralise(text: string, alert: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `- alert: ${alert}`);
  const exprAt = lines.findIndex((l, i) => i > start && /^\s*expr:/.test(l));
  const line = lines[exprAt] ?? '';
  const indent = line.length - line.trimStart().length;
  let end = exprAt + 1;
  if (/expr:\s*\|\s*$/.test(line)) {
    while (end < lines.length && ((lines[end] ?? '').trim() === '' || (lines[end] ?? '').search(/\S/) > indent)) end++;
  }
  lines.splice(exprAt, end - exprAt, `${' '.repeat(indent)}expr: vector(1) == 0`);
  return lines.join('\n');
}

describe.skipIf(skip)('conf/prometheus alert rules', () => {
  const tmp = tempDir('tsentinel-alerts-');
  afterAll(() => tmp.cleanup());
  const rules = readFileSync(join(DIR, 'alerts.yml'), 'utf8');

  it('pass promtool check rules', () => {
    const r = promtool('check', 'rules', join(DIR, 'alerts.yml'));
    expect(r.out).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('cover every intent from the issue', () => {
    expect(alertNames(rules).sort()).toEqual(
      [
        'TSentinelConfigNotPersisted',
        'TSentinelDown',
        'TSentinelEventLoopLag',
        'TSentinelFailoverFailed',
        'TSentinelFailoverOccurred',
        'TSentinelFailoverStuck',
        'TSentinelFlapping',
        'TSentinelMasterDisagreement',
        'TSentinelMasterObjectivelyDown',
        'TSentinelMasterSubjectivelyDown',
        'TSentinelNoPromotableReplica',
        'TSentinelNoQuorum',
        'TSentinelSentinelsDegraded',
        'TSentinelTilt',
      ].sort(),
    );
  });

  it('pass their unit tests (promtool test rules)', () => {
    const r = promtool('test', 'rules', join(DIR, 'alerts.test.yml'));
    expect(r.out).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('have unit tests that fail when any one rule stops firing', () => {
    copyFileSync(join(DIR, 'alerts.test.yml'), join(tmp.dir, 'alerts.test.yml'));
    const survivors: string[] = [];
    for (const name of alertNames(rules)) {
      writeFileSync(join(tmp.dir, 'alerts.yml'), neutralise(rules, name));
      const check = promtool('check', 'rules', join(tmp.dir, 'alerts.yml'));
      expect(check.status, check.out).toBe(0);
      const r = promtool('test', 'rules', join(tmp.dir, 'alerts.test.yml'));
      if (r.status === 0) survivors.push(name);
      else expect(r.out).toContain(name);
    }
    expect(survivors).toEqual([]);
  });

  it('ship an example scrape config that promtool accepts', () => {
    const r = promtool('check', 'config', join(DIR, 'prometheus.yml'));
    expect(r.out).toContain('is valid prometheus config file syntax');
    expect(r.status).toBe(0);
  });
});
