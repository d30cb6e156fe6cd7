/**
 * tredis's execution wrapper around every command handler (the node-specific half of server.c call()):
 *
 *   1. pre-checks the server core does not know about: maxmemory (OOM / eviction) for denyoom commands;
 *   2. opens a propagation frame, runs the handler, and decides propagation from the dirty counter
 *      (a command that moved server.dirty is propagated, possibly rewritten — see propagation.ts);
 *   3. serves clients blocked on keys the command made ready (handleClientsBlockedOnKeys), after the
 *      command's own propagation, as Redis does;
 *   4. updates per-command statistics (INFO commandstats).
 *
 * A transaction (EXEC) is one execution unit: the wrapper of EXEC opens the unit, the queued commands' wrappers
 * nest inside it, and the propagated MULTI … EXEC is produced once (propagation.ts).
 */
import type { CommandContext, CommandHandler, CommandSpec } from '../server/types.js';
import type { Keyspace } from './keyspace/keyspace.js';
import type { Propagator } from './propagation.js';

export interface CommandStats {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

/** A pre-check's verdict: null to run the command, or the error reply to send instead. */
export type PreCheck = (ctx: CommandContext, args: string[], spec: CommandSpec) => string | null;

export interface ExecutionHooks {
  readonly ks: Keyspace;
  readonly prop: Propagator;
  /** Checks run before the handler, in order. */
  readonly preChecks: PreCheck[];
  /** After each top-level command: serve blocked clients whose keys became ready. */
  afterCommand(): void;
  /** Monotonic clock for command durations (µs resolution). */
  monotonic(): number;
}

export class Execution {
  readonly stats = new Map<string, CommandStats>();
  readonly #h: ExecutionHooks;
  #depth = 0;

  constructor(hooks: ExecutionHooks) {
    this.#h = hooks;
  }

  /** Whether a command is executing (nested commands inside EXEC see depth > 1). */
  get depth(): number {
    return this.#depth;
  }

  statsFor(name: string): CommandStats {
    let s = this.stats.get(name);
    if (s === undefined) {
      s = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 };
      this.stats.set(name, s);
    }
    return s;
  }

  resetStats(): void {
    this.stats.clear();
  }

  /** Wrap every handler of a family (subcommands included). */
  wrapAll(specs: readonly CommandSpec[], parent?: string): CommandSpec[] {
    return specs.map((s) => this.wrap(s, parent));
  }

  wrap(s: CommandSpec, parent?: string): CommandSpec {
    const fullName = parent === undefined ? s.name : `${parent}|${s.name}`;
    if (s.subcommands !== undefined) return { ...s, subcommands: this.wrapAll(s.subcommands, s.name) };
    if (s.handler === undefined) return s;
    return { ...s, handler: this.#wrapHandler(s, fullName, s.handler) };
  }

  #wrapHandler(s: CommandSpec, fullName: string, handler: CommandHandler): CommandHandler {
    const h = this.#h;
    const stats = this.statsFor(fullName);
    const checks = h.preChecks;
    return (ctx, args) => {
      for (let i = 0; i < checks.length; i++) {
        const err = checks[i]!(ctx, args, s);
        if (err !== null) {
          stats.rejectedCalls++;
          ctx.reply.error(err);
          return;
        }
      }
      const start = h.monotonic();
      const dirty0 = h.ks.dirty;
      h.prop.beginUnit();
      h.prop.beginCommand(ctx.session.db, args);
      this.#depth++;
      let result: void | Promise<void>;
      try {
        result = handler(ctx, args);
      } finally {
        this.#depth--;
        h.prop.endCommand(h.ks.dirty !== dirty0);
        h.prop.endUnit();
        stats.calls++;
        stats.usec += Math.round((h.monotonic() - start) * 1000);
      }
      if (this.#depth === 0) h.afterCommand();
      return result;
    };
  }
}
