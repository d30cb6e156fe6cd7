/**
 * MULTI / EXEC / DISCARD / WATCH / UNWATCH (multi.c). The server core queues commands while a client is in
 * MULTI (and flags the transaction when a command is rejected while queueing); EXEC runs the queue through the
 * core's `runQueued`, as one execution unit: one time snapshot, one propagated MULTI … EXEC, no blocking.
 */
import type { CommandContext, CommandSpec, QueuedCommand, Session } from '../../server/types.js';
import type { RespWriter } from '../../resp/writer.js';
import { dbOf, type NodeContext } from '../context.js';
import type { WatchRegistry } from '../watch.js';
import { ERR } from './errors.js';
import { spec } from './table.js';

/** What EXEC needs from the server core. */
export interface TransactionPort {
  /** Run one queued command as EXEC does (ACL re-check, then call()) with its reply going to `out`. */
  runQueued(session: Session, q: QueuedCommand, out: RespWriter): void | Promise<void>;
  /** The queued commands of a session in MULTI. */
  queue(session: Session): readonly QueuedCommand[];
  /** Drop the transaction state kept by the core (queue, flags). */
  resetMulti(session: Session): void;
}

export interface ExecState {
  /** Depth of EXECs running (blocking commands never block inside one). */
  depth: number;
}

export function transactionCommands(node: NodeContext, watch: WatchRegistry, port: TransactionPort, state: ExecState): CommandSpec[] {
  const discard = (s: Session): void => {
    port.resetMulti(s);
    watch.unwatchAll(s.id);
  };

  async function runRest(ctx: CommandContext, queue: readonly QueuedCommand[], from: number, pending: Promise<void>): Promise<void> {
    await pending;
    for (let i = from; i < queue.length; i++) await port.runQueued(ctx.session, queue[i]!, ctx.reply);
  }

  return [
    spec('multi', (ctx) => {
      if (ctx.session.inMulti) return ctx.reply.error(ERR.MULTI_NESTED);
      ctx.session.inMulti = true;
      ctx.reply.ok();
    }),

    spec('discard', (ctx) => {
      if (!ctx.session.inMulti) return ctx.reply.error(ERR.DISCARD_WITHOUT_MULTI);
      discard(ctx.session);
      ctx.reply.ok();
    }),

    spec('exec', (ctx) => {
      const s = ctx.session;
      if (!s.inMulti) return ctx.reply.error(ERR.EXEC_WITHOUT_MULTI);
      if (s.multiDirty) {
        discard(s);
        return ctx.reply.error(ERR.EXECABORT);
      }
      if (watch.mustAbort(s.id)) {
        discard(s);
        return ctx.reply.nilArray();
      }
      const queue = [...port.queue(s)];
      // the queue runs outside MULTI state (so nested MULTI/WATCH inside it behave as Redis: errors)
      port.resetMulti(s);
      watch.unwatchAll(s.id);
      // EXEC itself is never propagated: the queued writes are, as one unit wrapped in MULTI/EXEC
      node.prop.prevent();
      ctx.reply.array(queue.length);
      state.depth++;
      try {
        return node.ks.withFrozenTime(() => {
          for (let i = 0; i < queue.length; i++) {
            const r = port.runQueued(s, queue[i]!, ctx.reply);
            if (r instanceof Promise) return runRest(ctx, queue, i + 1, r);
          }
          return undefined;
        });
      } finally {
        state.depth--;
      }
    }),

    spec('watch', (ctx, args) => {
      if (ctx.session.inMulti) return ctx.reply.error(ERR.WATCH_IN_MULTI);
      const db = dbOf(node, ctx);
      for (let i = 1; i < args.length; i++) watch.watch(ctx.session.id, db, args[i]!);
      ctx.reply.ok();
    }),

    spec('unwatch', (ctx) => {
      watch.unwatchAll(ctx.session.id);
      ctx.reply.ok();
    }),
  ];
}
