/**
 * CONFIG GET and CONFIG SET over a directive table, with Redis 7.0 semantics (config.c configGetCommand,
 * configSetCommand). The command handlers stay thin: they format the result as a map reply or an error reply.
 */
import { hasGlobChars, stringMatch } from '../glob.js';
import { CONFIG_MESSAGES } from './messages.js';
import { arityError, arityOk, type ApplyFn, type ConfigTable, type DirectiveSpec, type Found } from './schema.js';

/**
 * CONFIG GET: for each argument, an exact (case-insensitive) name returns that parameter under the name as typed;
 * a glob (`*`, `?`, `[`) matches every visible name and alias, case-insensitively, under its table name. Each name
 * appears once. Order is request order, then table order (Redis returns hash-table order; clients read a map).
 */
export function configGet<C>(table: ConfigTable<C>, cfg: C, patterns: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const seen = new Set<string>();
  const add = (key: string, spec: DirectiveSpec<C>): void => {
    if (seen.has(key) || spec.get === undefined) return;
    seen.add(key);
    out.push([key, spec.get(cfg)]);
  };
  for (const pattern of patterns) {
    if (!hasGlobChars(pattern)) {
      const found = table.lookup(pattern);
      if (found !== undefined) add(pattern, found.spec);
      continue;
    }
    for (const spec of table.directives) {
      if (spec.hidden === true || spec.get === undefined) continue;
      for (const name of [spec.name, ...(spec.aliases ?? [])]) {
        if (stringMatch(pattern, name, true)) add(name, spec);
      }
    }
  }
  return out;
}

/** Why a CONFIG SET was refused; `name` is what config.c puts in the message. */
export type ConfigSetError =
  | { readonly kind: 'unknown'; readonly name: string }
  | { readonly kind: 'immutable' | 'duplicate'; readonly name: string }
  | { readonly kind: 'invalid' | 'apply'; readonly name: string; readonly reason: string | undefined };

export type PreparedSet<C> =
  | {
      readonly ok: true;
      readonly config: C;
      readonly changed: readonly string[];
      readonly applies: ReadonlyArray<{ readonly fn: ApplyFn<C>; readonly name: string }>;
    }
  | { readonly ok: false; readonly error: ConfigSetError };

/**
 * The pure half of CONFIG SET: resolve every name first (unknown, immutable and duplicate names refuse the whole
 * command, first problem reported), then set every value on a copy of `current`. Any invalid value refuses the
 * whole command, so the caller's config is never half-changed (Redis 7.0 restores its backups the same way).
 * `applies` lists the distinct apply functions of the parameters whose value changed, in order.
 */
export function prepareConfigSet<C>(
  table: ConfigTable<C>,
  current: C,
  pairs: ReadonlyArray<readonly [string, string]>,
): PreparedSet<C> {
  const resolved: Array<{ found: Found<C>; value: string }> = [];
  let first: ConfigSetError | undefined;
  const typed = new Set<string>();
  for (const [name, value] of pairs) {
    const found = table.lookup(name);
    let problem: ConfigSetError | undefined;
    if (found === undefined || found.spec.get === undefined) problem = { kind: 'unknown', name };
    else if (found.spec.mutable !== true) problem = { kind: 'immutable', name };
    // config.c compares config entries, and an alias is its own entry: `slave-priority 1 replica-priority 2` is
    // not a duplicate (the later one wins), but `maxmemory 1 MAXMEMORY 2` is.
    else if (typed.has(found.entryName)) problem = { kind: 'duplicate', name };
    if (found !== undefined) typed.add(found.entryName);
    if (problem !== undefined) {
      first ??= problem;
      continue;
    }
    resolved.push({ found: found!, value });
  }
  if (first !== undefined) return { ok: false, error: first };

  const next = structuredClone(current);
  const changed: string[] = [];
  const applies: Array<{ fn: ApplyFn<C>; name: string }> = [];
  for (const { found, value } of resolved) {
    const spec = found.spec;
    const args = spec.multiArg === true ? splitOnSpaces(value) : [value];
    const before = spec.get!(next);
    let reason: string | undefined;
    if (!arityOk(spec.args, args.length)) reason = arityError(spec);
    else {
      try {
        reason = spec.set(next, args, { source: 'config-set', occurrence: 0 });
      } catch (err) {
        reason = err instanceof Error ? err.message : String(err);
      }
    }
    if (reason !== undefined) return { ok: false, error: { kind: 'invalid', name: found.entryName, reason } };
    if (spec.get!(next) !== before) {
      changed.push(spec.name);
      const fn = spec.apply;
      if (fn !== undefined && !applies.some((a) => a.fn === fn)) applies.push({ fn, name: spec.name });
    }
  }
  return { ok: true, config: next, changed, applies };
}

export type ConfigSetResult<C> = { readonly ok: true; readonly config: C; readonly changed: readonly string[] } | {
  readonly ok: false;
  readonly error: ConfigSetError;
};

/**
 * CONFIG SET end to end: prepare, then run the apply functions on the new config. If one fails, the ones already
 * run are re-run on `current` to put the running system back (config.c restoreBackupConfig), and the error names
 * the parameter whose apply failed. On success the caller adopts `result.config`.
 */
export async function configSet<C>(
  table: ConfigTable<C>,
  current: C,
  pairs: ReadonlyArray<readonly [string, string]>,
): Promise<ConfigSetResult<C>> {
  const prepared = prepareConfigSet(table, current, pairs);
  if (!prepared.ok) return prepared;
  const done: ApplyFn<C>[] = [];
  for (const { fn, name } of prepared.applies) {
    let reason: string | undefined;
    try {
      reason = await fn(prepared.config);
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    if (reason !== undefined) {
      for (const undo of [...done, fn]) {
        try {
          await undo(current);
        } catch {
          // Best effort, as Redis only logs a failed restore.
        }
      }
      return { ok: false, error: { kind: 'apply', name, reason } };
    }
    done.push(fn);
  }
  return { ok: true, config: prepared.config, changed: prepared.changed };
}

/** The reply text (without `-`) Redis sends for a refused CONFIG SET. */
export function configSetErrorReply(error: ConfigSetError): string {
  switch (error.kind) {
    case 'unknown':
      return `ERR ${CONFIG_MESSAGES.setUnknown(error.name)}`;
    case 'immutable':
      return `ERR ${CONFIG_MESSAGES.setFailed(error.name, CONFIG_MESSAGES.setImmutable)}`;
    case 'duplicate':
      return `ERR ${CONFIG_MESSAGES.setFailed(error.name, CONFIG_MESSAGES.setDuplicate)}`;
    case 'invalid':
    case 'apply':
      return error.reason === undefined
        ? `ERR ${CONFIG_MESSAGES.setFailedNoReason(error.name)}`
        : `ERR ${CONFIG_MESSAGES.setFailed(error.name, error.reason)}`;
  }
}

/** performInterfaceSet: multi-arg values split on single spaces (sdssplitlen); "" is no arguments. */
function splitOnSpaces(value: string): string[] {
  return value === '' ? [] : value.split(' ');
}
