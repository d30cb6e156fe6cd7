/**
 * /readyz for a running tsentinel, decided from the core's state with the same rules as `tsentinel probe
 * readiness` (src/ops/probe.ts sentinelReadiness), so the HTTP probe and the exec probe can never disagree:
 * at least one master; each master's current address confirmed (runid known from an INFO reply); CKQUORUM's
 * quorum and majority both reachable. Plus the daemon-side facts only it knows: config loaded, RESP listener up.
 */
import type { Registry } from 'prom-client';
import { checkQuorum } from '../sentinel/core/admin.js';
import { currentMasterAddr } from '../sentinel/core/instances.js';
import type { SentinelState } from '../sentinel/core/model.js';
import { SENTINEL_ERR } from '../sentinel/protocol/error-text.js';
import type { Readiness } from './http.js';
import { startConfiguredOpsHttp, type MetricsListenerSettings } from './metrics-listener.js';
import { sentinelReadiness, type MasterProbeInput } from './probe.js';
import { quorumCheckOf } from './status-model.js';

export function sentinelStateReadiness(state: SentinelState, listening: boolean): Readiness {
  if (!listening) return { ok: false, reasons: ['RESP listener not up'] };
  const inputs: MasterProbeInput[] = [...state.masters.values()].map((m) => {
    const addr = currentMasterAddr(m);
    const q = checkQuorum(m);
    const text = !q.noQuorum && !q.noAuth ? SENTINEL_ERR.ckquorumOk(q.usable) : SENTINEL_ERR.noQuorum(q.usable, q.noQuorum, q.noAuth);
    // The promoted replica is "confirmed" by the failover itself; otherwise the master's runid says we reached it.
    const confirmed = addr !== m.addr || (m.runid !== null && m.runid !== '');
    return {
      record: { name: m.name, ip: addr.host, port: String(addr.port), runid: confirmed ? (m.runid ?? 'promoted') : '', flags: m.link.disconnected ? 'master,disconnected' : 'master' },
      quorum: q.noQuorum || q.noAuth ? quorumCheckOf(undefined, new Error(text)) : quorumCheckOf(text),
    };
  });
  const r = sentinelReadiness(inputs);
  return { ok: r.ok, reasons: [r.reason] };
}

/** What the bin needs from a started sentinel to serve /metrics, /healthz and /readyz. */
export interface SentinelForHttp {
  readonly port: number;
  readonly registry: Registry;
  readonly core: { readonly state: SentinelState };
  readonly config: { readonly metrics: MetricsListenerSettings };
}

/** Start the HTTP listener `metrics-port` asks for (none when 0). */
export function startSentinelOpsHttp(s: SentinelForHttp, onError?: (err: unknown) => void) {
  return startConfiguredOpsHttp(s.config.metrics, s.registry, () => sentinelStateReadiness(s.core.state, s.port > 0), onError);
}
