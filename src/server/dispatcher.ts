/**
 * The one place a parsed command goes through: server.c processCommand and call(), Redis 7.0.15 order.
 *
 *   POST/Host: guard → QUIT → lookup (unknown command / unknown subcommand) → arity → NOAUTH → no-multi →
 *   ACL → application write guards (OOM, MISCONF, NOREPLICAS, READONLY) → RESP2 subscribed-mode restriction →
 *   application state guards (MASTERDOWN, LOADING, BUSY) → client pause (postpone) → MULTI queueing → call.
 *
 * A rejection counts as a rejected call, flags an open transaction dirty (flagTransaction) so EXEC answers
 * EXECABORT, and when EXEC itself is rejected discards the transaction (execCommandAbort). call() runs the
 * handler through the application's execution hook and keeps INFO commandstats / errorstats.
 */
import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import type { Acl } from './acl/acl.js';
import { FLAG } from './categories.js';
import type { PauseState } from './pause.js';
import { arityOk, isWriteLike, type CommandEntry, type CommandRegistry } from './registry.js';
import {
  ERR,
  execAbort,
  nopermCommand,
  pubsubContext,
  unknownCommand,
  unknownSubcommand,
  wrongArity,
} from './replies.js';
import { CommandCtx, SessionWriter, type ClientSession } from './session.js';
import type { ServerStats } from './stats.js';
import type { QueuedCommand, ServerHooks } from './types.js';

export interface DispatcherDeps {
  readonly registry: CommandRegistry;
  readonly acl: Acl;
  readonly pause: PauseState;
  readonly stats: ServerStats;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly hooks: ServerHooks;
  /** EXEC rejected or DISCARD/RESET: drop the transaction (and the application's WATCHes). */
  discardTransaction(s: ClientSession): void;
  /** `POST` / `Host:` as a command: log and close without replying (networking.c securityWarningCommand). */
  securityAttack(s: ClientSession): void;
  /** Blocked-client accounting (INFO blocked_clients). */
  blockedChanged(delta: number): void;
}


type Outcome = void | Promise<void>;

export class Dispatcher {
  readonly #d: DispatcherDeps;
  /**
   * The latest monotonic reading (ms). Clock reads cost ~100 ns on some hosts, so commands are timed as a chain:
   * a command's time runs from the previous reading (taken when its input arrived, or when the command before
   * it finished) to the reading after it. Every entry point calls tick() before processing.
   */
  now = 0;

  constructor(deps: DispatcherDeps) {
    this.#d = deps;
  }

  /** Read the monotonic clock (start of a batch of input, or of an internal call). */
  tick(): number {
    return (this.now = this.#d.clock.monotonic());
  }

  /** processCommand for one complete command; a Promise means the client is blocked until it settles. */
  process(s: ClientSession, args: string[]): Outcome {
    const d = this.#d;
    const name = args[0]!;
    if ((name.length === 4 || name.length === 5) && isSecurityAttack(name)) {
      d.securityAttack(s);
      return;
    }
    // 7.0 answers QUIT before the lookup: no auth, no ACL, not renameable, not counted. Deliberately in sentinel
    // mode too, where redis-sentinel 7.0.15 replies "-ERR unknown command 'QUIT'" (QUIT is not in its command
    // table) and keeps the connection: HAProxy health checks (the redis-ha chart) end with QUIT and expect +OK,
    // and Redis 7.2+ accepts QUIT everywhere. sentinel-wire-diff.test.ts pins this one intended difference.
    if (name.length === 4 && isQuit(name)) {
      s.writer.ok();
      s.closeAfterReply();
      return;
    }
    let e = d.registry.lookup(name);
    if (e === undefined) {
      s.lastCommand = 'NULL';
      return this.#reject(s, null, unknownCommand(name, args));
    }
    if (e.subcommands !== null && args.length >= 2) {
      const subName = args[1]!;
      const sub = e.subcommands.get(subName) ?? e.subcommands.get(subName.toLowerCase());
      if (sub === undefined) {
        s.lastCommand = 'NULL';
        return this.#reject(s, null, unknownSubcommand(subName, name));
      }
      e = sub;
    }
    s.lastCommand = e.fullName;
    if (!arityOk(e.spec.arity, args.length)) return this.#reject(s, e, wrongArity(e.fullName));
    const flags = e.flags;
    const obey = s.kind === 'master';
    if (!obey && s.user === null && !(flags & FLAG.no_auth) && d.acl.defaultRequiresAuth) {
      return this.#reject(s, e, ERR.NOAUTH);
    }
    if (s.inMulti && flags & FLAG.no_multi) return this.#reject(s, e, ERR.NO_MULTI);
    if (!obey && !s.aclUser.unrestricted) {
      const denied = d.acl.check(s.aclUser, e, args);
      if (denied !== null) {
        return this.#reject(
          s,
          e,
          denied === 'command' ? nopermCommand(e.fullName) : denied === 'key' ? ERR.NOPERM_KEY : ERR.NOPERM_CHANNEL,
        );
      }
    }
    const hooks = d.hooks;
    if (hooks.guardWrites !== undefined) {
      const err = this.#guard(s, e, args, hooks.guardWrites);
      if (err !== null) return this.#reject(s, e, err);
    }
    if (s.proto === 2 && s.isPubsub) {
      const sp = e.special;
      if (sp !== 'ping' && sp !== 'subscribe' && sp !== 'quit' && sp !== 'reset') {
        return this.#reject(s, e, pubsubContext(e.fullName));
      }
    }
    if (hooks.guardState !== undefined) {
      const err = this.#guard(s, e, args, hooks.guardState);
      if (err !== null) return this.#reject(s, e, err);
    }
    if (d.pause.mode !== null && s.kind === 'normal') {
      const writeLike = isWriteLike(flags) || (e.special === 'exec' && isWriteLike(s.multiFlags));
      if (d.pause.postpones(writeLike)) return this.#postpone(s, args);
    }
    if (s.inMulti && !queueBypass(e)) {
      s.multiQueue.push({ args, command: e.spec, fullName: e.fullName });
      s.multiFlags |= flags;
      s.writer.simple('QUEUED');
      return;
    }
    return this.call(s, e, args, s.writer);
  }

  /** Run an application guard with a (reused) context; a guard that throws rejects the command. */
  #guard(s: ClientSession, e: CommandEntry, args: string[], guard: (ctx: CommandCtx, args: string[]) => string | null): string | null {
    const ctx = this.#context(s, s.writer, e);
    try {
      return guard(ctx, args);
    } catch (err) {
      this.#d.logger.error({ err, command: e.fullName }, 'command guard failed');
      return ERR.INTERNAL;
    } finally {
      s.spareCtx = ctx;
    }
  }

  /** The session's spare context re-aimed at this command, or a new one. */
  #context(s: ClientSession, out: SessionWriter, e: CommandEntry): CommandCtx {
    const ctx = s.spareCtx;
    if (ctx === null) return new CommandCtx(s, out, e.spec, e.fullName);
    s.spareCtx = null;
    ctx.reply = out;
    ctx.command = e.spec;
    ctx.fullName = e.fullName;
    return ctx;
  }

  /**
   * EXEC's per-command step (multi.c execCommand): ACL is checked again (rules may have changed since
   * queueing), then the command runs through call() into `out`.
   */
  runQueued(s: ClientSession, q: QueuedCommand, out: SessionWriter): Outcome {
    const e = this.#d.registry.lookupOriginal(q.fullName);
    if (e === undefined || e.spec !== q.command) {
      out.error(ERR.INTERNAL);
      return;
    }
    if (s.kind !== 'master' && !s.aclUser.unrestricted) {
      const denied = this.#d.acl.check(s.aclUser, e, q.args);
      if (denied !== null) {
        const reason =
          denied === 'command'
            ? 'no permission to execute the command or subcommand'
            : denied === 'key'
              ? 'no permission to touch the specified keys'
              : 'no permission to access one of the channels used as arguments';
        out.error(
          `NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: ${reason}`,
        );
        return;
      }
    }
    return this.call(s, e, q.args, out);
  }

  /** server.c call(): the handler through the application's hook, with statistics. */
  call(s: ClientSession, e: CommandEntry, args: string[], out: SessionWriter): Outcome {
    const d = this.#d;
    const handler = e.spec.handler;
    // reuse the context of the session's previous (synchronous) command
    const ctx = this.#context(s, out, e);
    const mark = out.length;
    const errors0 = out.errors;
    const charged0 = s.errorsCharged;
    const t0 = this.now;
    s.argv = args;
    let r: Outcome;
    try {
      if (handler === undefined) throw new Error(`command ${e.fullName} has no handler`);
      r = d.hooks.execute !== undefined ? d.hooks.execute(ctx, args, () => handler(ctx, args)) : handler(ctx, args);
    } catch (err) {
      this.#internalError(e, out, mark, err);
      r = undefined;
    }
    const usec = Math.round((this.tick() - t0) * 1000);
    if (r instanceof Promise) {
      s.blockedBy = 'async';
      d.blockedChanged(1);
      return r.then(
        () => this.#finishBlocked(s, e, out, errors0, charged0, usec),
        (err: unknown) => {
          this.#internalError(e, out, mark, err);
          this.#finishBlocked(s, e, out, errors0, charged0, usec);
        },
      );
    }
    s.spareCtx = ctx;
    this.#finish(s, e, out, errors0, charged0, usec);
  }

  #finishBlocked(s: ClientSession, e: CommandEntry, out: SessionWriter, errors0: number, charged0: number, usec: number): void {
    s.blockedBy = null;
    s.unblockHandler = null;
    this.#d.blockedChanged(-1);
    this.#finish(s, e, out, errors0, charged0, usec);
  }

  /**
   * A call failed if it replied an error itself: errors replied by the calls nested in it (the commands EXEC
   * runs) are theirs alone. server.c incrCommandStatsOnError charges each error to the innermost call() that
   * finished after it, so EXEC whose queued LPUSH got -WRONGTYPE is not a failed EXEC.
   */
  #finish(s: ClientSession, e: CommandEntry, out: SessionWriter, errors0: number, charged0: number, usec: number): void {
    const st = e.stats;
    st.calls++;
    st.usec += usec;
    const replied = out.errors - errors0;
    if (replied > s.errorsCharged - charged0) st.failedCalls++;
    s.errorsCharged = charged0 + replied;
    this.#d.stats.totalCommandsProcessed++;
    s.argv = null;
  }

  #internalError(e: CommandEntry, out: SessionWriter, mark: number, err: unknown): void {
    this.#d.logger.error({ err, command: e.fullName }, 'command handler failed');
    out.truncate(mark);
    out.error(ERR.INTERNAL);
  }

  /** rejectCommand / rejectCommandSds. */
  #reject(s: ClientSession, e: CommandEntry | null, err: string): void {
    if (s.inMulti) s.multiDirty = true;
    if (e !== null) e.stats.rejectedCalls++;
    if (e !== null && e.special === 'exec' && e.parent === null) {
      this.#d.discardTransaction(s);
      // execCommandAbort prints the error without its leading '-'; texts Redis formats without a code lose our ERR
      s.writer.error(execAbort(err.startsWith('ERR ') ? err.slice(4) : err));
      return;
    }
    s.writer.error(err);
  }

  #postpone(s: ClientSession, args: string[]): Promise<void> {
    const d = this.#d;
    s.blockedBy = 'pause';
    d.blockedChanged(1);
    return new Promise<void>((resolve) => {
      d.pause.park(() => {
        // unblockPostponedClients: re-processed from the event loop, not inside whoever lifted the pause
        setImmediate(() => {
          s.blockedBy = null;
          d.blockedChanged(-1);
          if (s.closed) return resolve();
          this.tick();
          const r = this.process(s, args);
          if (r instanceof Promise) r.then(resolve, resolve);
          else resolve();
        });
      });
    });
  }
}

/** Commands MULTI does not queue (processCommand: exec, discard, multi, watch, quit, reset). */
function queueBypass(e: CommandEntry): boolean {
  if (e.parent !== null) return false;
  const sp = e.special;
  return sp === 'exec' || sp === 'discard' || sp === 'multi' || sp === 'watch' || sp === 'quit' || sp === 'reset';
}

/** ASCII case-insensitive comparison with a lowercase literal, without allocating (4-letter names are common). */
function equalsLower(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) if ((name.charCodeAt(i) | 0x20) !== lower.charCodeAt(i)) return false;
  return true;
}

function isQuit(name: string): boolean {
  return equalsLower(name, 'quit');
}

/** `POST` and `Host:`, case-insensitively (cross-protocol scripting from browsers). */
function isSecurityAttack(name: string): boolean {
  return equalsLower(name, 'post') || (name.charCodeAt(4) === 58 && equalsLower(name.slice(0, 4), 'host'));
}
