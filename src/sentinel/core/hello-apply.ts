/**
 * Processing a hello (sentinel.c sentinelProcessHelloMessage): sentinel discovery with address-switch and
 * invalid-address handling, epoch gossip, and config propagation — the only way observers learn the result of a
 * failover ("last failover wins"). Not gated by TILT, like the reference.
 */
import { addrMatchesHost } from '../protocol/addr.js';
import { formatSwitchMaster } from '../protocol/event-format.js';
import { parseHello } from '../protocol/hello.js';
import type { Ctx } from './context.js';
import { reconfigScriptArgs } from './info-apply.js';
import {
  createPeer,
  findPeer,
  makeInstanceAddr,
  removePeersByRunid,
  resetMasterAndChangeAddress,
  tryConnectionSharing,
  updatePeerAddressInAllMasters,
} from './instances.js';
import type { Peer } from './model.js';

/** `fromPubSub`: received on a node's pub/sub link, where our own hellos come back and are skipped. */
export function processHello(ctx: Ctx, payload: string, fromPubSub: boolean): void {
  const st = ctx.state;
  if (fromPubSub && payload.includes(st.myid)) return;
  const parsed = parseHello(payload);
  if (!parsed.ok) {
    ctx.log('debug', `Ignoring malformed hello: ${parsed.reason}`, { payload: payload.slice(0, 200) });
    return;
  }
  const h = parsed.hello;
  const m = st.masters.get(h.masterName);
  if (m === undefined) return;

  const addr = makeInstanceAddr(st, h.ip, h.port);
  let si: Peer | null = typeof addr === 'string' ? null : findPeer(m, addr.ip, addr.port, h.runid);
  if (si === null && typeof addr !== 'string') {
    const removed = removePeersByRunid(ctx, m, h.runid);
    if (removed > 0) {
      ctx.instanceEvent('+sentinel-address-switch', m, ` ip ${h.ip} port ${h.port} for ${h.runid}`);
    } else {
      // Someone else now answers at this address: the old record (e.g. a sentinel restarted with a new id) is invalid.
      const other = findPeer(m, addr.ip, addr.port, null);
      if (other !== null) {
        ctx.instanceEvent('+sentinel-invalid-addr', other);
        other.addr = { ...other.addr, port: 0 };
        updatePeerAddressInAllMasters(ctx, other);
      }
    }
    const created = createPeer(st, m, h.runid, addr, ctx.now);
    if (typeof created !== 'string') {
      si = created;
      if (removed === 0) ctx.instanceEvent('+sentinel', si);
      tryConnectionSharing(ctx, si);
      if (removed > 0) updatePeerAddressInAllMasters(ctx, si);
      ctx.persist('new sentinel');
    }
  }

  if (h.currentEpoch > st.currentEpoch) {
    st.currentEpoch = h.currentEpoch;
    ctx.persist('new epoch from a hello');
    ctx.plainEvent('+new-epoch', String(st.currentEpoch), m);
  }

  if (si !== null && m.configEpoch < h.masterConfigEpoch) {
    m.configEpoch = h.masterConfigEpoch;
    const resolved = st.dns.get(h.masterIp.toLowerCase()) ?? null;
    if (h.masterPort !== m.addr.port || !addrMatchesHost(m.addr, h.masterIp, resolved)) {
      const newAddr = makeInstanceAddr(st, h.masterIp, h.masterPort);
      const ah = st.config.announceHostnames;
      ctx.instanceEvent('+config-update-from', si);
      ctx.plainEvent('+switch-master', formatSwitchMaster(m.name, ah ? m.addr.host : m.addr.ip, m.addr.port, h.masterIp, h.masterPort), m);
      if (typeof newAddr !== 'string') {
        const old = m.addr;
        resetMasterAndChangeAddress(ctx, m, newAddr);
        if (m.clientReconfigScript !== null) {
          ctx.script(m.clientReconfigScript, reconfigScriptArgs(ctx, m, 'observer', old, m.addr));
        }
      }
    }
  }
  if (si !== null) si.lastHelloTime = ctx.now;
}
