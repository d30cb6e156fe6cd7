/**
 * Applying config lines to a daemon's config object (config.c loadServerConfigFromString, minus the exit on the
 * first error): every line is checked, and every problem is returned with its file, line and text.
 */
import { splitArgs } from '../split-args.js';
import type { ConfigIssue, ConfigLine } from './lines.js';
import { loadConfigLines, type ConfigSources, type LoadOptions } from './sources.js';
import { CONFIG_MESSAGES } from './messages.js';
import { arityError, arityOk, type ConfigTable, type Found } from './schema.js';

export interface LoadResult<C> {
  /** The config after every valid line was applied (meaningful only when `errors` is empty). */
  readonly config: C;
  readonly errors: ConfigIssue[];
}

/**
 * Applies `lines` (from loadConfigLines) on a copy of `defaults`. Lines are applied by phase, then in order, so
 * the last occurrence of a single-valued directive wins.
 */
export function applyConfigLines<C>(table: ConfigTable<C>, lines: readonly ConfigLine[], defaults: C): LoadResult<C> {
  const config = structuredClone(defaults);
  const problems: Array<{ issue: ConfigIssue; order: number }> = [];
  const planned: Array<{ line: ConfigLine; found: Found<C>; args: readonly string[]; order: number }> = [];

  lines.forEach((line, order) => {
    const issue = (message: string): void => {
      problems.push({ issue: { file: line.file, line: line.line, text: line.text, message }, order });
    };
    const family = table.family(line.name);
    if (family !== undefined) {
      // config.c: "argc == 1 is handled by main()" — the bare keyword only selects sentinel mode.
      if (line.args.length === 1) return;
      const found = table.lookupMember(line.name, line.args[1]!);
      const args = line.args.slice(2);
      if (found === undefined || !arityOk(found.spec.args, args.length)) return issue(family.unknownMessage);
      planned.push({ line, found, args, order });
      return;
    }
    const found = table.lookup(line.name);
    if (found === undefined) return issue(CONFIG_MESSAGES.badDirective);
    let args = line.args.slice(1);
    // config.c (7.0.x): a multi-arg config given one non-empty argument has it split, so `--save "900 1"` works.
    if (found.spec.multiArg === true && args.length === 1 && args[0] !== '') {
      const split = splitArgs(args[0]!);
      if (split === null) return issue(CONFIG_MESSAGES.unbalancedQuotes);
      args = split;
    }
    if (!arityOk(found.spec.args, args.length)) return issue(arityError(found.spec));
    planned.push({ line, found, args, order });
  });

  planned.sort((a, b) => (a.found.spec.phase ?? 0) - (b.found.spec.phase ?? 0) || a.order - b.order);
  const seen = new Map<object, number>();
  for (const { line, found, args, order } of planned) {
    const occurrence = seen.get(found.spec) ?? 0;
    seen.set(found.spec, occurrence + 1);
    let message: string | undefined;
    try {
      message = found.spec.set(config, args, { source: 'load', occurrence, line });
    } catch (err) {
      // A setter that throws is a bug, but start-up must still end in a report, not a stack trace.
      message = err instanceof Error ? err.message : String(err);
    }
    if (message !== undefined) {
      problems.push({ issue: { file: line.file, line: line.line, text: line.text, message }, order });
    }
  }
  // Report in source order whatever the phase order was.
  problems.sort((a, b) => a.order - b.order);
  return { config, errors: problems.map((e) => e.issue) };
}

/**
 * Everything start-up needs in one call: read the sources (file, stdin, argv options, includes), apply them to
 * `defaults`, and return the config with every problem found. `lines` is kept for the rewrite (keysFromIncludes).
 */
export function loadConfig<C>(
  table: ConfigTable<C>,
  defaults: C,
  sources: ConfigSources,
  opts: LoadOptions = {},
): LoadResult<C> & { readonly lines: readonly ConfigLine[] } {
  const read = loadConfigLines(sources, opts);
  const applied = applyConfigLines(table, read.lines, defaults);
  return { config: applied.config, errors: [...read.errors, ...applied.errors], lines: read.lines };
}
