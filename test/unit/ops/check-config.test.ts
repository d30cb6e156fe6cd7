/**
 * check-config's core and command over a small directive table (the daemons plug in their own tables), plus the
 * metrics-port/metrics-bind directives both daemons share. Files are real, in a temp folder.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineConfigTable, intDirective, type ConfigCheckTarget } from '../../../src/common/config/index.js';
import { checkConfigFile, runCheckConfig } from '../../../src/cli/commands/check-config.js';
import { METRICS_LISTENER_DEFAULTS, metricsListenerDirectives, type MetricsListenerSettings } from '../../../src/ops/metrics-listener.js';

interface Conf {
  port: number;
  metrics: MetricsListenerSettings;
}

const table = defineConfigTable<Conf>([
  intDirective<Conf>({ name: 'port', min: 0, max: 65535, default: 26379, read: (c) => c.port, write: (c, v) => void (c.port = v) }),
  ...metricsListenerDirectives<Conf>((c) => c.metrics),
]);

const target = (requiresWritableFile: boolean): ConfigCheckTarget<Conf> => ({
  product: 'tsentinel 0.1.0',
  table,
  defaults: { port: 26379, metrics: { ...METRICS_LISTENER_DEFAULTS } },
  requiresWritableFile,
  validate: (c, file) => (c.metrics.port !== 0 && c.metrics.port === c.port ? [{ file, message: 'metrics-port equals port' }] : []),
});

const dir = mkdtempSync(join(tmpdir(), 'tsentinel-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function io() {
  let out = '';
  let err = '';
  return {
    out: (t: string) => void (out += t),
    err: (t: string) => void (err += t),
    isTTY: false,
    signal: new AbortController().signal,
    now: () => 0,
    stdout: () => out,
    stderr: () => err,
  };
}

describe('checkConfigFile', () => {
  it('accepts a valid file, metrics directives included', () => {
    const f = file('ok.conf', '# comment\nport 26380\nmetrics-port 9479\nmetrics-bind 0.0.0.0\n');
    expect(checkConfigFile(f, target(true))).toEqual([]);
  });

  it('reports every problem with its line and text', () => {
    const f = file('bad.conf', 'port 26380\nprot 1\nmetrics-port 70000\nmetrics-bind ""\n');
    expect(checkConfigFile(f, target(false))).toEqual([
      { file: f, line: 2, text: 'prot 1', message: 'Bad directive or wrong number of arguments' },
      { file: f, line: 3, text: 'metrics-port 70000', message: expect.stringMatching(/must be between 0 and 65535/) },
      { file: f, line: 4, text: 'metrics-bind ""', message: 'metrics-bind needs an address' },
    ]);
  });

  it('runs whole-config validation too, reporting in line order', () => {
    const f = file('same.conf', 'port 9000\nmetrics-port 9000\n');
    expect(checkConfigFile(f, target(false))).toEqual([{ file: f, message: 'metrics-port equals port' }]);
    const g = file('both.conf', 'port 9000\nmetrics-port 9000\nnope\n');
    expect(checkConfigFile(g, target(false)).map((i) => i.line ?? 'file')).toEqual([3, 'file']);
  });

  it('requires a writable file for a sentinel, and a readable one always', () => {
    const f = file('ro.conf', 'port 1\n');
    chmodSync(f, 0o444);
    const asRoot = process.getuid?.() === 0;
    const issues = checkConfigFile(f, target(true));
    if (asRoot) expect(issues).toEqual([]); // root may write anyway, as Redis's access(W_OK) check agrees
    else expect(issues[0]?.message).toMatch(/is not writable/);
    const missing = checkConfigFile(join(dir, 'nope.conf'), target(true));
    expect(missing).toHaveLength(1);
    expect(missing[0]?.message).toMatch(/No such file or directory/);
  });
});

describe('tsentinel check-config', () => {
  const targets = { sentinel: async () => target(false) as ConfigCheckTarget<unknown>, node: async () => undefined };

  it('exit 0 and one line when valid', async () => {
    const f = file('good.conf', 'port 26381\n');
    const c = io();
    expect(await runCheckConfig(f, {}, c, targets)).toBe(0);
    expect(c.stdout()).toBe(`${f}: configuration OK (tsentinel 0.1.0)\n`);
  });

  it('exit 1 with the Redis-style report, file:line per problem', async () => {
    const f = file('bad2.conf', 'port x\nnope\n');
    const c = io();
    expect(await runCheckConfig(f, {}, c, targets)).toBe(1);
    expect(c.stderr()).toBe(
      `*** FATAL CONFIG FILE ERROR (tsentinel 0.1.0) ***\n${f}:1: argument couldn't be parsed into an integer\n>>> 'port x'\n${f}:2: Bad directive or wrong number of arguments\n>>> 'nope'\n`,
    );
  });

  it('says so in one line when a directive table is not available', async () => {
    const c = io();
    expect(await runCheckConfig('x.conf', { node: true }, c, targets)).toBe(1);
    expect(c.stderr()).toBe('tsentinel check-config: the node directive table is not available in this build\n');
  });
});
