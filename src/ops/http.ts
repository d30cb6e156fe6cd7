/**
 * The daemons' HTTP admin listener (off unless `metrics-port` is set): `/metrics` for Prometheus, `/healthz` and
 * `/readyz` for orchestrators. Separate from the RESP port so a scrape or a probe never competes with clients, and
 * so the RESP port can stay firewalled.
 *
 * - `GET /metrics`: the prom-client registry passed in (default Node metrics plus the daemon's own), in the
 *   registry's content type.
 * - `GET /healthz`: 200 whenever the process can answer at all. It never looks at masters or replication: a
 *   liveness probe that fails when a master is down restarts healthy sentinels exactly when they are needed.
 * - `GET /readyz`: the daemon's readiness callback (for tsentinel: config loaded, RESP listener up, every master
 *   known — see src/ops/probe.ts for the shared semantics); 200 when ready, 503 with the reasons otherwise.
 *
 * Answers are small text bodies; `?json` on /healthz and /readyz returns `{ ok, reasons }`. HEAD is accepted.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { TsentinelError } from '../common/errors.js';

export interface Readiness {
  ok: boolean;
  /** Why not ready (or what was checked); one short line each. */
  reasons: readonly string[];
}

export interface OpsHttpOptions {
  /** TCP port; 0 picks a free one (read it back from the handle). */
  port: number;
  /** Address to bind; default 127.0.0.1 — exposing metrics is a decision, not a default. */
  host?: string;
  registry: Registry;
  /** Readiness callback; a throw or rejection counts as not ready. */
  ready: () => Readiness | Promise<Readiness>;
  /** Upper bound on one readiness evaluation, so a stuck check cannot hang the probe (default 2000 ms). */
  readyTimeoutMs?: number;
  /** Called with errors the listener handled (a failed scrape); the daemon logs them. */
  onError?: (err: unknown) => void;
}

export interface OpsHttpHandle {
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

export class OpsHttpError extends TsentinelError {}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json';

function send(res: ServerResponse, head: boolean, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`readiness check took longer than ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}

function health(res: ServerResponse, head: boolean, json: boolean, r: Readiness, okText: string, failText: string): void {
  const status = r.ok ? 200 : 503;
  if (json) return send(res, head, status, JSON_TYPE, `${JSON.stringify({ ok: r.ok, reasons: r.reasons })}\n`);
  const lines = [r.ok ? okText : failText, ...r.reasons.map((x) => `- ${x}`)];
  send(res, head, status, TEXT, `${lines.join('\n')}\n`);
}

async function handle(req: IncomingMessage, res: ServerResponse, opts: OpsHttpOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, head, 405, TEXT, 'method not allowed\n');
  }
  const json = url.searchParams.has('json');
  switch (url.pathname) {
    case '/metrics': {
      try {
        const body = await opts.registry.metrics();
        return send(res, head, 200, opts.registry.contentType, body);
      } catch (e) {
        opts.onError?.(e);
        return send(res, head, 500, TEXT, `metrics collection failed: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    case '/healthz':
      return health(res, head, json, { ok: true, reasons: [] }, 'ok', 'not ok');
    case '/readyz': {
      let r: Readiness;
      try {
        r = await withTimeout(Promise.resolve().then(opts.ready), opts.readyTimeoutMs ?? 2000);
      } catch (e) {
        r = { ok: false, reasons: [e instanceof Error ? e.message : String(e)] };
      }
      return health(res, head, json, r, 'ready', 'not ready');
    }
    case '/':
      return send(res, head, 200, TEXT, 'tsentinel admin endpoints: /metrics /healthz /readyz\n');
    default:
      return send(res, head, 404, TEXT, 'not found\n');
  }
}

/** Start listening; rejects with an OpsHttpError naming the address when the port cannot be bound. */
export async function startOpsHttp(opts: OpsHttpOptions): Promise<OpsHttpHandle> {
  const host = opts.host ?? '127.0.0.1';
  const server: Server = createServer((req, res) => {
    handle(req, res, opts).catch((e: unknown) => {
      opts.onError?.(e);
      if (!res.headersSent) send(res, false, 500, TEXT, 'internal error\n');
      else res.destroy();
    });
  });
  // Scrapers and probes open short connections; do not let idle keep-alive sockets hold close() up.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      reject(new OpsHttpError('EHTTPLISTEN', `cannot listen for metrics on ${host}:${opts.port}: ${e.code ?? e.message}`, { cause: e }));
    };
    server.once('error', onError);
    server.listen(opts.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (e) => opts.onError?.(e));
  const addr = server.address() as AddressInfo;
  return {
    port: addr.port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
