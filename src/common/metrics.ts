/**
 * Metrics registry factory (prom-client). One registry per process — or per test — and never prom-client's
 * global default, so two daemons in one process (tests, `tsentinel up`) cannot collide.
 *
 * Node's default metrics (`process_*`, `nodejs_*`, including `nodejs_eventloop_lag_*`, the TS analogue of the
 * stalls that trigger Sentinel's TILT) are registered without a prefix so stock dashboards work. The `prefix`
 * applies to the daemon's own metrics made through `counter`/`gauge`/`histogram`, which are idempotent: asking
 * twice for the same name returns the same metric (asking with another type is a programming error).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsOptions {
  /** Register Node's default process metrics (default true). */
  readonly defaultMetrics?: boolean;
  /** Prefix for the daemon's own metrics, e.g. `tsentinel_` (default none). */
  readonly prefix?: string;
  /** Labels added to every metric of this registry (e.g. `{ instance_role: 'sentinel' }`). */
  readonly defaultLabels?: Readonly<Record<string, string>>;
}

interface MetricConfig<L extends string> {
  /** Name without the registry prefix. */
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly L[];
}

type Kind = 'counter' | 'gauge' | 'histogram';

export class MetricsRegistry extends Registry {
  readonly prefix: string;
  readonly #kinds = new Map<string, Kind>();

  constructor(prefix = '') {
    super();
    this.prefix = prefix;
  }

  counter<L extends string = string>(cfg: MetricConfig<L>): Counter<L> {
    return this.#get('counter', cfg, (name) => new Counter<L>({ ...this.#base(cfg, name) }));
  }

  gauge<L extends string = string>(cfg: MetricConfig<L>): Gauge<L> {
    return this.#get('gauge', cfg, (name) => new Gauge<L>({ ...this.#base(cfg, name) }));
  }

  histogram<L extends string = string>(cfg: MetricConfig<L> & { readonly buckets?: readonly number[] }): Histogram<L> {
    return this.#get('histogram', cfg, (name) =>
      new Histogram<L>({ ...this.#base(cfg, name), ...(cfg.buckets !== undefined ? { buckets: [...cfg.buckets] } : {}) }),
    );
  }

  #base<L extends string>(cfg: MetricConfig<L>, name: string) {
    return { name, help: cfg.help, labelNames: [...(cfg.labelNames ?? [])], registers: [this] };
  }

  #get<M>(kind: Kind, cfg: { readonly name: string }, make: (fullName: string) => M): M {
    const name = this.prefix + cfg.name;
    const existing = this.getSingleMetric(name);
    if (existing !== undefined) {
      const had = this.#kinds.get(name);
      if (had !== kind) throw new Error(`metric ${name} is already registered as a ${had ?? 'different metric'}`);
      return existing as M;
    }
    this.#kinds.set(name, kind);
    return make(name);
  }
}

export function createMetricsRegistry(opts: MetricsOptions = {}): MetricsRegistry {
  const registry = new MetricsRegistry(opts.prefix ?? '');
  if (opts.defaultLabels !== undefined) registry.setDefaultLabels({ ...opts.defaultLabels });
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
