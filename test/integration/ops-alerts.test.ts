/**
 * The Prometheus alert rules shipped in conf/prometheus/: syntax (`promtool check rules`), behaviour
 * (`promtool test rules` over alerts.test.yml), the example scrape config (`promtool check config`), and a mutation
 * check proving the rule tests can fail: every alert, neutralised in turn, must make `promtool test rules` fail.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missing, tempDir } from '../helpers/processes.js';

const DIR = join(import.meta.dirname, '..', '..', 'conf', 'prometheus');
const skip = missing('promtool');

function promtool(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('promtool', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function promtoolAsync(...args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('promtool', args);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (status) => resolve({ status, out }));
  });
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

  // 14 mutants × 2 promtool runs: two at a time (the machines have 2 cores), with a timeout for loaded machines.
  it('have unit tests that fail when any one rule stops firing', async () => {
    const survivors: string[] = [];
    const mutant = async (name: string, i: number): Promise<void> => {
      const dir = join(tmp.dir, `m${i}`);
      mkdirSync(dir);
      copyFileSync(join(DIR, 'alerts.test.yml'), join(dir, 'alerts.test.yml'));
      writeFileSync(join(dir, 'alerts.yml'), neutralise(rules, name));
      const check = await promtoolAsync('check', 'rules', join(dir, 'alerts.yml'));
      expect(check.status, check.out).toBe(0);
      const r = await promtoolAsync('test', 'rules', join(dir, 'alerts.test.yml'));
      if (r.status === 0) survivors.push(name);
      else expect(r.out).toContain(name);
    };
    const names = alertNames(rules);
    for (let i = 0; i < names.length; i += 2) await Promise.all(names.slice(i, i + 2).map((n, j) => mutant(n, i + j)));
    expect(survivors).toEqual([]);
  }, 180_000);

  it('ship an example scrape config that promtool accepts', () => {
    const r = promtool('check', 'config', join(DIR, 'prometheus.yml'));
    expect(r.out).toContain('is valid prometheus config file syntax');
    expect(r.status).toBe(0);
  });
});
