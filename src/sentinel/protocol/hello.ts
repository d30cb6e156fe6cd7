/**
 * The hello message sentinels publish on `__sentinel__:hello` (sentinelSendHello / sentinelProcessHelloMessage):
 * `<ip>,<port>,<runid>,<current_epoch>,<master_name>,<master_ip>,<master_port>,<master_config_epoch>`.
 * The reference accepts any message that splits into exactly 8 comma-separated tokens and converts the numbers
 * with atoi/strtoull; we additionally reject tokens that could not have come from a sentinel (bad port, runid not
 * 40 characters, non-numeric epochs), because a garbage hello must never create a sentinel record or switch a master.
 */
import { atoi, strtoull } from './addr.js';

export interface Hello {
  readonly ip: string;
  readonly port: number;
  readonly runid: string;
  readonly currentEpoch: number;
  readonly masterName: string;
  readonly masterIp: string;
  readonly masterPort: number;
  readonly masterConfigEpoch: number;
}

export type HelloParse = { readonly ok: true; readonly hello: Hello } | { readonly ok: false; readonly reason: string };

const NUM = /^\d+$/;

export function parseHello(payload: string): HelloParse {
  const t = payload.split(',');
  if (t.length !== 8) return { ok: false, reason: `expected 8 tokens, got ${t.length}` };
  const [ip, port, runid, epoch, name, mip, mport, mepoch] = t as [string, string, string, string, string, string, string, string];
  if (ip.length === 0 || mip.length === 0) return { ok: false, reason: 'empty address' };
  if (!NUM.test(port) || !NUM.test(mport)) return { ok: false, reason: 'port is not a number' };
  const p = atoi(port);
  const mp = atoi(mport);
  if (p <= 0 || p > 65535 || mp <= 0 || mp > 65535) return { ok: false, reason: 'port out of range' };
  if (runid.length !== 40) return { ok: false, reason: 'runid is not 40 characters' };
  if (!NUM.test(epoch) || !NUM.test(mepoch)) return { ok: false, reason: 'epoch is not a number' };
  return {
    ok: true,
    hello: {
      ip,
      port: p,
      runid,
      currentEpoch: strtoull(epoch),
      masterName: name,
      masterIp: mip,
      masterPort: mp,
      masterConfigEpoch: strtoull(mepoch),
    },
  };
}

export function formatHello(h: Hello): string {
  return [h.ip, h.port, h.runid, h.currentEpoch, h.masterName, h.masterIp, h.masterPort, h.masterConfigEpoch].join(',');
}
