/**
 * The HTTP admin listener with real HTTP requests over loopback: /metrics (validated by promtool when installed),
 * /healthz, /readyz, errors, and a clean close.
 */
import { request } from 'node:http';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpsHttp, type OpsHttpHandle, type Readiness } from '../../src/ops/http.js';
import { promtoolCheck } from '../helpers/promtool.js';

interface Reply {
  status: number;
  type: string | undefined;
  body: string;
}

function get(port: number, path: string, method = 'GET', agent?: import('node:http').Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ops HTTP listener', () => {
  const handles: OpsHttpHandle[] = [];
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
  });

  async function start(ready: () => Readiness | Promise<Readiness>, registry = new Registry(), readyTimeoutMs?: number) {
    const h = await startOpsHttp({ port: 0, registry, ready, ...(readyTimeoutMs !== undefined ? { readyTimeoutMs } : {}) });
    handles.push(h);
    return h;
  }

  it('serves /metrics from the registry passed in, default Node metrics included', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    const g = new Gauge({ name: 'tsentinel_masters', help: 'monitored masters', registers: [registry] });
    g.set(3);
    const h = await start(() => ({ ok: true, reasons: [] }), registry);
    const r = await get(h.port, '/metrics');
    expect(r.status).toBe(200);
    expect(r.type).toBe(registry.contentType);
    expect(r.body).toMatch(/^tsentinel_masters 3$/m);
    expect(r.body).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(r.body).toMatch(/^process_resident_memory_bytes /m);
    const lint = promtoolCheck(r.body, '/metrics exposition');
    if (lint !== null) {
      expect(lint.problems).toEqual([]);
      expect([0, 3]).toContain(lint.status);
    }
  });

  it('/healthz is 200 even when not ready; /readyz reports readiness with reasons', async () => {
    let state: Readiness = { ok: false, reasons: ['master mymaster: address not confirmed yet'] };
    const h = await start(() => state);
    expect(await get(h.port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n' });
    expect(await get(h.port, '/readyz')).toMatchObject({ status: 503, body: 'not ready\n- master mymaster: address not confirmed yet\n' });
    state = { ok: true, reasons: [] };
    expect(await get(h.port, '/readyz')).toMatchObject({ status: 200, body: 'ready\n' });
    const j = await get(h.port, '/readyz?json');
    expect(j.type).toBe('application/json');
    expect(JSON.parse(j.body)).toEqual({ ok: true, reasons: [] });
  });

  it('a failing or hanging readiness check is "not ready", never a hung probe', async () => {
    const h = await start(() => Promise.reject(new Error('config not loaded')));
    expect(await get(h.port, '/readyz')).toMatchObject({ status: 503, body: 'not ready\n- config not loaded\n' });
    const h2 = await start(() => new Promise<Readiness>(() => undefined), new Registry(), 100);
    const t0 = Date.now();
    expect(await get(h2.port, '/readyz')).toMatchObject({ status: 503, body: 'not ready\n- readiness check took longer than 100 ms\n' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('HEAD works, unknown paths are 404, other methods 405', async () => {
    const h = await start(() => ({ ok: true, reasons: [] }));
    expect(await get(h.port, '/healthz', 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect((await get(h.port, '/nope')).status).toBe(404);
    expect((await get(h.port, '/metrics', 'POST')).status).toBe(405);
  });

  it('names the address when the port is taken', async () => {
    const h = await start(() => ({ ok: true, reasons: [] }));
    await expect(startOpsHttp({ port: h.port, registry: new Registry(), ready: () => ({ ok: true, reasons: [] }) })).rejects.toThrow(
      `cannot listen for metrics on 127.0.0.1:${h.port}: EADDRINUSE`,
    );
  });

  it('close() frees the port promptly even with a keep-alive connection open', async () => {
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true });
    const h = await startOpsHttp({ port: 0, registry: new Registry(), ready: () => ({ ok: true, reasons: [] }) });
    expect((await get(h.port, '/healthz', 'GET', agent)).status).toBe(200);
    const t0 = Date.now();
    await h.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    await expect(get(h.port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
  });
});
