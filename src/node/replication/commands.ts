/**
 * Replication commands as data (replication.c replconfCommand, syncCommand, replicaofCommand, waitCommand,
 * roleCommand, failoverCommand), with 7.0.15's COMMAND metadata. Thin over ReplicationService.
 *
 * PSYNC/SYNC and REPLCONF ACK/GETACK write no normal reply: PSYNC/SYNC answer through the raw connection
 * (`+FULLRESYNC`/`+CONTINUE` and the payload), and an ACK must never be answered (a 7.0 replica treats any byte
 * from its master as stream).
 */
import { UNBLOCKED_ERROR } from '../../server/replies.js';
import type { CommandContext, CommandFlag, CommandSpec, Session } from '../../server/types.js';
import { parseLongLong } from './args.js';
import { writeRole } from './info.js';
import type { SyncConnection } from './primary/full-sync.js';
import { continueLine, decidePsync } from './primary/psync-decision.js';
import { emptyReplconf, normalizePeerIp, type ReplconfInfo } from './primary/replica-records.js';
import type { ReplicationService } from './service.js';
import { OK_ALREADY_CONNECTED, REPL_ERR, replconfIpTooLong, unrecognizedReplconf } from './wire.js';

/** How the server core lets a handler answer nothing and reach the raw connection (see the module comment). */
export interface RawConnectionPort {
  /** Mark the current command as having no reply at all. */
  noReply(ctx: CommandContext): void;
  /** Close the connection once what was already written to it is sent (replica dropped, rdb-only done). */
  close(session: Session, reason: string): void;
  /** Socket backpressure of the connection, or null. */
  backpressure(session: Session): Promise<void> | null;
}

const meta = (name: string, arity: number, flags: CommandFlag[], categories: string[]): Omit<CommandSpec, 'handler'> => ({
  name,
  arity,
  flags,
  categories,
});

/** `ip:port`, `[v6]:port` → ip (IPv4-mapped shown as IPv4). */
export function peerIpOf(addr: string): string {
  if (addr.startsWith('[')) return normalizePeerIp(addr.slice(1, addr.indexOf(']')));
  const i = addr.lastIndexOf(':');
  return normalizePeerIp(i < 0 ? addr : addr.slice(0, i));
}

export function replicationCommands(svc: ReplicationService, raw: RawConnectionPort): CommandSpec[] {
  const replconf = new Map<number, ReplconfInfo & { rdbOnly: boolean }>();
  const confOf = (id: number): ReplconfInfo & { rdbOnly: boolean } => {
    let c = replconf.get(id);
    if (c === undefined) {
      c = { ...emptyReplconf(), rdbOnly: false };
      replconf.set(id, c);
    }
    return c;
  };
  svc.onClientClosed((id) => replconf.delete(id));

  const connOf = (s: Session): SyncConnection => ({
    id: s.id,
    peerIp: peerIpOf(s.addr),
    write: (data) => s.send(data),
    close: (reason) => raw.close(s, reason),
    backpressure: () => raw.backpressure(s),
  });

  const replconfHandler = (ctx: CommandContext, args: string[]): void => {
    const w = ctx.reply;
    if (args.length % 2 === 0) return w.error(REPL_ERR.SYNTAX);
    const c = confOf(ctx.session.id);
    for (let j = 1; j < args.length; j += 2) {
      const opt = args[j]!.toLowerCase();
      const val = args[j + 1]!;
      if (opt === 'listening-port') {
        const p = parseLongLong(val);
        if (p === null) return w.error(REPL_ERR.NOT_INTEGER);
        c.listeningPort = p;
      } else if (opt === 'ip-address') {
        if (val.length >= 256) return w.error(replconfIpTooLong(val.length));
        c.announcedIp = val;
      } else if (opt === 'capa') {
        const v = val.toLowerCase();
        if (v === 'eof') c.capaEof = true;
        else if (v === 'psync2') c.capaPsync2 = true;
      } else if (opt === 'ack') {
        // only from an attached replica, and never answered
        raw.noReply(ctx);
        const off = parseLongLong(val);
        if (ctx.session.kind === 'replica' && off !== null) svc.ackReceived(ctx.session.id, off);
        return;
      } else if (opt === 'getack') {
        // on a replica with a live master link an ACK goes to the master, whoever asked
        raw.noReply(ctx);
        svc.link?.sendAck();
        return;
      } else if (opt === 'rdb-only') {
        const v = parseLongLong(val);
        if (v === null || v < 0 || v > 1) return w.error(REPL_ERR.NOT_INTEGER);
        c.rdbOnly = v === 1;
      } else if (opt === 'rdb-filter-only') {
        // tredis has no functions: an RDB filtered to functions would be empty of them either way
      } else {
        return w.error(unrecognizedReplconf(args[j]!));
      }
    }
    w.ok();
  };

  const syncHandler = (ctx: CommandContext, args: string[]): void => {
    const s = ctx.session;
    const w = ctx.reply;
    if (s.kind === 'replica') return raw.noReply(ctx); // already a replica: ignored
    const isPsync = args[0]!.toLowerCase() === 'psync';
    if (isPsync && args.length > 3 && args[3]!.toLowerCase() === 'failover') {
      svc.ports.log('warning', `Failover request received for replid ${args[1]!}.`);
      if (!svc.isReplica) return w.error(REPL_ERR.PSYNC_FAILOVER_TO_MASTER);
      if (args[1]!.toLowerCase() !== svc.history.replid.toLowerCase()) return w.error(REPL_ERR.PSYNC_FAILOVER_REPLID);
      svc.unsetMaster(`failover request from '${s.addr}'`);
    }
    if (svc.failover.active) return w.error(REPL_ERR.NOMASTERLINK_FAILING_OVER);
    if (!svc.canServeSync()) return w.error(REPL_ERR.NOMASTERLINK_NOT_CONNECTED);
    let offset = -1;
    if (isPsync) {
      const o = parseLongLong(args[2]!);
      if (o === null) return w.error(REPL_ERR.NOT_INTEGER);
      offset = o;
    }
    raw.noReply(ctx);
    const conf = confOf(s.id);
    const conn = connOf(s);
    s.kind = 'replica';
    if (isPsync) {
      const d = decidePsync(args[1]!, offset, svc.history.snapshot());
      if (d.kind === 'continue') {
        svc.feeder.flush();
        const bytes = svc.feeder.backlogFrom(offset) ?? Buffer.alloc(0);
        conn.write(Buffer.concat([Buffer.from(continueLine(svc.history.replid, conf.capaPsync2), 'latin1'), bytes]));
        svc.feeder.attachOnline(conn, conf);
        svc.ports.log('notice', `Partial resynchronization request from ${conn.peerIp} accepted. Sending ${bytes.length} bytes of backlog starting from offset ${offset}.`);
        return;
      }
      svc.ports.log('notice', `Full resync requested by replica ${conn.peerIp}:${conf.listeningPort} (${d.reason})`);
    }
    svc.ensureBacklogForFirstReplica();
    svc.syncs.begin(conn, conf, { psync: isPsync, rdbOnly: conf.rdbOnly });
  };

  const replicaofHandler = (ctx: CommandContext, args: string[]): void => {
    const w = ctx.reply;
    if (svc.failover.active) return w.error(REPL_ERR.REPLICAOF_FAILING_OVER);
    const host = args[1]!;
    const portArg = args[2]!;
    if (host.toLowerCase() === 'no' && portArg.toLowerCase() === 'one') {
      if (svc.isReplica) svc.unsetMaster(`user request from '${ctx.session.addr}'`);
      return w.ok();
    }
    if (ctx.session.kind === 'replica') return w.error(REPL_ERR.REPLICAOF_FROM_REPLICA);
    const port = parseLongLong(portArg);
    if (port === null || port < 0 || port > 65535) return w.error(REPL_ERR.INVALID_MASTER_PORT);
    if (!svc.setMaster(host, port)) return w.simple(OK_ALREADY_CONNECTED);
    svc.ports.log('notice', `REPLICAOF ${host}:${port} enabled (user request from '${ctx.session.addr}')`);
    w.ok();
  };

  const waitHandler = (ctx: CommandContext, args: string[]): void | Promise<void> => {
    const w = ctx.reply;
    if (svc.isReplica) return w.error(REPL_ERR.WAIT_ON_REPLICA);
    const num = parseLongLong(args[1]!);
    if (num === null) return w.error(REPL_ERR.NOT_INTEGER);
    const timeout = parseLongLong(args[2]!);
    if (timeout === null) return w.error('ERR timeout is not an integer or out of range');
    if (timeout < 0) return w.error(REPL_ERR.TIMEOUT_NEGATIVE);
    const target = svc.clientOffset(ctx.session.id);
    const acked = svc.countAcked(target);
    if (acked >= num || ctx.session.inMulti || svc.ports.inExec?.() === true) return w.int(acked);
    return new Promise<void>((resolve) => {
      const now = svc.ports.clock.monotonic();
      const waiter = {
        targetOffset: target,
        numReplicas: num,
        deadline: timeout === 0 ? null : now + timeout,
        reply: (n: number): void => {
          ctx.setUnblockHandler?.(null);
          w.int(n);
          resolve();
        },
      };
      svc.waits.add(waiter);
      // CLIENT UNBLOCK: TIMEOUT answers the count so far (replyToBlockedClientTimedOut), ERROR -UNBLOCKED
      ctx.setUnblockHandler?.((reason) => {
        svc.waits.remove(waiter);
        ctx.setUnblockHandler?.(null);
        if (reason === 'timeout') w.int(svc.countAcked(target));
        else w.error(UNBLOCKED_ERROR);
        resolve();
      });
      svc.requestAcks();
    });
  };

  const admin = ['admin', 'slow', 'dangerous'];
  return [
    { ...meta('replconf', -1, ['admin', 'noscript', 'loading', 'stale', 'allow_busy'], admin), handler: replconfHandler },
    { ...meta('psync', -3, ['admin', 'noscript', 'no_multi'], admin), handler: syncHandler },
    { ...meta('sync', 1, ['admin', 'noscript', 'no_multi'], admin), handler: syncHandler },
    { ...meta('replicaof', 3, ['admin', 'noscript', 'stale'], admin), handler: replicaofHandler },
    { ...meta('slaveof', 3, ['admin', 'noscript', 'stale'], admin), handler: replicaofHandler },
    { ...meta('wait', 3, ['noscript'], ['slow', 'connection']), handler: waitHandler },
    {
      ...meta('role', 1, ['noscript', 'loading', 'stale', 'fast'], ['admin', 'fast', 'dangerous']),
      handler: (ctx) => writeRole(ctx.reply, svc.view()),
    },
    {
      ...meta('failover', -1, ['admin', 'noscript', 'stale'], admin),
      handler: (ctx, args) => {
        const err = svc.failover.command(args);
        if (err === null) ctx.reply.ok();
        else ctx.reply.error(err);
      },
    },
  ];
}
