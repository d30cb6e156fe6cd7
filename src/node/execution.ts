/**
 * tredis's execution wrapper around every command handler — the node-specific half of server.c call(), plugged
 * into the server core as its `execute` hook (the core keeps commandstats/errorstats itself):
 *
 *   1. opens a propagation frame, runs the handler, and decides propagation from the dirty counter
 *      (a command that moved server.dirty is propagated, possibly rewritten — see propagation.ts);
 *   2. serves clients blocked on keys the command made ready (handleClientsBlockedOnKeys), after the
 *      command's own propagation, as Redis does.
 *
 * A transaction (EXEC) is one execution unit: EXEC's frame opens the unit, the queued commands' frames nest
 * inside it, and the propagated MULTI … EXEC is produced once (propagation.ts).
 */
import type { CommandContext, CommandHandler, CommandSpec } from '../server/types.js';
import type { Keyspace } from './keyspace/keyspace.js';
import type { Propagator } from './propagation.js';

export interface ExecutionHooks {
  readonly ks: Keyspace;
  readonly prop: Propagator;
  /** After each top-level command: serve blocked clients whose keys became ready. */
  afterCommand(): void;
}

export class Execution {
  readonly #h: ExecutionHooks;
  #depth = 0;
  /** The context whose command is inside `execute` right now (innermost): a handler wrapped by `wrap` and also
   *  run through the core's execute hook must not open a second frame (it would propagate twice). */
  #active: CommandContext | null = null;

  constructor(hooks: ExecutionHooks) {
    this.#h = hooks;
  }

  /** Whether a command is executing (nested commands inside EXEC see depth > 1). */
  get depth(): number {
    return this.#depth;
  }

  /** The server core's `execute` hook: run `run()` (the handler) inside a propagation frame. */
  readonly execute = (ctx: CommandContext, args: string[], run: () => void | Promise<void>): void | Promise<void> => {
    const h = this.#h;
    const dirty0 = h.ks.dirty;
    h.prop.beginUnit();
    h.prop.beginCommand(ctx.session.db, args);
    this.#depth++;
    const outer = this.#active;
    this.#active = ctx;
    let result: void | Promise<void>;
    try {
      result = run();
    } finally {
      this.#active = outer;
      this.#depth--;
      h.prop.endCommand(h.ks.dirty !== dirty0);
      h.prop.endUnit();
    }
    if (this.#depth === 0) h.afterCommand();
    return result;
  };

  /** Wrap handlers with `execute` (for running families without the server core, e.g. in tests). */
  wrapAll(specs: readonly CommandSpec[]): CommandSpec[] {
    return specs.map((s) => this.wrap(s));
  }

  wrap(s: CommandSpec): CommandSpec {
    if (s.subcommands !== undefined) return { ...s, subcommands: this.wrapAll(s.subcommands) };
    const handler = s.handler;
    if (handler === undefined) return s;
    const wrapped: CommandHandler = (ctx, args) =>
      this.#active === ctx ? handler(ctx, args) : this.execute(ctx, args, () => handler(ctx, args));
    return { ...s, handler: wrapped };
  }
}
