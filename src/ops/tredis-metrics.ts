/**
 * tredis_* metrics (clients-and-ops.md §2.4: role, connected replicas, link up, offsets, commands, keys), read
 * from the node's own INFO text at scrape time. INFO is the node's single source of truth — the same text sentinels,
 * ioredis and redis_exporter parse — so the metrics cannot drift from it, and the collector needs nothing from the
 * node's internals but a function returning `INFO all`. (It works as well over real redis-server's INFO.)
 *
 * One INFO call serves a whole scrape: every metric's collect() shares a snapshot for a short window.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Readiness } from './http.js';
import { startConfiguredOpsHttp, type MetricsListenerSettings } from './metrics-listener.js';
import { nodeReadiness } from './probe.js';
import { parseInfo } from './sentinel-replies.js';

/** Returns the node's `INFO all` text. */
export type InfoSource = () => string | Promise<string>;

const SNAPSHOT_MS = 250;

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** `k1=v1,k2=v2` (INFO keyspace and commandstats values). */
function fields(v: string): Map<string, string> {
  return new Map(v.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
}

export function registerNodeMetrics(registry: Registry, info: InfoSource, prefix = 'tredis_'): void {
  // The promise is shared, not the result: prom-client runs every collect() of a scrape concurrently.
  let cached: { at: number; info: Promise<Map<string, string>> } | undefined;
  const snapshot = (): Promise<Map<string, string>> => {
    const now = performance.now();
    if (cached === undefined || now - cached.at > SNAPSHOT_MS) {
      cached = { at: now, info: Promise.resolve().then(info).then(parseInfo) };
    }
    return cached.info;
  };
  const r = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: L[], fill: (g: Gauge<L>, i: Map<string, string>) => void): void => {
    new Gauge<L>({
      name: prefix + name,
      help,
      labelNames,
      registers: r,
      async collect() {
        const i = await snapshot();
        this.reset();
        fill(this, i);
      },
    });
  };

  gauge('role_info', 'Replication role: 1 for the current role (master or replica)', ['role'], (g, i) => {
    const role = i.get('role');
    g.set({ role: 'master' }, role === 'master' ? 1 : 0);
    g.set({ role: 'replica' }, role === 'slave' ? 1 : 0);
  });
  gauge('connected_replicas', 'Replicas connected to this node (INFO connected_slaves)', [], (g, i) => {
    const v = num(i.get('connected_slaves'));
    if (v !== undefined) g.set(v);
  });
  // Replica-only series carry the master's address: a label-less gauge would read 0 on a master (prom-client
  // always exports one), and a master is not a replica whose link is down.
  const masterOf = (i: Map<string, string>): string => `${i.get('master_host') ?? ''}:${i.get('master_port') ?? ''}`;
  gauge('master_link_up', 'On a replica: 1 when the link to its master is up (INFO master_link_status)', ['master'], (g, i) => {
    if (i.get('role') === 'slave') g.set({ master: masterOf(i) }, i.get('master_link_status') === 'up' ? 1 : 0);
  });
  gauge('master_sync_in_progress', 'On a replica: 1 during a full synchronisation', ['master'], (g, i) => {
    if (i.get('role') === 'slave') g.set({ master: masterOf(i) }, i.get('master_sync_in_progress') === '1' ? 1 : 0);
  });
  gauge('repl_offset_bytes', 'Replication offset of this node (INFO master_repl_offset)', [], (g, i) => {
    const v = num(i.get('master_repl_offset'));
    if (v !== undefined) g.set(v);
  });
  gauge('keys', 'Keys per database (INFO keyspace)', ['db'], (g, i) => {
    for (const [k, v] of i) if (/^db\d+$/.test(k)) g.set({ db: k.slice(2) }, num(fields(v).get('keys')) ?? 0);
  });
  gauge('expiring_keys', 'Keys with a time to live, per database (INFO keyspace)', ['db'], (g, i) => {
    for (const [k, v] of i) if (/^db\d+$/.test(k)) g.set({ db: k.slice(2) }, num(fields(v).get('expires')) ?? 0);
  });
  gauge('connected_clients', 'Client connections (INFO connected_clients)', [], (g, i) => {
    const v = num(i.get('connected_clients'));
    if (v !== undefined) g.set(v);
  });
  gauge('memory_used_bytes', 'Memory the node accounts for its data (INFO used_memory)', [], (g, i) => {
    const v = num(i.get('used_memory'));
    if (v !== undefined) g.set(v);
  });
  gauge('loading', '1 while the dataset is being loaded', [], (g, i) => {
    g.set(i.get('loading') === '1' ? 1 : 0);
  });

  // A counter whose value comes from INFO: reset and re-add at each scrape, so it equals the node's own count
  // (which only restarts with the process, as a Prometheus counter may).
  new Counter<'command'>({
    name: `${prefix}commands_total`,
    help: 'Commands processed, by command (INFO commandstats calls)',
    labelNames: ['command'],
    registers: r,
    async collect() {
      const i = await snapshot();
      this.reset();
      for (const [k, v] of i) {
        if (!k.startsWith('cmdstat_')) continue;
        const calls = num(fields(v).get('calls'));
        if (calls !== undefined && calls > 0) this.inc({ command: k.slice('cmdstat_'.length) }, calls);
      }
    },
  });
}

/** /readyz for a data node: the probe's node rules over the same INFO. */
export async function nodeInfoReadiness(info: InfoSource): Promise<Readiness> {
  const r = nodeReadiness(await info());
  return { ok: r.ok, reasons: [r.reason] };
}

/** Start the HTTP listener `metrics-port` asks for on a node (none when 0), with tredis_* metrics registered. */
export function startNodeOpsHttp(settings: MetricsListenerSettings, registry: Registry, info: InfoSource, onError?: (err: unknown) => void) {
  registerNodeMetrics(registry, info);
  return startConfiguredOpsHttp(settings, registry, () => nodeInfoReadiness(info), onError);
}
