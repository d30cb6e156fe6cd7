/**
 * The SENTINEL container command (sentinel.c sentinelCommand) on the shared server core: one CommandSpec per
 * subcommand, replies with the reference's shapes — instance maps as RESP3 maps / flat RESP2 arrays with every
 * value a bulk string, error texts from protocol/error-text.ts. State-changing subcommands run the core operation,
 * execute its effects through the service (persistence first) and only then write the reply.
 */
import type { RespWriter } from '../../resp/writer.js';
import type { CommandContext, CommandFlag, CommandSpec } from '../../server/types.js';
import * as admin from '../core/admin.js';
import { currentMasterAddr } from '../core/instances.js';
import type { Instance } from '../core/model.js';
import { announceHost } from '../protocol/addr.js';
import { SENTINEL_ERR } from '../protocol/error-text.js';
import { instanceFields } from '../protocol/instance-fields.js';
import { SENTINEL_HELP_HEADER, SENTINEL_HELP_LINES } from './help.js';
import type { SentinelService } from './service.js';

const ADMIN: readonly CommandFlag[] = ['admin', 'sentinel', 'only_sentinel'];
const CATS = ['admin', 'slow', 'dangerous'];

function sub(name: string, arity: number, handler: (ctx: CommandContext, args: string[]) => void | Promise<void>, flags = ADMIN, categories = CATS): CommandSpec {
  return { name, arity, flags, categories, handler, group: 'sentinel', since: '2.8.4' };
}

/** Write an error reply; texts carry their code (`ERR …`, `NOGOODSLAVE …`). */
function err(w: RespWriter, text: string): void {
  w.error(text);
}

export function writeInstance(w: RespWriter, ri: Instance, svc: SentinelService): void {
  const fields = instanceFields(ri, svc.now(), svc.core.state.config.announceHostnames);
  w.map(fields.length);
  for (const [k, v] of fields) {
    w.bulk(k);
    w.bulk(v);
  }
}

function writeInstances(w: RespWriter, list: Iterable<Instance>, svc: SentinelService): void {
  const shown = [...list].filter((ri) => ri.kind !== 'slave' || ri.replicaAnnounced);
  w.array(shown.length);
  for (const ri of shown) writeInstance(w, ri, svc);
}

export function sentinelCommand(svc: SentinelService): CommandSpec {
  const st = () => svc.core.state;
  const master = (ctx: CommandContext, name: string) => {
    const m = st().masters.get(name);
    if (m === undefined) err(ctx.reply, SENTINEL_ERR.noSuchMaster);
    return m;
  };
  /** Run an admin operation's effects, then reply OK or its error. */
  const finish = (ctx: CommandContext, r: admin.AdminResult, onPersistFail?: string): void => {
    const { persistFailed } = svc.execute(r.effects);
    if (r.error !== undefined) err(ctx.reply, r.error);
    else if (persistFailed && onPersistFail !== undefined) err(ctx.reply, onPersistFail);
    else ctx.reply.ok();
  };

  const subcommands: CommandSpec[] = [
    sub('masters', 2, (ctx) => writeInstances(ctx.reply, st().masters.values(), svc)),
    sub('master', 3, (ctx, a) => {
      const m = master(ctx, a[2]!);
      if (m !== undefined) writeInstance(ctx.reply, m, svc);
    }),
    ...['replicas', 'slaves'].map((n) =>
      sub(n, 3, (ctx, a) => {
        const m = master(ctx, a[2]!);
        if (m !== undefined) writeInstances(ctx.reply, m.replicas.values(), svc);
      }),
    ),
    sub('sentinels', 3, (ctx, a) => {
      const m = master(ctx, a[2]!);
      if (m !== undefined) writeInstances(ctx.reply, m.sentinels.values(), svc);
    }),
    sub('get-master-addr-by-name', 3, (ctx, a) => {
      const m = st().masters.get(a[2]!);
      if (m === undefined) return ctx.reply.nilArray();
      const addr = currentMasterAddr(m);
      ctx.reply.array(2);
      ctx.reply.bulk(announceHost(addr, st().config.announceHostnames));
      ctx.reply.bulk(String(addr.port));
    }),
    sub('myid', 2, (ctx) => ctx.reply.bulk(st().myid)),
    sub('is-master-down-by-addr', 6, (ctx, a) => {
      const r = admin.isMasterDownByAddr(svc.core, svc.now(), a[2]!, a[3]!, a[4]!, a[5]!);
      const { persistFailed } = svc.execute(r.effects);
      if (r.error !== undefined || r.value === undefined) return err(ctx.reply, r.error ?? SENTINEL_ERR.notInteger);
      let { leader, leaderEpoch } = r.value;
      // Persist before you speak: a vote granted now that could not be written is not revealed (the reference
      // reveals it anyway and may vote twice in one epoch after a restart).
      const grantedNow = r.effects.some((e) => e.type === 'event' && e.event.type === '+vote-for-leader');
      if (persistFailed && grantedNow) {
        leader = null;
        leaderEpoch = 0;
      }
      ctx.reply.array(3);
      ctx.reply.int(r.value.down ? 1 : 0);
      ctx.reply.bulk(leader ?? '*');
      ctx.reply.int(leaderEpoch);
    }),
    sub('reset', 3, (ctx, a) => {
      const r = admin.reset(svc.core, svc.now(), a[2]!);
      svc.execute(r.effects);
      ctx.reply.int(r.value ?? 0);
    }),
    sub('failover', -3, (ctx, a) => {
      let coordinated = false;
      if (a.length === 4 && a[3]!.toLowerCase() === 'coordinated') coordinated = true;
      else if (a.length !== 3) return err(ctx.reply, 'ERR syntax error');
      finish(ctx, admin.failover(svc.core, svc.now(), a[2]!, coordinated));
    }),
    sub('pending-scripts', 2, (ctx) => {
      const w = ctx.reply;
      const list = svc.scripts().pending;
      w.array(list.length);
      for (const s of list) {
        w.map(5);
        w.bulk('argv');
        w.bulkArray([...s.argv]);
        w.bulk('flags');
        w.bulk(s.flags);
        w.bulk('pid');
        w.bulk(String(s.pid));
        w.bulk(s.time[0]);
        w.bulk(String(Math.trunc(s.time[1])));
        w.bulk('retry-num');
        w.bulk(String(s.retryNum));
      }
    }),
    sub('monitor', 6, async (ctx, a) => {
      const host = a[3]!;
      let resolved: string | null | undefined;
      if (st().config.resolveHostnames && !/^[0-9.]+$|:/.test(host)) resolved = await svc.resolve(host);
      finish(ctx, admin.monitor(svc.core, svc.now(), a[2]!, host, a[4]!, a[5]!, resolved));
    }),
    sub('flushconfig', 2, (ctx) => {
      if (svc.flush()) ctx.reply.ok();
      else err(ctx.reply, SENTINEL_ERR.flushFailed);
    }),
    sub('remove', 3, (ctx, a) => finish(ctx, admin.remove(svc.core, svc.now(), a[2]!))),
    sub('ckquorum', 3, (ctx, a) => {
      const m = master(ctx, a[2]!);
      if (m === undefined) return;
      const q = admin.checkQuorum(m);
      if (!q.noQuorum && !q.noAuth) ctx.reply.simple(SENTINEL_ERR.ckquorumOk(q.usable));
      else err(ctx.reply, SENTINEL_ERR.noQuorum(q.usable, q.noQuorum, q.noAuth));
    }),
    sub('set', -5, (ctx, a) => {
      finish(ctx, admin.set(svc.core, svc.now(), a[2]!, a.slice(3), { isExecutable: (p) => svc.isExecutable(p) }), SENTINEL_ERR.setFlushFailed);
    }),
    sub('config', -3, (ctx, a) => {
      const op = a[2]!.toLowerCase();
      if (op === 'get' && a.length >= 4) {
        const pairs = admin.configGet(svc.core, a.slice(3));
        ctx.reply.map(pairs.length);
        for (const [k, v] of pairs) {
          ctx.reply.bulk(k);
          ctx.reply.bulk(v);
        }
        return;
      }
      if (op === 'set' && a.length >= 5) return finish(ctx, admin.configSet(svc.core, svc.now(), a.slice(3)));
      err(ctx.reply, SENTINEL_ERR.configOnlyGetSet);
    }),
    sub('info-cache', -3, (ctx, a) => {
      const now = svc.now();
      const names = [...new Set(a.slice(2))];
      const ms = names.map((n) => st().masters.get(n)).filter((m) => m !== undefined);
      const w = ctx.reply;
      w.array(ms.length * 2);
      for (const m of ms) {
        w.bulk(m.name);
        w.array(m.replicas.size + 1);
        w.array(2);
        w.int(m.infoRefresh !== 0 ? now - m.infoRefresh : 0);
        if (m.info !== null) w.bulk(m.info);
        else w.nil();
        for (const r of m.replicas.values()) {
          w.array(2);
          // sentinel.c tests the master's info_refresh here, not the replica's; kept for identical output
          w.int(m.infoRefresh !== 0 ? now - r.infoRefresh : 0);
          if (r.info !== null) w.bulk(r.info);
          else w.nil();
        }
      }
    }),
    sub('simulate-failure', -3, (ctx, a) => {
      const r = admin.simulateFailure(svc.core, a.slice(2));
      if (r.kind === 'help') ctx.reply.bulkArray(['crash-after-election', 'crash-after-promotion']);
      else if (r.kind === 'error') err(ctx.reply, r.error);
      else ctx.reply.ok();
    }),
    sub('debug', -2, (ctx, a) => {
      if (a.length === 2) {
        const pairs = admin.debugGet(svc.core);
        ctx.reply.map(pairs.length);
        for (const [k, v] of pairs) {
          ctx.reply.bulk(k);
          ctx.reply.bulk(String(v));
        }
        return;
      }
      const e = admin.debugSet(svc.core, a.slice(2));
      if (e !== null) err(ctx.reply, e);
      else ctx.reply.ok();
    }),
    sub(
      'help',
      2,
      (ctx) => {
        const lines = [SENTINEL_HELP_HEADER, ...SENTINEL_HELP_LINES];
        ctx.reply.array(lines.length);
        for (const l of lines) ctx.reply.simple(l);
      },
      ['loading', 'stale', 'sentinel', 'only_sentinel'],
      ['slow'],
    ),
  ];

  return {
    name: 'sentinel',
    arity: -2,
    flags: ADMIN,
    categories: CATS,
    subcommands,
    summary: 'A container for Sentinel commands',
    since: '2.8.4',
    group: 'sentinel',
  };
}
