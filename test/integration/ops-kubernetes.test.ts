/**
 * deploy/kubernetes without a cluster: schema-aware validation (deploy/kubernetes/validate-manifests.py, built on
 * the official Kubernetes Python client's OpenAPI-generated models, Debian package python3-kubernetes), proof that
 * the validator rejects broken manifests, the cross-references a schema cannot see, and the pod init script run by
 * a real /bin/sh.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/processes.js';
import { builtOpsCli } from './ops-support.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const MANIFEST = join(ROOT, 'deploy', 'kubernetes', 'tsentinel.yaml');
const VALIDATOR = join(ROOT, 'deploy', 'kubernetes', 'validate-manifests.py');
const PY = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const hasK8sClient = spawnSync(PY, ['-c', 'import kubernetes, yaml'], { stdio: 'ignore' }).status === 0;
if (!hasK8sClient) console.warn(`[skip] ${PY} cannot import kubernetes (Debian package python3-kubernetes): manifest schema validation skipped`);

function validate(file: string): { status: number | null; out: string } {
  const r = spawnSync(PY, [VALIDATOR, file], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

type Doc = Record<string, unknown> & { kind: string; metadata: { name: string }; spec?: Record<string, unknown>; data?: Record<string, string> };

function docs(): Doc[] {
  const r = spawnSync(PY, ['-c', 'import sys, yaml, json; json.dump([d for d in yaml.safe_load_all(open(sys.argv[1])) if d], sys.stdout)', MANIFEST], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Doc[];
}

describe.skipIf(!hasK8sClient)('deploy/kubernetes manifests', () => {
  const tmp = tempDir('tsentinel-k8s-');
  afterAll(() => tmp.cleanup());
  const original = readFileSync(MANIFEST, 'utf8');

  it('validate against the Kubernetes schemas', () => {
    const r = validate(MANIFEST);
    expect(r.out).toMatch(/^5 document\(s\) valid/);
    expect(r.status).toBe(0);
  });

  it('the validator rejects unknown fields, wrong types, missing required fields and unknown kinds', () => {
    const cases: [string, (s: string) => string, RegExp][] = [
      ['unknown field', (s) => s.replace('          args: ["tredis", "/data/node/node.conf"]', '          argz: ["tredis", "/data/node/node.conf"]'), /spec\.template\.spec\.containers\[0\]\.argz: unknown field \(not in V1Container\)/],
      ['wrong type', (s) => s.replace('  replicas: 3\n', '  replicas: "3"\n'), /StatefulSet\/tsentinel: spec\.replicas: expected int, got str '3'/],
      ['required field', (s) => s.replace('        - name: tredis\n          image: tsentinel:0.1.0\n', '        - image: tsentinel:0.1.0\n'), /spec\.template\.spec\.containers\[0\]: Invalid value for `name`, must not be `None`/],
      ['missing required', (s) => s.replace('  serviceName: tsentinel-headless\n  replicas: 3\n', '  replicas: 3\n').replace(/    matchLabels: \{ app\.kubernetes\.io\/name: tsentinel \}\n  template:/, '  template:'), /StatefulSet\/tsentinel: spec: Invalid value for `selector`, must not be `None`/],
      ['unknown kind', (s) => s.replace('kind: StatefulSet', 'kind: StatefullSet'), /unknown apiVersion\/kind apps\/v1 StatefullSet/],
    ];
    for (const [what, mutate, expected] of cases) {
      const broken = mutate(original);
      expect(broken, `${what}: mutation applied`).not.toBe(original);
      const f = join(tmp.dir, `${what.replace(/ /g, '-')}.yaml`);
      writeFileSync(f, broken);
      const r = validate(f);
      expect(r.status, what).toBe(1);
      expect(r.out, what).toMatch(expected);
    }
  }, 90_000);

  it('wires names a schema cannot check: headless service, named ports, config map keys, probes', () => {
    const all = docs();
    const sts = all.find((d) => d.kind === 'StatefulSet') as Doc;
    const spec = sts.spec as { serviceName: string; template: { spec: { containers: { name: string; ports: { name: string }[]; readinessProbe: { exec?: { command: string[] } }; livenessProbe: { exec?: { command: string[] }; httpGet?: { port: string } } }[]; volumes: { configMap?: { name: string; items: { key: string }[] } }[] } } };
    const headless = all.find((d) => d.kind === 'Service' && d.metadata.name === spec.serviceName);
    expect(headless?.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    const portNames = spec.template.spec.containers.flatMap((c) => c.ports.map((p) => p.name));
    for (const svc of all.filter((d) => d.kind === 'Service')) {
      for (const p of (svc.spec as { ports: { targetPort: string }[] }).ports) expect(portNames).toContain(p.targetPort);
    }
    const cm = all.find((d) => d.kind === 'ConfigMap') as Doc;
    for (const v of spec.template.spec.volumes) {
      if (v.configMap === undefined) continue;
      expect(v.configMap.name).toBe(cm.metadata.name);
      for (const it of v.configMap.items) expect(Object.keys(cm.data ?? {})).toContain(it.key);
    }
    for (const c of spec.template.spec.containers) {
      expect(c.readinessProbe.exec?.command.slice(0, 3)).toEqual(['tsentinel', 'probe', 'readiness']);
      const live = c.livenessProbe;
      if (live.httpGet !== undefined) expect(portNames).toContain(live.httpGet.port);
      else expect(live.exec?.command.slice(0, 3)).toEqual(['tsentinel', 'probe', 'liveness']);
    }
    expect(cm.data?.['sentinel.conf']).toMatch(/^sentinel resolve-hostnames yes$/m);
    expect(cm.data?.['sentinel.conf']).toMatch(/^sentinel announce-hostnames yes$/m);
  });

  describe('init.sh', () => {
    let script = '';
    const bin = join(tmp.dir, 'bin');
    beforeAll(() => {
      const cm = docs().find((d) => d.kind === 'ConfigMap') as Doc;
      script = join(tmp.dir, 'init.sh');
      writeFileSync(script, cm.data?.['init.sh'] ?? '');
      mkdirSync(join(tmp.dir, 'seed'), { recursive: true });
      writeFileSync(join(tmp.dir, 'seed', 'node.conf'), cm.data?.['node.conf'] ?? '');
      writeFileSync(join(tmp.dir, 'seed', 'sentinel.conf'), cm.data?.['sentinel.conf'] ?? '');
      mkdirSync(bin, { recursive: true });
    });

    /** `tsentinel status --json` as the other pods' sentinels would answer (the stand-in prints STATUS_JSON, if set). */
    function run(pod: string, data: string, statusJson?: string) {
      writeFileSync(join(bin, 'tsentinel'), '#!/bin/sh\n[ -n "${STATUS_JSON:-}" ] && printf "%s" "$STATUS_JSON"\nexit 0\n');
      chmodSync(join(bin, 'tsentinel'), 0o755);
      const r = spawnSync('/bin/sh', [script], {
        encoding: 'utf8',
        env: {
          PATH: `${bin}:${process.env['PATH'] ?? ''}`,
          DATA_DIR: data,
          SEED_DIR: join(tmp.dir, 'seed'),
          POD_NAME: pod,
          NAMESPACE: 'ns',
          STATEFULSET_NAME: 'tsentinel',
          HEADLESS_SERVICE: 'tsentinel-headless',
          CLUSTER_DOMAIN: 'cluster.local',
          REPLICAS: '3',
          MASTER_NAME: 'mymaster',
          QUORUM: '2',
          DOWN_AFTER_MS: '5000',
          FAILOVER_TIMEOUT_MS: '60000',
          ...(statusJson !== undefined ? { STATUS_JSON: statusJson } : {}),
        },
      });
      expect(r.status, r.stderr).toBe(0);
      return { node: readFileSync(join(data, 'node', 'node.conf'), 'utf8'), sentinel: readFileSync(join(data, 'sentinel', 'sentinel.conf'), 'utf8'), out: r.stdout };
    }
    const fqdn = (i: number): string => `tsentinel-${i}.tsentinel-headless.ns.svc.cluster.local`;

    it('writes configs the daemons accept (tsentinel check-config)', () => {
      const data = join(tmp.dir, 'dcheck');
      run('tsentinel-1', data);
      const check = (args: string[]) => spawnSync(process.execPath, [builtOpsCli(), 'check-config', ...args], { encoding: 'utf8' });
      const s = check([join(data, 'sentinel', 'sentinel.conf')]);
      expect(s.status, s.stderr).toBe(0);
      const n = check(['--node', join(data, 'node', 'node.conf')]);
      expect(n.status, n.stderr).toBe(0);
    }, 90_000);

    it('is valid sh', () => {
      expect(spawnSync('/bin/sh', ['-n', script]).status).toBe(0);
    });

    it('on a fresh cluster makes pod 0 the master and the others its replicas, all announcing their names', () => {
      const p0 = run('tsentinel-0', join(tmp.dir, 'd0'));
      expect(p0.node).toMatch(new RegExp(`^replica-announce-ip ${fqdn(0).replace(/\./g, '\\.')}$`, 'm'));
      expect(p0.node).not.toContain('replicaof');
      expect(p0.sentinel).toContain(`sentinel announce-ip ${fqdn(0)}\nsentinel monitor mymaster ${fqdn(0)} 6379 2\n`);
      const p1 = run('tsentinel-1', join(tmp.dir, 'd1'));
      expect(p1.node).toContain(`replicaof ${fqdn(0)} 6379\n`);
      expect(p1.sentinel).toContain(`sentinel monitor mymaster ${fqdn(0)} 6379 2\n`);
    });

    it('after a failover a restarted old master follows the master the sentinels report, keeping sentinel state', () => {
      const data = join(tmp.dir, 'd0');
      writeFileSync(join(data, 'sentinel', 'sentinel.conf'), 'sentinel myid 0123456789012345678901234567890123456789\n');
      const status = JSON.stringify({ schema: 'tsentinel.status/v1', masters: [{ name: 'other', ip: 'x', port: 1 }, { name: 'mymaster', ip: fqdn(2), port: 6379 }] });
      const p0 = run('tsentinel-0', data, status);
      expect(p0.out).toContain(`init: tsentinel-0: master of mymaster is ${fqdn(2)}:6379`);
      expect(p0.node).toContain(`replicaof ${fqdn(2)} 6379\n`);
      expect(p0.sentinel).toBe('sentinel myid 0123456789012345678901234567890123456789\n');
    });
  });
});
