/**
 * End to end: a real Prometheus server scrapes three tsentinels (their HTTP listeners, `metrics-port`), which
 * supervise a real redis-server master and two replicas; the alert rules are the shipped conf/prometheus/alerts.yml.
 * A failover is triggered with `tsentinel failover`, and TSentinelFailoverOccurred is observed firing through
 * Prometheus's HTTP API. Along the way the admin commands are checked against tsentinel (they were proven against
 * redis-sentinel in ops-admin.test.ts) and /readyz against the probe's semantics.
 *
 * The sentinels run in this process through startSentinel (the composition root the bin wraps).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCkquorum } from '../../src/cli/commands/ckquorum.js';
import { runFailover } from '../../src/cli/commands/failover.js';
import { runProbe } from '../../src/cli/commands/probe.js';
import { runStatus } from '../../src/cli/commands/status.js';
import type { OpsHttpHandle } from '../../src/ops/http.js';
import { startSentinelOpsHttp } from '../../src/ops/sentinel-readyz.js';
import { startSentinel, type SentinelHandle } from '../../src/sentinel/main.js';
import { allocPort, allocPorts } from '../helpers/ports.js';
import { has, missing, startProcess, stopAll, tempDir } from '../helpers/processes.js';
import { captureIo, startRealNodes, waitFor } from './ops-support.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const skip = missing('prometheus', 'redis-server');

interface PromAlert {
  labels: Record<string, string>;
  state: string;
}

describe.skipIf(skip)('Prometheus scrapes tsentinel and sees the failover alert fire', () => {
  const tmp = tempDir('tsentinel-prom-');
  const sentinels: SentinelHandle[] = [];
  const https: OpsHttpHandle[] = [];
  let promPort = 0;
  let masterPort = 0;
  let replicaPorts: number[] = [];
  let metricPorts: number[] = [];
  const sentinelPorts: number[] = [];

  async function api<T>(path: string): Promise<T> {
    const r = await fetch(`http://127.0.0.1:${promPort}${path}`);
    const body = (await r.json()) as { status: string; data: T };
    if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`);
    return body.data;
  }
  const conn = (port: number) => ({ host: '127.0.0.1', port: String(port), timeout: '2000' });

  beforeAll(async () => {
    [masterPort = 0, ...replicaPorts] = allocPorts(3);
    await startRealNodes(tmp.dir, masterPort, replicaPorts);
    metricPorts = allocPorts(3);
    for (let i = 0; i < 3; i++) {
      const dir = join(tmp.dir, `s${i}`);
      mkdirSync(dir);
      const port = allocPort();
      sentinelPorts.push(port);
      const conf = join(dir, 'sentinel.conf');
      writeFileSync(
        conf,
        [
          `port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, 'loglevel warning', `logfile ${join(dir, 'sentinel.log')}`,
          `sentinel monitor mymaster 127.0.0.1 ${masterPort} 2`,
          'sentinel down-after-milliseconds mymaster 1000', 'sentinel failover-timeout mymaster 10000',
          `metrics-port ${metricPorts[i]}`, '',
        ].join('\n'),
      );
      const h = await startSentinel(conf);
      sentinels.push(h);
      const http = await startSentinelOpsHttp(h);
      if (http === undefined) throw new Error('metrics-port was not honoured');
      https.push(http);
    }
    promPort = allocPort();
    writeFileSync(
      join(tmp.dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        `rule_files: ["${join(ROOT, 'conf', 'prometheus', 'alerts.yml')}"]`,
        'scrape_configs:',
        '  - job_name: tsentinel',
        `    static_configs: [{ targets: [${metricPorts.map((p) => `"127.0.0.1:${p}"`).join(', ')}] }]`,
        '',
      ].join('\n'),
    );
    const prom = startProcess('prometheus', [
      `--config.file=${join(tmp.dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(tmp.dir, 'tsdb')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    await waitFor('prometheus to be ready', async () => {
      try {
        return (await fetch(`http://127.0.0.1:${promPort}/-/ready`)).status === 200;
      } catch {
        return prom.child.exitCode !== null ? Promise.reject(new Error(`prometheus exited:\n${prom.output()}`)) : false;
      }
    }, 30_000);
    // every sentinel knows the two replicas and the two other sentinels
    await waitFor('sentinel discovery', () =>
      sentinels.every((h) => {
        const m = h.core.state.masters.get('mymaster');
        return m !== undefined && m.replicas.size === 2 && m.sentinels.size === 2;
      }), 30_000);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(https.map((h) => h.close()));
    await Promise.all(sentinels.map((h) => h.close()));
    await stopAll();
    tmp.cleanup();
  });

  it('the admin commands work against tsentinel', async () => {
    const io = captureIo();
    expect(await runStatus({ ...conn(sentinelPorts[0] ?? 0), json: true, interval: '1000' }, io)).toBe(0);
    const doc = JSON.parse(io.stdout()) as { masters: { address: string; replicas: unknown[]; sentinels: unknown[]; quorumCheck: { ok: boolean } }[] };
    expect(doc.masters[0]).toMatchObject({ address: `127.0.0.1:${masterPort}`, quorumCheck: { ok: true } });
    expect(doc.masters[0]?.replicas).toHaveLength(2);
    expect(doc.masters[0]?.sentinels).toHaveLength(2);
    expect(await runCkquorum('mymaster', conn(sentinelPorts[1] ?? 0), captureIo())).toBe(0);
    const probe = captureIo();
    expect(await runProbe('readiness', conn(sentinelPorts[2] ?? 0), probe)).toBe(0);
    expect(probe.stdout()).toBe('ready: 1 master known, quorum reachable\n');
  });

  it('/readyz and /healthz agree with the probe', async () => {
    for (const p of metricPorts) {
      const ready = await fetch(`http://127.0.0.1:${p}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toBe('ready\n- ready: 1 master known, quorum reachable\n');
      expect((await fetch(`http://127.0.0.1:${p}/healthz`)).status).toBe(200);
    }
  });

  it('the exposition passes promtool lint and has every series the alert rules use', async () => {
    const text = await (await fetch(`http://127.0.0.1:${metricPorts[0]}/metrics`)).text();
    const exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const rules = readFileSync(join(ROOT, 'conf', 'prometheus', 'alerts.yml'), 'utf8')
      .split('\n')
      .filter((l) => !l.trim().startsWith('#'))
      .join('\n');
    const used = new Set([...rules.matchAll(/\b((?:tsentinel|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1] ?? ''));
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) expect(exposed, `alerts.yml uses ${name}`).toContain(name);
    if (has('promtool')) {
      const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      const problems = `${lint.stdout}${lint.stderr}`
        .split('\n')
        .filter((l) => l.trim() !== '' && !/^nodejs_active_\w+_total non-counter metrics should not have "_total" suffix$/.test(l));
      expect(problems).toEqual([]);
    }
  });

  it('Prometheus scrapes all three with the tsentinel_* series, and no failover alert before a failover', async () => {
    await waitFor('three healthy targets with config-epoch series', async () => {
      const r = await api<{ result: unknown[] }>(`/api/v1/query?query=${encodeURIComponent('tsentinel_master_config_epoch{master="mymaster"}')}`);
      const up = await api<{ result: { value: [number, string] }[] }>(`/api/v1/query?query=${encodeURIComponent('up{job="tsentinel"}')}`);
      return r.result.length === 3 && up.result.length === 3 && up.result.every((x) => x.value[1] === '1');
    }, 30_000);
    const alerts = await api<{ alerts: PromAlert[] }>('/api/v1/alerts');
    expect(alerts.alerts.filter((a) => a.labels['alertname'] === 'TSentinelFailoverOccurred')).toEqual([]);
  }, 120_000);

  it('after tsentinel failover, TSentinelFailoverOccurred fires for the master', async () => {
    const io = captureIo();
    expect(await runFailover('mymaster', { ...conn(sentinelPorts[0] ?? 0), wait: '30' }, io)).toBe(0);
    expect(io.stdout()).toMatch(/mymaster failed over: 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+/);
    let firing: PromAlert | undefined;
    await waitFor('the failover alert to fire', async () => {
      const alerts = await api<{ alerts: PromAlert[] }>('/api/v1/alerts');
      firing = alerts.alerts.find((a) => a.labels['alertname'] === 'TSentinelFailoverOccurred' && a.state === 'firing');
      return firing !== undefined;
    }, 60_000);
    expect(firing?.labels).toMatchObject({ alertname: 'TSentinelFailoverOccurred', master: 'mymaster', severity: 'warning' });
    // nothing alarming besides: no sentinel down, no disagreement once the switch has propagated
    const alerts = await api<{ alerts: PromAlert[] }>('/api/v1/alerts');
    expect(alerts.alerts.filter((a) => a.state === 'firing' && ['TSentinelDown', 'TSentinelFailoverFailed'].includes(a.labels['alertname'] ?? ''))).toEqual([]);
  }, 120_000);
});
