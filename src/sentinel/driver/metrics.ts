/**
 * The tsentinel_* metric set proposed in clients-and-ops.md §2.4. State-shaped series (epochs, statuses, counts)
 * are computed from the core's state at scrape time (prom-client `collect`), so they can never drift from what
 * SENTINEL MASTERS would say; event-shaped series (events, failovers, elections, rewrites) are counted as the
 * driver fans events out. Labels are bounded: master names, roles, addresses of known instances, event names.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { checkQuorum } from '../core/admin.js';
import type { SentinelEvent } from '../core/io.js';
import { currentMasterAddr } from '../core/instances.js';
import type { Instance, SentinelState } from '../core/model.js';
import { announceHost, hostPort } from '../protocol/addr.js';
import { parseInfo } from '../protocol/info-parse.js';
import { FAILOVER_STATES } from '../protocol/wire-names.js';
import { isPromotable } from '../core/selection.js';

export interface MetricsSources {
  state(): SentinelState;
  /** The core's clock (monotonic ms). */
  now(): number;
  /** Wall clock, ms. */
  wallNow(): number;
  scripts(): { running: number; queued: number };
  clients(): { connected: number; subscriptions: number };
  announce(): string;
  version: string;
}

const PREFIX = 'tsentinel_';

export class SentinelMetrics {
  readonly #events: Counter<'event' | 'master'>;
  readonly #switches: Counter<'master'>;
  readonly #failovers: Counter<'master' | 'result'>;
  readonly #duration: Histogram<'master'>;
  readonly #elections: Counter<'master' | 'result'>;
  readonly #rewrites: Counter<'result'>;
  readonly #tiltEntered: Counter<string>;
  readonly #scriptErrors: Counter<string>;
  readonly #commands: Counter<'command'>;
  readonly #ping: Histogram<'master' | 'role'>;
  readonly #lastFailover = new Map<string, number>();
  readonly #tryAt = new Map<string, number>();
  #lastRewriteOk = 1;

  constructor(
    private readonly registry: Registry,
    private readonly src: MetricsSources,
  ) {
    const r = [registry];
    const counter = <L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> =>
      (registry.getSingleMetric(PREFIX + name) as Counter<L> | undefined) ?? new Counter<L>({ name: PREFIX + name, help, labelNames, registers: r });
    const histogram = <L extends string>(name: string, help: string, labelNames: L[], buckets: number[]): Histogram<L> =>
      (registry.getSingleMetric(PREFIX + name) as Histogram<L> | undefined) ??
      new Histogram<L>({ name: PREFIX + name, help, labelNames, buckets, registers: r });
    this.#events = counter('events_total', 'Sentinel events published (+sdown, +odown, +switch-master, ...)', ['event', 'master']);
    this.#switches = counter('switch_master_total', 'Master address switches observed (led by anyone)', ['master']);
    this.#failovers = counter('failovers_total', 'Failovers led by this sentinel, by outcome', ['master', 'result']);
    this.#duration = histogram('failover_duration_seconds', 'Failovers led by this sentinel, +try-failover to +switch-master', ['master'], [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 180, 300]);
    this.#elections = counter('leader_elections_total', 'Elections this sentinel ran, won or lost', ['master', 'result']);
    this.#rewrites = counter('config_rewrites_total', 'sentinel.conf rewrites', ['result']);
    this.#tiltEntered = counter('tilt_entered_total', 'Times TILT mode was entered');
    this.#scriptErrors = counter('script_errors_total', 'Scripts that failed for good (-script-error) or timed out');
    this.#commands = counter('commands_total', 'Commands served, by name (sentinel subcommands as sentinel|<sub>)', ['command']);
    this.#ping = histogram('instance_ping_duration_seconds', 'PING round trip to monitored instances', ['master', 'role'], [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]);
    this.#registerGauges();
  }

  onEvent(e: SentinelEvent): void {
    const master = e.masterName ?? '';
    if (e.level !== 'debug') this.#events.inc({ event: e.type, master });
    switch (e.type) {
      case '+switch-master':
        this.#switches.inc({ master });
        this.#lastFailover.set(master, this.src.wallNow() / 1000);
        {
          const t = this.#tryAt.get(master);
          if (t !== undefined) {
            this.#duration.observe({ master }, (this.src.now() - t) / 1000);
            this.#tryAt.delete(master);
          }
        }
        break;
      case '+try-failover':
        this.#tryAt.set(master, this.src.now());
        break;
      case '+elected-leader':
        this.#elections.inc({ master, result: 'won' });
        break;
      case '-failover-abort-not-elected':
        this.#elections.inc({ master, result: 'lost' });
        this.#failovers.inc({ master, result: 'abort_not_elected' });
        this.#tryAt.delete(master);
        break;
      case '-failover-abort-no-good-slave':
        this.#failovers.inc({ master, result: 'abort_no_good_replica' });
        this.#tryAt.delete(master);
        break;
      case '-failover-abort-slave-timeout':
        this.#failovers.inc({ master, result: 'abort_replica_timeout' });
        this.#tryAt.delete(master);
        break;
      case '+failover-end':
        this.#failovers.inc({ master, result: 'success' });
        break;
      case '+failover-end-for-timeout':
        this.#failovers.inc({ master, result: 'timeout' });
        break;
      case '+tilt':
        this.#tiltEntered.inc();
        break;
      case '-script-error':
      case '-script-timeout':
        this.#scriptErrors.inc();
        break;
      default:
        break;
    }
  }

  onRewrite(ok: boolean): void {
    this.#rewrites.inc({ result: ok ? 'ok' : 'error' });
    this.#lastRewriteOk = ok ? 1 : 0;
  }

  onCommand(name: string): void {
    this.#commands.inc({ command: name });
  }

  observePing(ri: Instance, seconds: number): void {
    const master = ri.kind === 'master' ? ri.name : ri.master.name;
    this.#ping.observe({ master, role: roleOf(ri) }, seconds);
  }

  #registerGauges(): void {
    const reg = this.registry;
    const src = this.src;
    const gauge = <L extends string>(name: string, help: string, labelNames: L[], fill: (g: Gauge<L>) => void): void => {
      if (reg.getSingleMetric(PREFIX + name) !== undefined) return;
      new Gauge<L>({
        name: PREFIX + name,
        help,
        labelNames,
        registers: [reg],
        collect() {
          this.reset();
          fill(this);
        },
      });
    };
    const ah = (): boolean => src.state().config.announceHostnames;
    gauge('build_info', 'Build metadata', ['version', 'node_version', 'redis_compat'], (g) =>
      g.set({ version: src.version, node_version: process.version, redis_compat: '7.0.15' }, 1),
    );
    gauge('info', 'Identity of this sentinel', ['sentinel_id', 'announce'], (g) => g.set({ sentinel_id: src.state().myid, announce: src.announce() }, 1));
    gauge('current_epoch', 'Current epoch (persisted)', [], (g) => g.set(src.state().currentEpoch));
    gauge('tilt', 'TILT mode (1) or not (0)', [], (g) => g.set(src.state().tilt ? 1 : 0));
    gauge('masters', 'Monitored masters', [], (g) => g.set(src.state().masters.size));
    gauge('master_info', 'Current master address as this sentinel reports it', ['master', 'address'], (g) => {
      for (const m of src.state().masters.values()) {
        const a = currentMasterAddr(m);
        g.set({ master: m.name, address: hostPort(announceHost(a, ah()), a.port) }, 1);
      }
    });
    const perMaster = (name: string, help: string, value: (m: ReturnType<SentinelState['masters']['get']> & object) => number): void =>
      gauge(name, help, ['master'], (g) => {
        for (const m of src.state().masters.values()) g.set({ master: m.name }, value(m));
      });
    perMaster('master_config_epoch', 'Config epoch of the master (increments per failover)', (m) => m.configEpoch);
    perMaster('master_failover_in_progress', 'A failover of this master is in progress here', (m) => (m.failoverInProgress ? 1 : 0));
    perMaster('master_quorum', 'Configured quorum', (m) => m.quorum);
    perMaster('master_quorum_reachable', 'CKQUORUM result: quorum and majority reachable', (m) => {
      const q = checkQuorum(m);
      return q.noQuorum || q.noAuth ? 0 : 1;
    });
    perMaster('master_sentinels', 'Known sentinels including this one', (m) => m.sentinels.size + 1);
    perMaster('master_sentinels_ok', 'Sentinels not down or disconnected, including this one', (m) => {
      let n = 1;
      for (const p of m.sentinels.values()) if (!p.sDown && !p.link.disconnected) n++;
      return n;
    });
    perMaster('master_replicas', 'Known replicas', (m) => m.replicas.size);
    perMaster('master_replicas_ok', 'Replicas that could be promoted now', (m) => {
      let n = 0;
      for (const r of m.replicas.values()) if (isPromotable(r, m, src.now(), src.state().timing) && r.slaveMasterLinkUp) n++;
      return n;
    });
    perMaster('master_down_after_seconds', 'down-after-milliseconds in seconds', (m) => m.downAfter / 1000);
    perMaster('master_failover_timeout_seconds', 'failover-timeout in seconds', (m) => m.failoverTimeout / 1000);
    perMaster('master_parallel_syncs', 'parallel-syncs', (m) => m.parallelSyncs);
    gauge('master_last_failover_timestamp_seconds', 'Wall time of the last +switch-master seen', ['master'], (g) => {
      for (const [master, t] of this.#lastFailover) g.set({ master }, t);
    });
    gauge('master_status', 'Master status as a state set', ['master', 'status'], (g) => {
      for (const m of src.state().masters.values()) {
        const s = m.oDown ? 'odown' : m.sDown ? 'sdown' : 'ok';
        for (const x of ['ok', 'sdown', 'odown']) g.set({ master: m.name, status: x }, x === s ? 1 : 0);
      }
    });
    gauge('master_failover_state', 'Failover state as a state set', ['master', 'state'], (g) => {
      for (const m of src.state().masters.values()) {
        FAILOVER_STATES.forEach((name, i) => g.set({ master: m.name, state: name }, i === m.failoverState ? 1 : 0));
      }
    });
    gauge('instance_up', 'Instance link healthy (not SDOWN)', ['master', 'role', 'address'], (g) => {
      for (const ri of allInstances(src.state())) g.set(labels(ri, ah()), ri.sDown ? 0 : 1);
    });
    gauge('instance_last_ok_ping_age_seconds', 'Seconds since the last valid PING reply', ['master', 'role', 'address'], (g) => {
      const now = src.now();
      for (const ri of allInstances(src.state())) g.set(labels(ri, ah()), (now - ri.link.lastAvailTime) / 1000);
    });
    gauge('replica_link_down_seconds', 'master_link_down_since_seconds as the replica reports it', ['master', 'address'], (g) => {
      for (const m of src.state().masters.values()) {
        for (const r of m.replicas.values()) g.set({ master: m.name, address: hostPort(announceHost(r.addr, ah()), r.addr.port) }, r.masterLinkDownTime / 1000);
      }
    });
    gauge('replica_repl_offset_lag_bytes', 'Master replication offset minus the replica offset (from INFO)', ['master', 'address'], (g) => {
      for (const m of src.state().masters.values()) {
        const mo = m.info === null ? null : parseInfo(m.info).masterReplOffset;
        if (mo === null) continue;
        for (const r of m.replicas.values()) {
          g.set({ master: m.name, address: hostPort(announceHost(r.addr, ah()), r.addr.port) }, Math.max(0, mo - r.slaveReplOffset));
        }
      }
    });
    gauge('config_last_rewrite_success', 'Whether the last sentinel.conf rewrite succeeded', [], (g) => g.set(this.#lastRewriteOk));
    gauge('connected_clients', 'Connected clients', [], (g) => g.set(src.clients().connected));
    gauge('pubsub_subscriptions', 'Channels plus patterns subscribed by clients', [], (g) => g.set(src.clients().subscriptions));
    gauge('scripts_running', 'Scripts running', [], (g) => g.set(src.scripts().running));
    gauge('scripts_queue_length', 'Scripts queued (running included)', [], (g) => g.set(src.scripts().queued));
  }
}

function roleOf(ri: Instance): string {
  return ri.kind === 'slave' ? 'replica' : ri.kind;
}

function labels(ri: Instance, ah: boolean): { master: string; role: string; address: string } {
  const master = ri.kind === 'master' ? ri.name : ri.master.name;
  return { master, role: roleOf(ri), address: hostPort(announceHost(ri.addr, ah), ri.addr.port) };
}

function* allInstances(st: SentinelState): Iterable<Instance> {
  for (const m of st.masters.values()) {
    yield m;
    yield* m.replicas.values();
    yield* m.sentinels.values();
  }
}
