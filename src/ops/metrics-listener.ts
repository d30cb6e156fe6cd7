/**
 * The `metrics-port` / `metrics-bind` directives (and `--metrics-port` / `--metrics-bind` flags, which redis-style
 * argv turns into the same config lines) for both daemons, and the one call a composition root makes to honour
 * them. The listener is off by default (`metrics-port 0`), like every Redis listener that exposes internals.
 *
 * A daemon adds `metrics: { ...METRICS_LISTENER_DEFAULTS }` to its plain-data config object, spreads
 * `metricsListenerDirectives<C>((c) => c.metrics)` into its directive table, and after start-up calls
 * `startConfiguredOpsHttp(config.metrics, registry, ready)`.
 */
import type { Registry } from 'prom-client';
import { intDirective, stringDirective, type DirectiveSpec } from '../common/config/index.js';
import { startOpsHttp, type OpsHttpHandle, type Readiness } from './http.js';

export interface MetricsListenerSettings {
  /** 0 = no listener. */
  port: number;
  bind: string;
}

export const METRICS_LISTENER_DEFAULTS: Readonly<MetricsListenerSettings> = { port: 0, bind: '127.0.0.1' };

export function metricsListenerDirectives<C>(at: (cfg: C) => MetricsListenerSettings): DirectiveSpec<C>[] {
  return [
    intDirective<C>({
      name: 'metrics-port',
      min: 0,
      max: 65535,
      default: METRICS_LISTENER_DEFAULTS.port,
      read: (c) => at(c).port,
      write: (c, v) => void (at(c).port = v),
    }),
    stringDirective<C>({
      name: 'metrics-bind',
      default: METRICS_LISTENER_DEFAULTS.bind,
      read: (c) => at(c).bind,
      write: (c, v) => void (at(c).bind = v ?? METRICS_LISTENER_DEFAULTS.bind),
      validate: (v) => (v === null || v === '' ? 'metrics-bind needs an address' : undefined),
    }),
  ];
}

/** Start the listener when configured; undefined when `metrics-port` is 0. Rejects if the port cannot be bound. */
export async function startConfiguredOpsHttp(
  settings: MetricsListenerSettings,
  registry: Registry,
  ready: () => Readiness | Promise<Readiness>,
  onError?: (err: unknown) => void,
): Promise<OpsHttpHandle | undefined> {
  if (settings.port === 0) return undefined;
  return startOpsHttp({ port: settings.port, host: settings.bind, registry, ready, ...(onError !== undefined ? { onError } : {}) });
}
