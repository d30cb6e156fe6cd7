/**
 * SENTINEL MASTER/MASTERS/REPLICAS/SENTINELS entries (sentinel.c addReplySentinelRedisInstance): field/value pairs
 * in the reference's exact order, every value a string (the reply sends numbers as bulk strings). The server writes
 * them as a RESP3 map or a flat RESP2 array.
 */
import { FailoverState, type Instance } from '../core/model.js';
import { announceHost } from './addr.js';
import { FAILOVER_STATES, type FlagName } from './wire-names.js';

export function instanceFlags(ri: Instance): string {
  const f: FlagName[] = [];
  if (ri.sDown) f.push('s_down');
  if (ri.kind === 'master' && ri.oDown) f.push('o_down');
  if (ri.kind === 'master') f.push('master');
  if (ri.kind === 'slave') f.push('slave');
  if (ri.kind === 'sentinel') f.push('sentinel');
  if (ri.link.disconnected) f.push('disconnected');
  if (ri.kind === 'sentinel' && ri.masterDown) f.push('master_down');
  if (ri.kind === 'master' && ri.failoverInProgress) f.push('failover_in_progress');
  if (ri.kind === 'slave') {
    if (ri.promoted) f.push('promoted');
    if (ri.reconfSent) f.push('reconf_sent');
    if (ri.reconfInprog) f.push('reconf_inprog');
    if (ri.reconfDone) f.push('reconf_done');
  }
  if (ri.kind === 'master' && ri.forceFailover) f.push('force_failover');
  if (ri.scriptKillSent) f.push('script_kill_sent');
  return f.join(',');
}

export function failoverStateName(s: FailoverState): string {
  return FAILOVER_STATES[s] ?? 'unknown';
}

/** Milliseconds as the reference prints them (mstime differences are integers; our clock may have fractions). */
const ms = (x: number): string => String(Math.trunc(x));

export function instanceFields(ri: Instance, now: number, announceHostnames: boolean): [string, string][] {
  const link = ri.link;
  const out: [string, string][] = [
    ['name', ri.name],
    ['ip', announceHost(ri.addr, announceHostnames)],
    ['port', String(ri.addr.port)],
    ['runid', ri.runid ?? ''],
    ['flags', instanceFlags(ri)],
    ['link-pending-commands', String(link.pendingCommands)],
    ['link-refcount', String(link.refcount)],
  ];
  if (ri.kind === 'master' && ri.failoverInProgress) out.push(['failover-state', failoverStateName(ri.failoverState)]);
  out.push(
    ['last-ping-sent', ms(link.actPingTime !== 0 ? now - link.actPingTime : 0)],
    ['last-ok-ping-reply', ms(now - link.lastAvailTime)],
    ['last-ping-reply', ms(now - link.lastPongTime)],
  );
  if (ri.sDown) out.push(['s-down-time', ms(now - ri.sDownSince)]);
  if (ri.kind === 'master' && ri.oDown) out.push(['o-down-time', ms(now - ri.oDownSince)]);
  out.push(['down-after-milliseconds', String(ri.downAfter)]);
  if (ri.kind !== 'sentinel') {
    out.push(
      ['info-refresh', ms(ri.infoRefresh !== 0 ? now - ri.infoRefresh : 0)],
      ['role-reported', ri.roleReported === 'master' ? 'master' : 'slave'],
      ['role-reported-time', ms(now - ri.roleReportedTime)],
    );
  }
  if (ri.kind === 'master') {
    out.push(
      ['config-epoch', String(ri.configEpoch)],
      ['num-slaves', String(ri.replicas.size)],
      ['num-other-sentinels', String(ri.sentinels.size)],
      ['quorum', String(ri.quorum)],
      ['failover-timeout', String(ri.failoverTimeout)],
      ['parallel-syncs', String(ri.parallelSyncs)],
    );
    if (ri.notificationScript !== null) out.push(['notification-script', ri.notificationScript]);
    if (ri.clientReconfigScript !== null) out.push(['client-reconfig-script', ri.clientReconfigScript]);
  } else if (ri.kind === 'slave') {
    out.push(
      ['master-link-down-time', ms(ri.masterLinkDownTime)],
      ['master-link-status', ri.slaveMasterLinkUp ? 'ok' : 'err'],
      ['master-host', ri.slaveMasterHost ?? '?'],
      ['master-port', String(ri.slaveMasterPort)],
      ['slave-priority', String(ri.slavePriority)],
      ['slave-repl-offset', String(ri.slaveReplOffset)],
      ['replica-announced', ri.replicaAnnounced ? '1' : '0'],
    );
  } else {
    out.push(
      ['last-hello-message', ms(now - ri.lastHelloTime)],
      ['voted-leader', ri.leader ?? '?'],
      ['voted-leader-epoch', String(ri.leaderEpoch)],
    );
  }
  return out;
}
