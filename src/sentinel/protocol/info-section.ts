/**
 * The `# Sentinel` INFO section (sentinel.c sentinelInfoCommand), byte-compatible: exporters and operators parse it
 * with string matching.
 */
import type { SentinelState } from '../core/model.js';
import { announceHost } from './addr.js';

export interface ScriptCounts {
  readonly running: number;
  readonly queued: number;
}

export function sentinelInfoSection(st: SentinelState, now: number, scripts: ScriptCounts): string {
  const lines = [
    '# Sentinel',
    `sentinel_masters:${st.masters.size}`,
    `sentinel_tilt:${st.tilt ? 1 : 0}`,
    `sentinel_tilt_since_seconds:${st.tilt ? Math.trunc((now - st.tiltStartTime) / 1000) : -1}`,
    `sentinel_running_scripts:${scripts.running}`,
    `sentinel_scripts_queue_length:${scripts.queued}`,
    `sentinel_simulate_failure_flags:${st.simFailureFlags}`,
  ];
  let i = 0;
  for (const m of st.masters.values()) {
    const status = m.oDown ? 'odown' : m.sDown ? 'sdown' : 'ok';
    const host = announceHost(m.addr, st.config.announceHostnames);
    lines.push(
      `master${i++}:name=${m.name},status=${status},address=${host}:${m.addr.port},slaves=${m.replicas.size},sentinels=${m.sentinels.size + 1}`,
    );
  }
  return lines.join('\r\n') + '\r\n';
}
