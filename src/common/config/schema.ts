/**
 * Directive tables: how a daemon declares its configuration once and gets file loading, CONFIG GET, CONFIG SET
 * and CONFIG REWRITE from it (the shape of Redis 7.0's `standardConfig` table in config.c, minus the globals).
 *
 * A daemon owns a plain-data config object `C` (structuredClone-able: no functions, no class instances) and a
 * table of entries over it:
 *
 * - `DirectiveSpec<C>`: one directive (`port`, `save`, `replicaof` with alias `slaveof`, …). It says how many
 *   arguments it takes, how to parse/validate/store them (`set`, returning an error message or undefined), how
 *   CONFIG GET shows it (`get`; absent → not a CONFIG GET parameter, like `include` or `user`), whether CONFIG SET
 *   may change it (`mutable`), what to push to the running system after a CONFIG SET (`apply`), and what CONFIG
 *   REWRITE writes (`rewrite`; absent → lines left as they are).
 * - `FamilySpec<C>`: a directive whose first argument selects a member (`sentinel monitor …`,
 *   `sentinel known-replica …`). Members are DirectiveSpecs whose `args` count what follows the member name.
 *   An unknown member or a wrong count gives the family's message (sentinel.c: `Unrecognized sentinel
 *   configuration statement.`). A bare `sentinel` line is skipped by the loader, as config.c does.
 *
 * Ordering: lines are applied in file order within a `phase` (default 0), phases ascending. sentinel.c needs this
 * (announce-ip/myid/current-epoch first, then `monitor`, then per-master options that need the master to exist).
 *
 * Repetition: a single-valued directive given twice takes the last value. A `repeatable` directive accumulates;
 * its `set` receives `ctx.occurrence` (0 for the first line of this load) so it can drop built-in defaults on the
 * first line and append on the next ones (config.c `save`: the first `save` line replaces the default schedule).
 *
 * Rewrite keys: a directive's lines are grouped under its canonical name (`slaveof` lines under `replicaof`,
 * as rewriteConfigReadOldFile's slave→replica translation does); family members under `<family> <member>`
 * (`sentinel known-replica`), as sentinel mode does, optionally refined by leading arguments
 * (`rewriteKeyArgs`: `sentinel known-replica mymaster`). See rewrite.ts for how the groups are replaced.
 */
import { CONFIG_MESSAGES } from './messages.js';
import type { ConfigLine } from './lines.js';
import { asciiLower } from './lines.js';

/** Arguments after the directive (or member) name: an exact count or a range. */
export type ArgCount = number | { readonly min: number; readonly max?: number };

export interface SetContext {
  /** 'load' while reading config files and argv, 'config-set' for CONFIG SET. */
  readonly source: 'load' | 'config-set';
  /** How many earlier lines of this directive (same entry) this load applied; 0 for CONFIG SET. */
  readonly occurrence: number;
  /** The line being applied, when loading. */
  readonly line?: ConfigLine;
}

/** What CONFIG REWRITE should do with a directive's lines. */
export interface RewriteOutput {
  /** Complete lines to write (directive name included). Empty → delete the directive's existing lines. */
  readonly lines: readonly string[];
  /**
   * Write even if the file does not mention the directive yet. Redis forces non-default values; a value at its
   * default still replaces an existing line but is not appended (rewriteConfigRewriteLine).
   */
  readonly force: boolean;
}

/** Pushes a changed setting into the running system after CONFIG SET; returns an error message to roll back. */
export type ApplyFn<C> = (cfg: C) => string | undefined | Promise<string | undefined>;

export interface DirectiveSpec<C> {
  readonly kind?: 'directive';
  /** Canonical lowercase name, as CONFIG GET and CONFIG REWRITE show it. */
  readonly name: string;
  /** Other accepted names (lowercase). CONFIG GET lists each as its own parameter, as Redis does. */
  readonly aliases?: readonly string[];
  /** Arguments after the name. */
  readonly args: ArgCount;
  /**
   * Message for a wrong argument count. Default `wrong number of arguments` (Redis's standard configs);
   * directives from config.c's special-case chain (rename-command, user, …) use
   * `Bad directive or wrong number of arguments`.
   */
  readonly arityMessage?: string;
  /**
   * Redis MULTI_ARG_CONFIG: a single non-empty argument is split with sdssplitargs on load (`--save "900 1"`),
   * and a CONFIG SET value is split on single spaces (`CONFIG SET save "3600 1 300 100"`).
   */
  readonly multiArg?: boolean;
  /** Several lines accumulate instead of overriding (see the header). */
  readonly repeatable?: boolean;
  readonly phase?: number;
  /** Parse, validate and store `args` (after the name) into `cfg`; return an error message on failure. */
  set(cfg: C, args: readonly string[], ctx: SetContext): string | undefined;
  /** CONFIG GET value; absent → not visible to CONFIG GET or CONFIG SET. */
  get?(cfg: C): string;
  /** CONFIG SET may change it (otherwise `can't set immutable config`). */
  readonly mutable?: boolean;
  /** Not matched by CONFIG GET patterns, only by its exact name (Redis HIDDEN_CONFIG). */
  readonly hidden?: boolean;
  /** A secret: loggers and CONFIG SET echoes must not show it. */
  readonly sensitive?: boolean;
  /** Runs after CONFIG SET stored new values; one call per distinct function, as config.c dedups apply_fns. */
  readonly apply?: ApplyFn<C>;
  /** What CONFIG REWRITE writes; absent → existing lines are left untouched and nothing is appended. */
  rewrite?(cfg: C): RewriteOutput;
  /**
   * Family members only: how many arguments after the member name join the rewrite key. Redis keys sentinel
   * lines by member alone (0, the default), so a master's `known-replica` lines may move into another master's
   * old slots; with 1 the key is `sentinel known-replica <master>` and each master's lines stay in place.
   */
  readonly rewriteKeyArgs?: number;
}

export interface FamilySpec<C> {
  readonly kind: 'family';
  /** Lowercase family keyword (`sentinel`). */
  readonly name: string;
  /** Error for an unknown member or a member with the wrong number of arguments. */
  readonly unknownMessage: string;
  readonly members: readonly DirectiveSpec<C>[];
  /**
   * Rewrite output for the whole family, in order (sentinel.c rewriteConfigSentinelOption writes all of it).
   * Grouped by member: each member's lines replace that member's existing lines.
   */
  rewrite?(cfg: C): ReadonlyArray<{ readonly member: string; readonly output: RewriteOutput }>;
}

export type TableEntry<C> = DirectiveSpec<C> | FamilySpec<C>;

/** A resolved name: the spec and the name it was found under (canonical or alias). */
export interface Found<C> {
  readonly spec: DirectiveSpec<C>;
  /** The name as listed in the table (lowercase): `slave-priority` when looked up by that alias. */
  readonly entryName: string;
  /** Rewrite key (`replicaof`, `sentinel known-replica`). */
  readonly key: string;
  readonly family?: FamilySpec<C>;
}

export interface ConfigTable<C> {
  readonly entries: readonly TableEntry<C>[];
  /** Plain directives in table order (no family members). */
  readonly directives: readonly DirectiveSpec<C>[];
  readonly families: readonly FamilySpec<C>[];
  /** Case-insensitive lookup of a plain directive by name or alias. */
  lookup(name: string): Found<C> | undefined;
  /** Case-insensitive lookup of a family member. */
  lookupMember(family: string, member: string): Found<C> | undefined;
  family(name: string): FamilySpec<C> | undefined;
  /**
   * Rewrite key for a config line's arguments, or undefined when the table does not know the line:
   * the canonical name, or `<family> <member>` (plus `rewriteKeyArgs` arguments) for family members.
   */
  keyOf(args: readonly string[]): string | undefined;
}

/** Builds the lookup maps; duplicate names are a programming error and throw at start-up. */
export function defineConfigTable<C>(entries: readonly TableEntry<C>[]): ConfigTable<C> {
  const byName = new Map<string, Found<C>>();
  const families = new Map<string, { spec: FamilySpec<C>; members: Map<string, Found<C>> }>();
  const directives: DirectiveSpec<C>[] = [];
  const claim = (map: Map<string, Found<C>>, name: string, found: Found<C>, where: string): void => {
    if (name !== asciiLower(name)) throw new Error(`config table: name '${name}' must be lowercase`);
    if (map.has(name) || (map === byName && families.has(name))) {
      throw new Error(`config table: duplicate name '${name}'${where}`);
    }
    map.set(name, found);
  };
  for (const entry of entries) {
    if (entry.kind === 'family') {
      if (byName.has(entry.name) || families.has(entry.name)) {
        throw new Error(`config table: duplicate name '${entry.name}'`);
      }
      const members = new Map<string, Found<C>>();
      for (const m of entry.members) {
        const key = `${entry.name} ${m.name}`;
        for (const n of [m.name, ...(m.aliases ?? [])]) {
          claim(members, n, { spec: m, entryName: n, key, family: entry }, ` in family '${entry.name}'`);
        }
      }
      families.set(entry.name, { spec: entry, members });
    } else {
      directives.push(entry);
      for (const n of [entry.name, ...(entry.aliases ?? [])]) {
        claim(byName, n, { spec: entry, entryName: n, key: entry.name }, '');
      }
    }
  }
  return {
    entries,
    directives,
    families: [...families.values()].map((f) => f.spec),
    lookup: (name) => byName.get(asciiLower(name)),
    lookupMember: (family, member) => families.get(asciiLower(family))?.members.get(asciiLower(member)),
    family: (name) => families.get(asciiLower(name))?.spec,
    keyOf(args) {
      const first = args[0];
      if (first === undefined) return undefined;
      const fam = families.get(asciiLower(first));
      if (fam !== undefined) {
        const member = args[1];
        const found = member === undefined ? undefined : fam.members.get(asciiLower(member));
        if (found === undefined) return undefined;
        const extra = found.spec.rewriteKeyArgs ?? 0;
        return extra > 0 ? [found.key, ...args.slice(2, 2 + extra)].join(' ') : found.key;
      }
      return byName.get(asciiLower(first))?.key;
    },
  };
}

/** Whether `n` arguments satisfy `count`. */
export function arityOk(count: ArgCount, n: number): boolean {
  if (typeof count === 'number') return n === count;
  return n >= count.min && (count.max === undefined || n <= count.max);
}

/** The arity error text for a directive. */
export function arityError<C>(spec: DirectiveSpec<C>): string {
  return spec.arityMessage ?? CONFIG_MESSAGES.wrongArgCount;
}
