/**
 * Container artefacts without a Docker engine (none runs on our machines or in CI): the compose file as
 * `docker-compose config` resolves it, the image's entry point script run by a real /bin/sh, and the Dockerfile's
 * structure. `docker build` itself is not exercised here (README, "Containers"); the namespace topology test runs
 * the same topology the compose file describes.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missing, tempDir } from '../helpers/processes.js';
import { builtOpsCli } from './ops-support.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SYS_PY = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

interface ComposeService {
  image?: string;
  command?: string[];
  healthcheck?: { test: string[] };
  volumes?: string[] | { source: string; target: string; read_only?: boolean; type: string }[];
  networks?: Record<string, unknown>;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  hostname?: string;
}

/** `docker-compose config` → JSON (PyYAML ships with docker-compose, so it is there whenever the tool is). */
function composeConfig(...extra: string[]): { services: Record<string, ComposeService>; volumes: Record<string, unknown> } {
  const r = spawnSync('docker-compose', ['-f', join(ROOT, 'docker-compose.yml'), ...extra, 'config'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const j = spawnSync(SYS_PY, ['-c', 'import sys, yaml, json; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: r.stdout, encoding: 'utf8' });
  expect(j.status, j.stderr).toBe(0);
  return JSON.parse(j.stdout) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
}

function mounts(s: ComposeService): { source: string; target: string; ro: boolean }[] {
  return (s.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source, target: v.target, ro: v.read_only === true };
    const [source = '', target = '', mode = ''] = v.split(':');
    return { source, target, ro: mode === 'ro' };
  });
}

describe.skipIf(missing('docker-compose'))('docker-compose.yml', () => {
  let cfg: ReturnType<typeof composeConfig>;
  beforeAll(() => {
    cfg = composeConfig('--profile', 'monitoring');
  });
  const nodes = ['tredis-1', 'tredis-2', 'tredis-3'];
  const sentinels = ['tsentinel-1', 'tsentinel-2', 'tsentinel-3'];

  it('is valid for docker-compose and has 3 tredis + 3 tsentinel, Prometheus only in the monitoring profile', () => {
    expect(Object.keys(cfg.services).sort()).toEqual([...nodes, ...sentinels, 'prometheus'].sort());
    expect(cfg.services['prometheus']?.profiles).toEqual(['monitoring']);
    for (const n of [...nodes, ...sentinels]) expect(cfg.services[n]?.profiles).toBeUndefined();
  });

  it('gives every daemon a health check through tsentinel probe, a data volume and a read-only seed directory', () => {
    for (const n of [...nodes, ...sentinels]) {
      const s = cfg.services[n] ?? {};
      expect(s.healthcheck?.test.slice(0, 4)).toEqual(['CMD', 'tsentinel', 'probe', 'readiness']);
      const m = mounts(s);
      const data = m.find((x) => x.target === '/data');
      expect(data?.source, n).toBe(`${n}-data`);
      expect(Object.keys(cfg.volumes)).toContain(`${n}-data`);
      const seed = m.find((x) => x.target === '/etc/tsentinel');
      expect(seed?.ro).toBe(true);
      // a directory, never a single bind-mounted file (rename over it fails with EBUSY)
      expect(statSync(seed?.source ?? '').isDirectory()).toBe(true);
      expect(Object.keys(s.networks ?? {})).toEqual(['tsentinel']);
      expect(s.hostname).toBe(n);
    }
  });

  it('uses service names everywhere: replicas of tredis-1, announced hostnames, sentinels resolving names', () => {
    expect(cfg.services['tredis-1']?.command).not.toContain('--replicaof');
    for (const n of nodes) {
      const cmd = cfg.services[n]?.command ?? [];
      expect(cmd.slice(0, 2)).toEqual(['tredis', '/etc/tsentinel/node.conf']);
      expect(cmd.join(' ')).toContain(`--replica-announce-ip ${n}`);
      if (n !== 'tredis-1') {
        expect(cmd.join(' ')).toContain('--replicaof tredis-1 6379');
        expect(cfg.services[n]?.depends_on?.['tredis-1']?.condition).toBe('service_healthy');
      }
    }
    for (const n of sentinels) {
      const cmd = cfg.services[n]?.command ?? [];
      expect(cmd.slice(0, 2)).toEqual(['tsentinel', '/etc/tsentinel/sentinel.conf']);
      expect(cmd.join(' ')).toContain(`--sentinel announce-ip ${n}`);
    }
    const conf = readFileSync(join(ROOT, 'conf', 'compose', 'sentinel.conf'), 'utf8');
    expect(conf).toMatch(/^sentinel resolve-hostnames yes$/m);
    expect(conf).toMatch(/^sentinel announce-hostnames yes$/m);
    expect(conf).toMatch(/^sentinel monitor mymaster tredis-1 6379 2$/m);
  });

  it("runs every daemon with a config its own directive table accepts (file + command-line directives)", () => {
    for (const n of [...sentinels, ...nodes]) {
      const [daemon, seed, ...args] = cfg.services[n]?.command ?? [];
      const local = join(ROOT, 'conf', 'compose', (seed ?? '').replace('/etc/tsentinel/', ''));
      const r = spawnSync(process.execPath, [builtOpsCli(), 'check-config', ...(daemon === 'tredis' ? ['--node'] : []), local, ...args], { encoding: 'utf8' });
      expect(r.status, `${n}: ${r.stderr}`).toBe(0);
    }
  }, 90_000);

  it('lets Prometheus scrape exactly the metrics ports the daemons open, with the alert rules mounted', () => {
    const prom = cfg.services['prometheus'] ?? {};
    const m = mounts(prom).find((x) => x.target === '/etc/prometheus');
    expect(m?.source).toBe(join(ROOT, 'conf', 'prometheus'));
    const yml = readFileSync(join(ROOT, 'conf', 'prometheus', 'prometheus.yml'), 'utf8');
    expect(yml).toContain('- alerts.yml');
    for (const n of [...nodes, ...sentinels]) {
      const cmd = cfg.services[n]?.command ?? [];
      const port = cmd[cmd.indexOf('--metrics-port') + 1];
      expect(yml).toContain(`"${n}:${port}"`);
      expect(cmd[cmd.indexOf('--metrics-bind') + 1]).toBe('0.0.0.0');
    }
  });
});

describe('docker-entrypoint.sh (run by /bin/sh)', () => {
  const tmp = tempDir('tsentinel-entry-');
  afterAll(() => tmp.cleanup());
  const bin = join(tmp.dir, 'bin');
  const seed = join(tmp.dir, 'seed');
  const data = join(tmp.dir, 'data');
  mkdirSync(bin);
  mkdirSync(seed);
  mkdirSync(data);
  // stand-ins for the daemons: the subject here is the entry point's argument routing, so they only echo argv
  for (const d of ['tsentinel', 'tredis']) {
    writeFileSync(join(bin, d), `#!/bin/sh\necho "${d} $*"\n`);
    chmodSync(join(bin, d), 0o755);
  }
  writeFileSync(join(seed, 'sentinel.conf'), 'port 26379\n');

  function entry(args: string[], env: Record<string, string> = {}): { out: string; err: string; status: number | null } {
    const r = spawnSync('/bin/sh', [join(ROOT, 'deploy', 'docker', 'docker-entrypoint.sh'), ...args], {
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, TSENTINEL_SEED_DIR: seed, TSENTINEL_DATA_DIR: data, ...env },
    });
    return { out: r.stdout.trim(), err: r.stderr.trim(), status: r.status };
  }

  it('passes a first argument ending in .conf or starting with - to the default daemon', () => {
    expect(entry(['/x/sentinel.conf', '--port', '26380']).out).toBe('tsentinel /x/sentinel.conf --port 26380');
    expect(entry(['--port', '6379'], { TSENTINEL_DAEMON: 'tredis' }).out).toBe('tredis --port 6379');
    expect(entry(['-']).out).toBe('tsentinel -');
    expect(entry([]).out).toBe('tsentinel');
  });

  it('runs anything else as a command', () => {
    expect(entry(['tredis', '/x/node.conf']).out).toBe('tredis /x/node.conf');
    expect(entry(['tsentinel', 'status', '-p', '26379']).out).toBe('tsentinel status -p 26379');
    expect(entry(['echo', 'hello']).out).toBe('hello');
  });

  it('runs a seed config from a writable copy in the data dir, made once and then kept', () => {
    const r = entry([join(seed, 'sentinel.conf'), '--port', '1']);
    expect(r.out).toBe(`tsentinel ${join(data, 'sentinel.conf')} --port 1`);
    expect(r.err).toContain('copied');
    expect(readFileSync(join(data, 'sentinel.conf'), 'utf8')).toBe('port 26379\n');
    writeFileSync(join(data, 'sentinel.conf'), 'port 26379\nsentinel myid 0123\n'); // state the daemon persisted
    const again = entry(['tsentinel', join(seed, 'sentinel.conf')]);
    expect(again.out).toBe(`tsentinel ${join(data, 'sentinel.conf')}`);
    expect(again.err).toBe('');
    expect(readFileSync(join(data, 'sentinel.conf'), 'utf8')).toContain('sentinel myid 0123');
    expect(entry(['/elsewhere/sentinel.conf']).out).toBe('tsentinel /elsewhere/sentinel.conf');
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const instr = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => /^[A-Z]+\s/.test(l));

  it('is multi-stage with a non-root runtime user, a data volume and a probe health check', () => {
    console.warn('[note] no Docker engine here: the Dockerfile is checked statically, `docker build` is not run');
    expect(instr.filter((l) => l.startsWith('FROM ')).map((l) => l.split(/\s+/).pop())).toEqual(['build', 'runtime']);
    const user = instr.filter((l) => l.startsWith('USER ')).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/USER\s+(root|0)(:|\s|$)/);
    expect(instr.some((l) => /^VOLUME\s+\/data/.test(l))).toBe(true);
    expect(instr.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/CMD tsentinel probe liveness/);
    expect(instr.find((l) => l.startsWith('ENTRYPOINT'))).toBe('ENTRYPOINT ["docker-entrypoint.sh"]');
  });

  it('copies only paths that exist and that .dockerignore does not exclude', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const sources = instr
      .filter((l) => l.startsWith('COPY ') && !l.includes('--from='))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(3);
    for (const s of sources) {
      expect(existsSync(join(ROOT, s)), s).toBe(true);
      expect(ignored.some((p) => s === p || s.startsWith(`${p}/`)), s).toBe(false);
    }
  });
});
