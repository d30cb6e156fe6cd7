import { register as globalRegistry, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../../src/common/metrics.js';

describe('createMetricsRegistry', () => {
  it('is a prom-client Registry, never the global default', async () => {
    const before = (await globalRegistry.getMetricsAsJSON()).length;
    const r = createMetricsRegistry({ defaultMetrics: true });
    expect(r).toBeInstanceOf(Registry);
    expect(r).not.toBe(globalRegistry);
    expect((await globalRegistry.getMetricsAsJSON()).length).toBe(before);
  });

  it('exposes Node default metrics without a prefix, even when the registry has one', async () => {
    const r = createMetricsRegistry({ defaultMetrics: true, prefix: 'tsentinel_' });
    const text = await r.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).not.toContain('tsentinel_process_');
  });

  it('can leave default metrics out', async () => {
    const r = createMetricsRegistry({ defaultMetrics: false });
    expect(await r.metrics()).toBe('\n');
  });

  it('prefixes its own metrics and keeps registries independent', async () => {
    const a = createMetricsRegistry({ defaultMetrics: false, prefix: 'tsentinel_' });
    const b = createMetricsRegistry({ defaultMetrics: false, prefix: 'tsentinel_' });
    a.counter({ name: 'config_rewrite_fallback_total', help: 'In-place config writes after EBUSY/EXDEV' }).inc();
    b.counter({ name: 'config_rewrite_fallback_total', help: 'In-place config writes after EBUSY/EXDEV' }).inc(5);
    expect(await a.metrics()).toContain('tsentinel_config_rewrite_fallback_total 1');
    expect(await b.metrics()).toContain('tsentinel_config_rewrite_fallback_total 5');
  });

  it('returns the same metric when asked twice, and refuses a type change', () => {
    const r = createMetricsRegistry({ defaultMetrics: false });
    const g1 = r.gauge({ name: 'masters', help: 'Monitored masters', labelNames: ['state'] });
    const g2 = r.gauge({ name: 'masters', help: 'Monitored masters', labelNames: ['state'] });
    expect(g2).toBe(g1);
    expect(() => r.counter({ name: 'masters', help: 'x' })).toThrow(/already registered as a gauge/);
  });

  it('supports labelled counters, histograms with buckets and default labels', async () => {
    const r = createMetricsRegistry({ defaultMetrics: false, prefix: 'tredis_', defaultLabels: { role: 'master' } });
    r.counter({ name: 'commands_total', help: 'Commands', labelNames: ['cmd'] }).inc({ cmd: 'get' }, 2);
    r.histogram({ name: 'rewrite_seconds', help: 'Rewrite latency', buckets: [0.01, 0.1] }).observe(0.05);
    const text = await r.metrics();
    expect(text).toContain('tredis_commands_total{cmd="get",role="master"} 2');
    expect(text).toContain('tredis_rewrite_seconds_bucket{le="0.1",role="master"} 1');
    expect(text).toContain('tredis_rewrite_seconds_bucket{le="0.01",role="master"} 0');
  });
});
