/**
 * The ops subcommands as processes (the compiled CLI, as users run it): exit codes, one-line errors without stack
 * traces, usage errors, and check-config over the sentinel's real directive table.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planCluster } from '../../src/ops/cluster-plan.js';
import { allocPort } from '../helpers/ports.js';
import { tempDir } from '../helpers/processes.js';
import { builtOpsCli } from './ops-support.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

function cli(...args: string[]): { status: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [builtOpsCli(), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 20_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

const noStack = (s: string): void => expect(s).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);

describe('ops CLI processes', () => {
  const tmp = tempDir('tsentinel-cli-');
  afterAll(() => tmp.cleanup());

  it('connection failures are one line and exit 1', () => {
    const port = allocPort();
    for (const cmd of [['status'], ['events'], ['ckquorum', 'mymaster'], ['failover', 'mymaster']]) {
      const r = cli(...cmd, '-p', String(port));
      expect(r.status, cmd.join(' ')).toBe(1);
      expect(r.err).toBe(`tsentinel ${cmd[0]}: cannot connect to 127.0.0.1:${port}: connection refused\n`);
      expect(r.out).toBe('');
    }
    const p = cli('probe', 'liveness', '-p', String(port));
    expect(p.status).toBe(1);
    expect(p.err).toBe(`tsentinel probe liveness: cannot connect to 127.0.0.1:${port}: connection refused\n`);
    expect(cli('probe', 'readiness', '-p', String(port), '-q')).toMatchObject({ status: 1, out: '', err: '' });
  }, 90_000);

  it('usage errors name the problem without a stack trace', () => {
    const bad = cli('status', '--bogus');
    expect(bad.status).toBe(1);
    expect(bad.err).toContain("error: unknown option '--bogus'");
    noStack(bad.err);
    const kind = cli('probe', 'sideways');
    expect(kind.status).toBe(1);
    expect(kind.err).toContain("error: command-argument value 'sideways' is invalid for argument 'kind'. Allowed choices are liveness, readiness.");
    const port = cli('status', '-p', 'abc');
    expect(port).toMatchObject({ status: 1, err: "tsentinel status: invalid port: 'abc'\n" });
    const help = cli('status', '--help');
    expect(help.status).toBe(0);
    expect(help.out).toContain('-h, --host <host>');
  }, 90_000);

  it('check-config accepts the shipped and generated sentinel configs', () => {
    expect(cli('check-config', 'conf/compose/sentinel.conf')).toMatchObject({
      status: 0,
      out: 'conf/compose/sentinel.conf: configuration OK (tsentinel 0.1.0)\n',
    });
    const plan = planCluster({
      dir: join(tmp.dir, 'cl'), host: '127.0.0.1', replicas: 2, sentinels: 3, nodePortBase: 6380, sentinelPortBase: 26380,
      metricsPortBase: 9480, masterName: 'mymaster', quorum: undefined, downAfterMs: 5000, failoverTimeoutMs: 20000,
      nodeKind: 'tredis', sentinelKind: 'tsentinel',
    });
    for (const m of plan.members.filter((x) => x.role === 'sentinel')) {
      mkdirSync(m.dir, { recursive: true });
      writeFileSync(m.configFile, m.config);
      expect(cli('check-config', m.configFile).status, m.config).toBe(0);
    }
  }, 90_000);

  it('check-config --node uses tredis directive table', () => {
    expect(cli('check-config', '--node', 'conf/compose/node.conf')).toMatchObject({
      status: 0,
      out: 'conf/compose/node.conf: configuration OK (tredis 0.1.0)\n',
    });
    const f = join(tmp.dir, 'node-bad.conf');
    writeFileSync(f, 'port 7000\nreplcaof 127.0.0.1 6379\n');
    expect(cli('check-config', '--node', f)).toMatchObject({
      status: 1,
      err: `*** FATAL CONFIG FILE ERROR (tredis 0.1.0) ***\n${f}:2: Bad directive or wrong number of arguments\n>>> 'replcaof 127.0.0.1 6379'\n`,
    });
    // what `tsentinel up` writes for tredis nodes, metrics listener included
    const plan = planCluster({
      dir: join(tmp.dir, 'cl2'), host: '127.0.0.1', replicas: 2, sentinels: 1, nodePortBase: 6380, sentinelPortBase: 26380,
      metricsPortBase: 9480, masterName: 'mymaster', quorum: undefined, downAfterMs: 5000,
      failoverTimeoutMs: 20000, nodeKind: 'tredis', sentinelKind: 'tsentinel',
    });
    for (const m of plan.members.filter((x) => x.role !== 'sentinel')) {
      mkdirSync(m.dir, { recursive: true });
      writeFileSync(m.configFile, m.config);
      const r = cli('check-config', '--node', m.configFile);
      expect(r.status, `${m.config}\n${r.err}`).toBe(0);
    }
  }, 90_000);

  it('check-config takes the daemon command-line directives after the file, with their own line numbers', () => {
    expect(cli('check-config', 'conf/compose/sentinel.conf', '--port', '26390', '--sentinel', 'announce-ip', 'tsentinel-1').status).toBe(0);
    const r = cli('check-config', 'conf/compose/sentinel.conf', '--sentinel', 'announce-ipp', 'x', '--prot', '1');
    expect(r.status).toBe(1);
    expect(r.err).toBe(
      [
        '*** FATAL CONFIG FILE ERROR (tsentinel 0.1.0) ***',
        '(command line):1: Unrecognized sentinel configuration statement.',
        `>>> 'sentinel "announce-ipp" "x"'`,
        '(command line):2: Bad directive or wrong number of arguments',
        `>>> 'prot "1"'`,
        '',
      ].join('\n'),
    );
  }, 90_000);

  it('check-config reports every problem with file:line in the daemon order, exit 1', () => {
    const f = join(tmp.dir, 'bad.conf');
    writeFileSync(f, ['port 26390', 'sentinel monitor m1 127.0.0.1 6379 0', 'sentinel down-after-milliseconds nosuch 100', 'prot 1', ''].join('\n'));
    const r = cli('check-config', f);
    expect(r.status).toBe(1);
    expect(r.err).toBe(
      [
        '*** FATAL CONFIG FILE ERROR (tsentinel 0.1.0) ***',
        `${f}:2: Quorum must be 1 or greater.`,
        ">>> 'sentinel monitor m1 127.0.0.1 6379 0'",
        `${f}:4: Bad directive or wrong number of arguments`,
        ">>> 'prot 1'",
        '',
      ].join('\n'),
    );
    const missing = cli('check-config', join(tmp.dir, 'nope.conf'));
    expect(missing.status).toBe(1);
    expect(missing.err).toMatch(/nope\.conf: .*No such file or directory/);
    noStack(missing.err);
  }, 90_000);
});
