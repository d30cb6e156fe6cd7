/**
 * The node's checks in processCommand order (server.c, Redis 7.0): OOM (after trying to evict) → MISCONF (a
 * failed background save or AOF write stops writes on a master) → NOREPLICAS / READONLY (replication), plus the
 * state checks after the pub/sub-context check (MASTERDOWN…, replication's). Commands from our master are never
 * refused. For EXEC the flags of the queued commands count, as Redis's c->mstate.cmd_flags.
 */
import type { CommandContext, CommandFlag } from '../server/types.js';
import { ERR } from './commands/errors.js';
import type { Evictor } from './evict.js';
import type { Persistence } from './persistence/persistence.js';
import type { ReplicationHooks } from './replication/server-wiring.js';

export interface GuardDeps {
  readonly evictor: Evictor;
  maxmemory(): number;
  persistence(): Persistence | null;
  replication(): ReplicationHooks | null;
  isMaster(): boolean;
}

function flagged(ctx: CommandContext, flag: CommandFlag): boolean {
  if (ctx.command.flags.includes(flag)) return true;
  if (ctx.command.name !== 'exec') return false;
  return (ctx.session.multiQueue ?? []).some((q) => q.command.flags.includes(flag));
}

export function nodeGuards(d: GuardDeps): {
  guardWrites(ctx: CommandContext, args: string[]): string | null;
  guardState(ctx: CommandContext, args: string[]): string | null;
} {
  return {
    guardWrites(ctx) {
      if (ctx.session.kind === 'master') return null;
      if (d.maxmemory() > 0 && d.evictor.perform() === 'fail' && flagged(ctx, 'denyoom')) return ERR.OOM;
      if ((flagged(ctx, 'write') || ctx.command.name === 'ping') && d.isMaster()) {
        const denied = d.persistence()?.writeDenied() ?? null;
        if (denied !== null) return denied;
      }
      return d.replication()?.guardWrites(ctx) ?? null;
    },
    guardState(ctx) {
      return d.replication()?.guardState(ctx) ?? null;
    },
  };
}
