/**
 * `tsentinel up`: one command to a running HA cluster on loopback — 1 master + N replicas (tredis, or real
 * redis-server with --redis-server) and M sentinels — with data in a local folder, a connection example, and a
 * live status view. Ctrl-C stops everything cleanly (sentinels first, then nodes; a second Ctrl-C kills at once).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import type { Redis } from 'ioredis';
import { CLUSTER_DEFAULTS, ioredisSnippet, planCluster, type ClusterOptions, type ClusterPlan } from '../../ops/cluster-plan.js';
import { startCluster, type ClusterCommands, type ClusterHandle } from '../../ops/cluster.js';
import { formatEventLine, type SentinelEvent } from '../../ops/events.js';
import { openEventStream, type EventStream } from '../../ops/event-stream.js';
import { callerOf, closeClient, openClient, type Endpoint } from '../../ops/sentinel-client.js';
import { collectStatus } from '../../ops/status-model.js';
import { renderStatus, terminalFrame } from '../../ops/status-render.js';
import { parsePositiveInt, runReporting, sleep, type CliIo } from './common.js';

export interface UpFlags {
  replicas: string;
  sentinels: string;
  port: string;
  sentinelPort: string;
  metricsPort?: string | undefined;
  downAfter: string;
  failoverTimeout: string;
  quorum?: string | undefined;
  name: string;
  dir: string;
  redisServer?: string | undefined;
  redisSentinel?: string | undefined;
  status: boolean;
  interval: string;
}

const KEEP_EVENTS = 12;

function count(text: string, what: string): number {
  if (!/^\d+$/.test(text)) throw new Error(`invalid ${what}: '${text}'`);
  return Number(text);
}

/** Our own daemons run from the same build as this command (dist/cli/commands/up.js → dist/cli/*.js). */
function ownDaemon(file: 'tredis.js' | 'tsentinel.js'): string[] {
  return [process.execPath, fileURLToPath(new URL(`../${file}`, import.meta.url))];
}

export function optionsOf(flags: UpFlags): { options: ClusterOptions; commands: ClusterCommands } {
  const options: ClusterOptions = {
    dir: resolve(flags.dir),
    host: CLUSTER_DEFAULTS.host,
    replicas: count(flags.replicas, '--replicas'),
    sentinels: count(flags.sentinels, '--sentinels'),
    nodePortBase: count(flags.port, '--port'),
    sentinelPortBase: count(flags.sentinelPort, '--sentinel-port'),
    metricsPortBase: flags.metricsPort !== undefined ? count(flags.metricsPort, '--metrics-port') : undefined,
    masterName: flags.name,
    quorum: flags.quorum !== undefined ? count(flags.quorum, '--quorum') : undefined,
    downAfterMs: count(flags.downAfter, '--down-after'),
    failoverTimeoutMs: count(flags.failoverTimeout, '--failover-timeout'),
    nodeKind: flags.redisServer !== undefined ? 'redis-server' : 'tredis',
    sentinelKind: flags.redisSentinel !== undefined ? 'redis-sentinel' : 'tsentinel',
  };
  const commands: ClusterCommands = {
    node: flags.redisServer !== undefined ? [flags.redisServer] : ownDaemon('tredis.js'),
    sentinel: flags.redisSentinel !== undefined ? [flags.redisSentinel] : ownDaemon('tsentinel.js'),
  };
  return { options, commands };
}

/** Where everything listens, how to connect, what to try. */
export function banner(plan: ClusterPlan, handle: ClusterHandle | undefined): string {
  const o = plan.options;
  const rows = plan.members.map((m) => {
    const rm = handle?.members.find((r) => r.plan === m);
    const st = rm?.state();
    const state = rm === undefined ? '' : st?.running === true ? `pid ${rm.pid}` : `exited (${st?.running === false ? st.exit : '?'})`;
    const metrics = m.metricsPort !== undefined ? `metrics http://${o.host}:${m.metricsPort}/metrics` : '';
    return [`${m.kind} ${m.role === 'sentinel' ? '' : m.role}`.trim(), `${o.host}:${m.port}`, state, metrics];
  });
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const table = rows.map((r) => `  ${r.map((c, i) => (i < 3 ? c.padEnd(w[i] ?? 0) : c)).join('  ')}`.trimEnd());
  const s0 = plan.members.find((m) => m.role === 'sentinel')?.port;
  return [
    `HA cluster "${o.masterName}" (quorum ${plan.quorum}, down-after ${o.downAfterMs} ms), data in ${o.dir}`,
    ...table,
    '',
  ].join('\n') + (handle === undefined ? '' : `\nTry:  tsentinel status -p ${s0}   tsentinel failover ${o.masterName} -p ${s0}   tsentinel events -p ${s0}\n`);
}

/** The live view's data source: the first running sentinel, switched when it goes away. */
class Watcher {
  events: SentinelEvent[] = [];
  #stream: EventStream | undefined;
  #client: Redis | undefined;
  #port: number | undefined;

  constructor(
    private readonly handle: ClusterHandle,
    private readonly io: CliIo,
    private readonly onEvent: (ev: SentinelEvent) => void,
  ) {}

  #endpoint(): Endpoint | undefined {
    const s = this.handle.members.find((m) => m.plan.role === 'sentinel' && m.state().running);
    return s === undefined ? undefined : { host: this.handle.plan.options.host, port: s.plan.port, timeoutMs: 2000 };
  }

  async #ensure(): Promise<Endpoint | undefined> {
    const ep = this.#endpoint();
    if (ep?.port !== this.#port) await this.close();
    if (ep === undefined) return undefined;
    this.#port = ep.port;
    this.#stream ??= await openEventStream(ep, {
      pattern: '*',
      reconnect: true,
      now: this.io.now,
      onEvent: (ev) => {
        this.events.push(ev);
        if (this.events.length > KEEP_EVENTS * 4) this.events.splice(0, KEEP_EVENTS);
        this.onEvent(ev);
      },
    }).catch(() => undefined);
    return ep;
  }

  /** Subscribe (and keep subscribed) without rendering: the non-TTY mode only prints events. */
  async follow(): Promise<void> {
    await this.#ensure();
  }

  async frame(): Promise<string> {
    const ep = await this.#ensure();
    if (ep === undefined) return 'no sentinel running\n';
    try {
      this.#client ??= await openClient(ep);
      const snap = await collectStatus(callerOf(this.#client), `${ep.host}:${ep.port}`, this.io.now());
      return renderStatus(snap, { color: this.io.isTTY, events: this.events, maxEvents: KEEP_EVENTS });
    } catch (e) {
      if (this.#client !== undefined) await closeClient(this.#client);
      this.#client = undefined;
      return `sentinel ${ep.host}:${ep.port}: ${e instanceof Error ? e.message : String(e)}\n`;
    }
  }

  async close(): Promise<void> {
    if (this.#client !== undefined) await closeClient(this.#client);
    this.#client = undefined;
    await this.#stream?.close();
    this.#stream = undefined;
    this.#port = undefined;
  }
}

export async function runUp(flags: UpFlags, io: CliIo): Promise<number> {
  return runReporting('up', io, async () => {
    const { options, commands } = optionsOf(flags);
    const plan = planCluster(options);
    const intervalMs = parsePositiveInt(flags.interval, 'interval');
    io.out(
      `starting ${plan.options.replicas + 1} ${options.nodeKind} node(s) and ${plan.options.sentinels} ${options.sentinelKind} process(es) on ${options.host}...\n`,
    );
    const handle = await startCluster(plan, { commands, progress: (l) => io.out(`  ${l}\n`), signal: io.signal });
    io.onRepeatedInterrupt?.(() => {
      io.err('second interrupt: killing every process now\n');
      handle.kill();
    });
    io.out(`\ncluster is up\n${banner(plan, handle)}\nConnect with ioredis in sentinel mode:\n\n${ioredisSnippet(plan)}\n\nCtrl-C stops everything.\n\n`);

    // Members that exit while we watch are reported once (killing the master to watch a failover is expected).
    const reported = new Set<number>();
    const reportExits = (): void => {
      for (const m of handle.members) {
        const st = m.state();
        if (!st.running && !reported.has(m.pid) && !io.signal.aborted) {
          reported.add(m.pid);
          if (!io.isTTY) io.out(`${m.plan.kind} ${m.plan.role} on port ${m.plan.port} (pid ${m.pid}) exited (${st.exit}); log: ${m.plan.logFile}\n`);
        }
      }
    };
    const watcher = new Watcher(handle, io, (ev) => {
      if (!io.isTTY && flags.status) io.out(`${formatEventLine(ev, false)}\n`);
    });
    try {
      while (!io.signal.aborted) {
        reportExits();
        if (flags.status && io.isTTY) {
          const frame = await watcher.frame();
          if (!io.signal.aborted) io.out(terminalFrame(`${banner(plan, handle)}\n${frame}\nCtrl-C stops everything.\n`));
        } else if (flags.status) {
          await watcher.follow();
        }
        await sleep(intervalMs, io.signal);
      }
    } finally {
      await watcher.close();
      io.out('\nstopping: sentinels first, then the nodes...\n');
      await handle.stop();
      io.out(`stopped ${handle.members.length} processes; data left in ${plan.options.dir}\n`);
    }
    return 0;
  });
}

export function registerUpCommand(program: Command, io: () => CliIo, exit: (code: number) => void): Command {
  const d = CLUSTER_DEFAULTS;
  return program
    .command('up')
    .description('run a local HA cluster (1 master + replicas + sentinels on loopback) with a live status view; Ctrl-C stops it')
    .option('--replicas <n>', 'number of replicas', String(d.replicas))
    .option('--sentinels <n>', 'number of sentinels', String(d.sentinels))
    .option('--port <port>', 'first node port (master; replicas take the next ones)', String(d.nodePortBase))
    .option('--sentinel-port <port>', 'first sentinel port', String(d.sentinelPortBase))
    .option('--metrics-port <port>', 'serve /metrics: sentinels on this port and up, nodes from port+100 (tsentinel/tredis only)')
    .option('--down-after <ms>', 'sentinel down-after-milliseconds', String(d.downAfterMs))
    .option('--failover-timeout <ms>', 'sentinel failover-timeout', String(d.failoverTimeoutMs))
    .option('--quorum <n>', 'sentinel quorum (default: a majority)')
    .option('--name <master>', 'master name', d.masterName)
    .option('--dir <path>', 'data folder (reset on every start)', d.dir)
    .option('--redis-server <path>', 'run the nodes with this real redis-server binary instead of tredis')
    .addOption(new Option('--redis-sentinel <path>', 'run the sentinels with this real redis-sentinel binary (interop testing)').hideHelp())
    .option('--no-status', 'no live status view (print only progress and the banner)')
    .option('--interval <ms>', 'status view refresh interval', '1000')
    .action(async (flags: UpFlags) => exit(await runUp(flags, io())));
}
