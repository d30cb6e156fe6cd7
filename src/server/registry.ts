/**
 * The command table: CommandSpec data turned into entries with precomputed flag/category masks, full names,
 * per-command statistics and an id for ACL bitmaps. Lookup is O(1) and case-insensitive without lowercasing on
 * the hot path: names are indexed as written lowercase and uppercase (what clients send), and only mixed case
 * falls back to toLowerCase (server.c lookupCommand uses a case-insensitive dict).
 *
 * `rename-command` (config.c) moves a command to a new name in the live table only; ACL rules and COMMAND INFO
 * keep using the original name (server.orig_commands), and an empty new name removes the command.
 */
import { effectiveCategories, flagMask, FLAG } from './categories.js';
import type { CommandSpec } from './types.js';

export interface CommandStats {
  calls: number;
  /** Microseconds spent in the handler (INFO commandstats usec). */
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

/** Commands the dispatcher treats specially (processCommand compares their procs). */
export type SpecialCommand = 'none' | 'exec' | 'discard' | 'multi' | 'watch' | 'quit' | 'reset' | 'ping' | 'subscribe';

const SPECIAL: Readonly<Record<string, SpecialCommand>> = {
  exec: 'exec',
  discard: 'discard',
  multi: 'multi',
  watch: 'watch',
  quit: 'quit',
  reset: 'reset',
  ping: 'ping',
  // the commands allowed in RESP2 subscribed mode besides PING/QUIT/RESET
  subscribe: 'subscribe',
  unsubscribe: 'subscribe',
  psubscribe: 'subscribe',
  punsubscribe: 'subscribe',
  ssubscribe: 'subscribe',
  sunsubscribe: 'subscribe',
};

export interface CommandEntry {
  readonly spec: CommandSpec;
  /** `get`, `client|kill`. */
  readonly fullName: string;
  /** Dense id (ACL command bitmaps). */
  readonly id: number;
  readonly parent: CommandEntry | null;
  readonly flags: number;
  readonly categories: number;
  /** Subcommands by lowercase name, null for plain commands. */
  readonly subcommands: Map<string, CommandEntry> | null;
  readonly special: SpecialCommand;
  readonly stats: CommandStats;
}

export class CommandRegistry {
  /** Live table: current (possibly renamed) names, lowercase and uppercase. */
  readonly #live = new Map<string, CommandEntry>();
  /** Original names → entries (top-level only). */
  readonly #orig = new Map<string, CommandEntry>();
  readonly #all: CommandEntry[] = [];
  /** Renamed commands: current lowercase name for each original one that was renamed (or '' if removed). */
  readonly #renamed = new Map<string, string>();

  /** Add (or replace) top-level commands. Replacing keeps rename-command applied. */
  register(...specs: CommandSpec[]): void {
    for (const spec of specs) {
      const name = spec.name.toLowerCase();
      const existing = this.#orig.get(name);
      // a replacement keeps the top-level id so ACL bitmaps keep their meaning; its subcommands get fresh ids
      const entry = this.#makeEntry(spec, null, existing?.id);
      this.#orig.set(name, entry);
      const current = this.#renamed.get(name) ?? name;
      if (current !== '') this.#setLive(current, entry);
    }
  }

  /**
   * Apply `rename-command` mappings (original → new, '' removes). Applied against the original names, so it is
   * idempotent; renames that no longer appear are undone.
   */
  applyRenames(renames: Readonly<Record<string, string>>): void {
    this.#renamed.clear();
    for (const [from, to] of Object.entries(renames)) this.#renamed.set(from.toLowerCase(), to.toLowerCase());
    this.#live.clear();
    for (const [name, entry] of this.#orig) {
      const current = this.#renamed.get(name) ?? name;
      if (current !== '') this.#setLive(current, entry);
    }
  }

  /** The entry for a command name as a client sent it (current names only). */
  lookup(name: string): CommandEntry | undefined {
    return this.#live.get(name) ?? this.#live.get(name.toLowerCase());
  }

  /** `get`, `client|kill`, `CLIENT|KILL`: by current top-level name (COMMAND INFO, COMMAND DOCS). */
  lookupFullName(fullName: string): CommandEntry | undefined {
    const bar = fullName.indexOf('|');
    if (bar < 0) return this.lookup(fullName);
    const parent = this.lookup(fullName.slice(0, bar));
    return parent?.subcommands?.get(fullName.slice(bar + 1).toLowerCase());
  }

  /** By original name (ACL rules); `client|kill` for subcommands. */
  lookupOriginal(fullName: string): CommandEntry | undefined {
    const lower = fullName.toLowerCase();
    const bar = lower.indexOf('|');
    if (bar < 0) return this.#orig.get(lower);
    return this.#orig.get(lower.slice(0, bar))?.subcommands?.get(lower.slice(bar + 1));
  }

  /** Top-level commands in the live table (COMMAND, COMMAND COUNT). */
  liveCommands(): CommandEntry[] {
    const seen = new Set<CommandEntry>();
    for (const e of this.#live.values()) seen.add(e);
    return [...seen];
  }

  /** Every top-level command by original name, renamed or not (ACL). */
  originalCommands(): IterableIterator<CommandEntry> {
    return this.#orig.values();
  }

  /** Every entry including subcommands, by id (ACL bitmaps are indexed by it). */
  get entries(): readonly CommandEntry[] {
    return this.#all;
  }

  /** Current name of an original command ('' if removed by rename-command). */
  currentName(original: string): string {
    return this.#renamed.get(original) ?? original;
  }

  resetStats(): void {
    for (const e of this.#all) {
      e.stats.calls = 0;
      e.stats.usec = 0;
      e.stats.rejectedCalls = 0;
      e.stats.failedCalls = 0;
    }
  }

  #setLive(name: string, entry: CommandEntry): void {
    this.#live.set(name, entry);
    this.#live.set(name.toUpperCase(), entry);
  }

  #makeEntry(spec: CommandSpec, parent: CommandEntry | null, reuseId?: number): CommandEntry {
    const lower = spec.name.toLowerCase();
    const fullName = parent === null ? lower : `${parent.fullName}|${lower}`;
    const flags = flagMask(spec.flags);
    const id = reuseId ?? this.#all.length;
    const subcommands = spec.subcommands === undefined ? null : new Map<string, CommandEntry>();
    const entry: CommandEntry = {
      spec,
      fullName,
      id,
      parent,
      flags,
      categories: effectiveCategories(flags, spec.categories, fullName),
      subcommands,
      special: parent === null ? (SPECIAL[lower] ?? 'none') : 'none',
      stats: { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 },
    };
    this.#all[id] = entry;
    if (subcommands !== null) {
      for (const sub of spec.subcommands!) subcommands.set(sub.name.toLowerCase(), this.#makeEntry(sub, entry));
    }
    return entry;
  }
}

/** Arity check (server.c commandCheckArity). */
export function arityOk(arity: number, argc: number): boolean {
  return arity > 0 ? argc === arity : argc >= -arity;
}

export function isWriteLike(flags: number): boolean {
  return (flags & (FLAG.write | FLAG.may_replicate)) !== 0;
}
