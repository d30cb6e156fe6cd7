/**
 * A private network of Linux network namespaces for topology tests, the way docker-compose would run services:
 * each service in its own namespace with its own address (10.77.0.0/24) and host name, all attached to a bridge
 * that lives in a "switch" namespace of its own, so the host's network is never touched. Names resolve through a
 * hosts file bind-mounted over /etc/hosts inside a private mount namespace per process, like compose's DNS.
 *
 * Needs root and iproute2, iptables, util-linux (unshare). Everything is created by the lab and removed by
 * destroy(): the processes inside its namespaces (all started by the lab), then the namespaces themselves.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LabService {
  name: string;
  ip: string;
}

export interface LabProc {
  service: string;
  pid: number;
  child: ChildProcess;
  output(): string;
  exited: Promise<number | string>;
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Why the lab cannot run here, or undefined when it can. */
export function labUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  for (const bin of ['ip', 'iptables', 'unshare', 'mount', 'hostname']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status !== 0) return `${bin} not installed`;
  }
  return undefined;
}

export class NetnsLab {
  readonly prefix = `tsx${process.pid}`;
  readonly services: LabService[];
  readonly hostsFile: string;
  readonly procs: LabProc[] = [];
  #created: string[] = [];

  constructor(names: string[], dir: string) {
    this.services = names.map((name, i) => ({ name, ip: `10.77.0.${10 + i}` }));
    this.hostsFile = join(dir, 'hosts');
    writeFileSync(
      this.hostsFile,
      ['127.0.0.1 localhost', ...this.services.map((s) => `${s.ip} ${s.name}`), ''].join('\n'),
    );
  }

  ns(service: string): string {
    return `${this.prefix}-${service}`;
  }

  ipOf(service: string): string {
    const s = this.services.find((x) => x.name === service);
    if (s === undefined) throw new Error(`no service ${service}`);
    return s.ip;
  }

  create(): void {
    const sw = `${this.prefix}-sw`;
    run('ip', ['netns', 'add', sw]);
    this.#created.push(sw);
    run('ip', ['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
    run('ip', ['-n', sw, 'link', 'set', 'br0', 'up']);
    this.services.forEach((s, i) => {
      const ns = this.ns(s.name);
      run('ip', ['netns', 'add', ns]);
      this.#created.push(ns);
      const port = `v${i}`;
      // both ends are created directly inside their namespaces: nothing appears in the host's namespace
      run('ip', ['link', 'add', port, 'netns', sw, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      run('ip', ['-n', sw, 'link', 'set', port, 'master', 'br0', 'up']);
      run('ip', ['-n', ns, 'addr', 'add', `${s.ip}/24`, 'dev', 'eth0']);
      run('ip', ['-n', ns, 'link', 'set', 'eth0', 'up']);
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    });
  }

  /** argv wrapped to run inside the service's namespace, with its host name and the lab's hosts file. */
  #wrap(service: string, argv: string[]): string[] {
    return [
      'netns', 'exec', this.ns(service),
      'unshare', '--mount', '--uts',
      'sh', '-c', 'mount --bind "$0" /etc/hosts && hostname "$1" && shift && exec "$@"',
      this.hostsFile, service, ...argv,
    ];
  }

  /** Start a long-running process in a service's namespace (the exec chain keeps one pid). */
  start(service: string, argv: string[], opts: { cwd?: string } = {}): LabProc {
    const child = spawn('ip', this.#wrap(service, argv), { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | string>((r) => child.once('exit', (c, s) => r(c ?? s ?? -1)));
    const p: LabProc = { service, pid: child.pid ?? -1, child, output: () => out, exited };
    this.procs.push(p);
    return p;
  }

  /** Run a command to completion inside a service's namespace. */
  exec(service: string, argv: string[], timeoutMs = 15_000): { status: number | null; out: string; err: string } {
    const r = spawnSync('ip', this.#wrap(service, argv), { encoding: 'utf8', timeout: timeoutMs });
    return { status: r.status, out: r.stdout, err: r.stderr };
  }

  /** Async variant, so a poll loop does not block the test's event loop. */
  execAsync(service: string, argv: string[], timeoutMs = 15_000): Promise<{ status: number | null; out: string; err: string }> {
    return new Promise((resolve) => {
      const child = spawn('ip', this.#wrap(service, argv), { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
      const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.once('exit', (status) => {
        clearTimeout(t);
        resolve({ status, out, err });
      });
    });
  }

  /** Every pid inside a service's namespace. */
  pidsIn(service: string): number[] {
    return run('ip', ['netns', 'pids', this.ns(service)])
      .split('\n')
      .filter((l) => /^\d+$/.test(l.trim()))
      .map(Number);
  }

  /** "Stop the container": SIGKILL everything in the service's namespace and wait for our children to exit. */
  async stopService(service: string): Promise<void> {
    for (const pid of this.pidsIn(service)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    await Promise.all(this.procs.filter((p) => p.service === service).map((p) => p.exited));
  }

  /** Drop all traffic between `service` and `peers` (both directions), in the service's own firewall. */
  partition(service: string, peers: string[]): void {
    const ns = this.ns(service);
    for (const peer of peers) {
      const ip = this.ipOf(peer);
      run('ip', ['netns', 'exec', ns, 'iptables', '-A', 'INPUT', '-s', ip, '-j', 'DROP']);
      run('ip', ['netns', 'exec', ns, 'iptables', '-A', 'OUTPUT', '-d', ip, '-j', 'DROP']);
    }
  }

  heal(service: string): void {
    run('ip', ['netns', 'exec', this.ns(service), 'iptables', '-F']);
  }

  async destroy(): Promise<void> {
    for (const s of this.services) {
      try {
        await this.stopService(s.name);
      } catch {
        /* namespace may not exist */
      }
    }
    for (const ns of this.#created.reverse()) spawnSync('ip', ['netns', 'del', ns]);
    this.#created = [];
  }
}
