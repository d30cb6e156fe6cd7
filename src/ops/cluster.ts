/**
 * Running a planned local cluster (cluster-plan.ts): prepare the data folder, start every process with its log
 * file, wait until replication and sentinel discovery have settled, and stop everything again — sentinels first
 * (so they do not fail over while the nodes go down), SIGTERM then SIGKILL after a grace period — leaving no
 * process behind. A `cluster.json` manifest in the folder lets the next `up` stop leftovers of a run that was
 * itself killed with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { TsentinelError } from '../common/errors.js';
import type { ClusterPlan, MemberPlan } from './cluster-plan.js';
import { recordsOf } from './sentinel-replies.js';

export class ClusterError extends TsentinelError {}

/** How to start each kind of process: argv before the config file path. */
export interface ClusterCommands {
  node: readonly string[];
  sentinel: readonly string[];
}

export type MemberState = { running: true } | { running: false; exit: number | string };

export interface RunningMember {
  plan: MemberPlan;
  pid: number;
  state(): MemberState;
  readonly exited: Promise<number | string>;
}

export interface ClusterHandle {
  plan: ClusterPlan;
  members: RunningMember[];
  /** Stop every process (idempotent); resolves once all have exited. */
  stop(opts?: { graceMs?: number }): Promise<void>;
  /** Kill everything now (second Ctrl-C). */
  kill(): void;
}

export interface StartOptions {
  commands: ClusterCommands;
  /** One line per step, for the progress display. */
  progress(line: string): void;
  /** Abort while starting (Ctrl-C during start-up): everything started so far is stopped. */
  signal?: AbortSignal;
  /** Per-wait limit for ports, replication links and sentinel discovery. */
  timeoutMs?: number;
}

const MARKER = '.tsentinel-cluster';
const MANIFEST = 'cluster.json';

interface Manifest {
  members: { pid: number; dir: string }[];
}

/**
 * Stop processes a previous run left behind (it was killed before it could stop them): a pid from the manifest
 * counts only if it still runs in that member's folder (its cwd), so an unrelated process that reused the pid is
 * never touched. Resolves once they are gone and their ports are free again.
 */
async function stopLeftovers(dir: string, progress: (l: string) => void): Promise<void> {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return;
  }
  const killed: number[] = [];
  for (const m of manifest.members ?? []) {
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${m.pid}/cwd`);
    } catch {
      continue; // gone, or not Linux
    }
    if (resolve(cwd) !== resolve(m.dir)) continue;
    try {
      process.kill(m.pid, 'SIGKILL');
      killed.push(m.pid);
      progress(`stopped leftover process ${m.pid} from a previous run (${m.dir})`);
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + 5000;
  while (killed.some((pid) => existsSync(`/proc/${pid}`)) && Date.now() < deadline) await sleep(50);
}

/** Refuse a folder that is not ours (it is wiped on every start). */
function checkDirOwnership(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new ClusterError('EDIR', `${dir} exists and was not created by tsentinel up; choose another folder with --dir`);
  }
}

/** Reset our folder and write every member's config. */
function prepareDir(plan: ClusterPlan): void {
  const dir = plan.options.dir;
  if (existsSync(dir)) {
    for (const e of readdirSync(dir)) {
      if (/^(node|sentinel)-\d+$/.test(e) || e === MANIFEST) rmSync(join(dir, e), { recursive: true, force: true });
    }
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MARKER), 'This folder is managed by `tsentinel up`; it is reset on every start.\n');
  for (const m of plan.members) {
    mkdirSync(m.dir, { recursive: true });
    writeFileSync(m.configFile, m.config);
  }
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const srv = createServer();
    srv.once('error', () => resolveFree(false));
    srv.listen(port, host, () => srv.close(() => resolveFree(true)));
  });
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = connect({ host, port });
    s.once('connect', () => (s.destroy(), res(true)));
    s.once('error', () => res(false));
  });
}

function tail(file: string, lines = 8): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function label(m: MemberPlan): string {
  return `${m.kind} ${m.role === 'sentinel' ? 'sentinel' : m.role} on port ${m.port}`;
}

export async function startCluster(plan: ClusterPlan, opts: StartOptions): Promise<ClusterHandle> {
  const { host } = plan.options;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  checkDirOwnership(plan.options.dir);
  await stopLeftovers(plan.options.dir, opts.progress);
  for (const m of plan.members) {
    for (const p of [m.port, m.metricsPort]) {
      if (p !== undefined && !(await portFree(host, p))) {
        throw new ClusterError('EPORT', `port ${p} on ${host} is already in use (pick other ports with --port, --sentinel-port or --metrics-port)`);
      }
    }
  }
  prepareDir(plan);

  const children = new Map<RunningMember, ChildProcess>();
  const members: RunningMember[] = [];
  // If this process dies without stop() (an exception, process.exit), take the children with it.
  const onExit = (): void => {
    for (const c of children.values()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  process.on('exit', onExit);

  const writeManifest = (): void => {
    const manifest: Manifest = { members: members.map((m) => ({ pid: m.pid, dir: m.plan.dir })) };
    writeFileSync(join(plan.options.dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  };

  const launch = (m: MemberPlan): RunningMember => {
    const argv = m.role === 'sentinel' ? opts.commands.sentinel : opts.commands.node;
    const [cmd, ...pre] = argv;
    if (cmd === undefined) throw new ClusterError('ECOMMAND', `no command to start ${m.kind}`);
    const log = openSync(m.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(cmd, [...pre, m.configFile], { cwd: m.dir, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    let state: MemberState = { running: true };
    const exited = new Promise<number | string>((res) => {
      child.once('exit', (code, sig) => {
        state = { running: false, exit: code ?? sig ?? -1 };
        res(code ?? sig ?? -1);
      });
      child.once('error', (e: NodeJS.ErrnoException) => {
        state = { running: false, exit: e.code ?? 'error' };
        res(e.code ?? 'error');
      });
    });
    const rm: RunningMember = { plan: m, pid: child.pid ?? -1, state: () => state, exited };
    children.set(rm, child);
    members.push(rm);
    return rm;
  };

  let stopping: Promise<void> | undefined;
  const stop = (o: { graceMs?: number } = {}): Promise<void> =>
    (stopping ??= (async () => {
      const grace = o.graceMs ?? 5000;
      // Sentinels first, so none of them starts a failover while the nodes shut down; then replicas, master last.
      const order = [...members].sort((a, b) => rank(a) - rank(b));
      for (const group of [order.filter((m) => m.plan.role === 'sentinel'), order.filter((m) => m.plan.role !== 'sentinel')]) {
        for (const m of group) signal(m, 'SIGTERM');
        const all = Promise.all(group.map((m) => m.exited));
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), grace)))]);
        clearTimeout(timer);
        if (timedOut) for (const m of group) signal(m, 'SIGKILL');
        await all;
      }
      process.off('exit', onExit);
      rmSync(join(plan.options.dir, MANIFEST), { force: true });
    })());
  const rank = (m: RunningMember): number => ({ sentinel: 0, replica: 1, master: 2 })[m.plan.role];
  const signal = (m: RunningMember, sig: NodeJS.Signals): void => {
    const c = children.get(m);
    if (c !== undefined && c.exitCode === null && c.signalCode === null) c.kill(sig);
  };
  const handle: ClusterHandle = {
    plan,
    members,
    stop,
    kill: () => {
      for (const m of members) signal(m, 'SIGKILL');
    },
  };

  const aborted = (): boolean => opts.signal?.aborted === true;
  const waitFor = async (m: RunningMember, what: string, cond: () => Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (aborted()) throw new ClusterError('EABORT', 'interrupted');
      const st = m.state();
      if (!st.running) {
        throw new ClusterError('EEXIT', `${label(m.plan)} exited (${st.exit}) before ${what}; last lines of ${m.plan.logFile}:\n${tail(m.plan.logFile)}`);
      }
      if (await cond().catch(() => false)) return;
      if (Date.now() > deadline) throw new ClusterError('ETIMEOUT', `${label(m.plan)}: no ${what} after ${timeoutMs / 1000}s; see ${m.plan.logFile}`);
      await sleep(100);
    }
  };
  const query = async <T>(port: number, fn: (c: Redis) => Promise<T>): Promise<T> => {
    const c = new Redis({ host, port, lazyConnect: true, enableReadyCheck: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000, commandTimeout: 1000, disconnectTimeout: 200 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return await fn(c);
    } finally {
      c.disconnect();
    }
  };

  try {
    const nodes = plan.members.filter((m) => m.role !== 'sentinel');
    const sentinels = plan.members.filter((m) => m.role === 'sentinel');
    const runningNodes: RunningMember[] = [];
    for (const m of nodes) {
      const rm = launch(m);
      writeManifest();
      await waitFor(rm, 'listening port', () => accepts(host, m.port));
      opts.progress(`${m.kind} ${m.role} listening on ${host}:${m.port} (pid ${rm.pid})`);
      runningNodes.push(rm);
    }
    for (const rm of runningNodes.filter((r) => r.plan.role === 'replica')) {
      await waitFor(rm, 'replication link', () =>
        query(rm.plan.port, async (c) => /master_link_status:up/.test(String(await c.call('INFO', ['replication'])))),
      );
    }
    if (runningNodes.length > 1) opts.progress(`${runningNodes.length - 1} replica(s) in sync with the master`);
    const runningSentinels: RunningMember[] = [];
    for (const m of sentinels) {
      const rm = launch(m);
      writeManifest();
      await waitFor(rm, 'listening port', () => accepts(host, m.port));
      opts.progress(`${m.kind} listening on ${host}:${m.port} (pid ${rm.pid})`);
      runningSentinels.push(rm);
    }
    const name = plan.options.masterName;
    for (const rm of runningSentinels) {
      // Replicas are discovered from the master's INFO, other sentinels from hellos every 2 s.
      await waitFor(rm, 'discovery of the replicas and the other sentinels', () =>
        query(rm.plan.port, async (c) => {
          const replicas = recordsOf(await c.call('SENTINEL', ['SLAVES', name]));
          const peers = recordsOf(await c.call('SENTINEL', ['SENTINELS', name]));
          return replicas.length === plan.options.replicas && peers.length === plan.options.sentinels - 1;
        }),
      );
    }
    opts.progress(`${runningSentinels.length} sentinel(s) agree on ${plan.options.replicas} replica(s) and ${plan.options.sentinels - 1} peer(s) each`);
    return handle;
  } catch (e) {
    await stop({ graceMs: 2000 });
    throw e;
  }
}
