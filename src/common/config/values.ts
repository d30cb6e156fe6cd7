/**
 * Value parsers and ready-made directive builders for the common config types, with Redis 7.0's texts and
 * formats (config.c bool/enum/numeric/string configs, util.c string2ll/memtoull, rewriteConfigFormatMemory).
 *
 * A builder takes a lens over the daemon's config object (`read`/`write`) and returns a complete DirectiveSpec:
 * parse + validate on load and CONFIG SET, CONFIG GET rendering, and a rewrite that is omitted at the default
 * unless the file already has the line.
 */
import { CONFIG_MESSAGES, enumMessage, rangeMessage } from './messages.js';
import { asciiLower, reprArg } from './lines.js';
import type { ApplyFn, DirectiveSpec, RewriteOutput } from './schema.js';

/** yesnotoi: case-insensitive `yes`/`no`. */
export function parseYesNo(s: string): boolean | undefined {
  const l = asciiLower(s);
  return l === 'yes' ? true : l === 'no' ? false : undefined;
}

/**
 * string2ll: optional `-`, no leading zeros (except "0"), no `+`, no spaces. Values beyond JS's safe integer
 * range are rejected too, since config values are carried as numbers.
 */
export function parseInteger(s: string): number | undefined {
  if (!/^(0|-?[1-9][0-9]*)$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

const MEMORY_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 * 1000,
  mb: 1024 * 1024,
  g: 1000 * 1000 * 1000,
  gb: 1024 * 1024 * 1024,
};

/** memtoull: digits plus an optional case-insensitive unit (b, k, kb, m, mb, g, gb); no sign. */
export function parseMemory(s: string): number | undefined {
  const m = /^([0-9]*)([A-Za-z]*)$/.exec(s);
  if (m === null) return undefined;
  const mul = MEMORY_UNITS[asciiLower(m[2]!)];
  if (mul === undefined) return undefined;
  const n = m[1] === '' ? 0 : Number(m[1]) * mul; // strtoull("") is 0 in glibc, so Redis accepts "" and "kb"
  return Number.isSafeInteger(n) ? n : undefined;
}

/** rewriteConfigFormatMemory: the largest exact unit among gb, mb, kb. */
export function formatMemory(bytes: number): string {
  const gb = 1024 * 1024 * 1024;
  const mb = 1024 * 1024;
  const kb = 1024;
  if (bytes !== 0 && bytes % gb === 0) return `${bytes / gb}gb`;
  if (bytes !== 0 && bytes % mb === 0) return `${bytes / mb}mb`;
  if (bytes !== 0 && bytes % kb === 0) return `${bytes / kb}kb`;
  return String(bytes);
}

/** A rewrite of one line, forced only when the value differs from the default. */
export function rewriteLine(line: string, isDefault: boolean): RewriteOutput {
  return { lines: [line], force: !isDefault };
}

/** Rewrite output that deletes every existing line of the directive (rewriteConfigMarkAsProcessed). */
export const REWRITE_REMOVE: RewriteOutput = { lines: [], force: false };

interface Common<C> {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly mutable?: boolean;
  readonly hidden?: boolean;
  readonly sensitive?: boolean;
  readonly apply?: ApplyFn<C>;
  readonly phase?: number;
}

interface Lens<C, V> {
  read(cfg: C): V;
  write(cfg: C, value: V): void;
  /** Extra validation after parsing; return an error message to reject. */
  validate?(value: V): string | undefined;
}

function common<C>(o: Common<C>): Omit<DirectiveSpec<C>, 'set' | 'args'> {
  return {
    name: o.name,
    ...(o.aliases !== undefined ? { aliases: o.aliases } : {}),
    ...(o.mutable !== undefined ? { mutable: o.mutable } : {}),
    ...(o.hidden !== undefined ? { hidden: o.hidden } : {}),
    ...(o.sensitive !== undefined ? { sensitive: o.sensitive } : {}),
    ...(o.apply !== undefined ? { apply: o.apply } : {}),
    ...(o.phase !== undefined ? { phase: o.phase } : {}),
  };
}

function store<C, V>(o: Lens<C, V>, cfg: C, value: V): string | undefined {
  const err = o.validate?.(value);
  if (err !== undefined) return err;
  o.write(cfg, value);
  return undefined;
}

export function boolDirective<C>(o: Common<C> & Lens<C, boolean> & { readonly default: boolean }): DirectiveSpec<C> {
  return {
    ...common(o),
    args: 1,
    set(cfg, args) {
      const v = parseYesNo(args[0]!);
      return v === undefined ? CONFIG_MESSAGES.yesNo : store(o, cfg, v);
    },
    get: (cfg) => (o.read(cfg) ? 'yes' : 'no'),
    rewrite: (cfg) => rewriteLine(`${o.name} ${o.read(cfg) ? 'yes' : 'no'}`, o.read(cfg) === o.default),
  };
}

/** An enum stored as its canonical (lowercase) name; input is case-insensitive. */
export function enumDirective<C, V extends string>(
  o: Common<C> & Lens<C, V> & { readonly values: readonly V[]; readonly default: V },
): DirectiveSpec<C> {
  return {
    ...common(o),
    args: 1,
    set(cfg, args) {
      const l = asciiLower(args[0]!);
      const v = o.values.find((x) => x === l);
      return v === undefined ? enumMessage(o.values) : store(o, cfg, v);
    },
    get: (cfg) => o.read(cfg),
    rewrite: (cfg) => rewriteLine(`${o.name} ${o.read(cfg)}`, o.read(cfg) === o.default),
  };
}

export function intDirective<C>(
  o: Common<C> & Lens<C, number> & { readonly min: number; readonly max: number; readonly default: number },
): DirectiveSpec<C> {
  return {
    ...common(o),
    args: 1,
    set(cfg, args) {
      const v = parseInteger(args[0]!);
      if (v === undefined) return CONFIG_MESSAGES.notInteger;
      if (v < o.min || v > o.max) return rangeMessage(o.min, o.max);
      return store(o, cfg, v);
    },
    get: (cfg) => String(o.read(cfg)),
    rewrite: (cfg) => rewriteLine(`${o.name} ${o.read(cfg)}`, o.read(cfg) === o.default),
  };
}

/** Bytes with units on input; CONFIG GET shows plain bytes, rewrite the largest exact unit (`100mb`). */
export function memoryDirective<C>(
  o: Common<C> & Lens<C, number> & { readonly min?: number; readonly max?: number; readonly default: number },
): DirectiveSpec<C> {
  const min = o.min ?? 0;
  const max = o.max ?? Number.MAX_SAFE_INTEGER;
  return {
    ...common(o),
    args: 1,
    set(cfg, args) {
      const v = parseMemory(args[0]!);
      if (v === undefined) return CONFIG_MESSAGES.notMemory;
      if (v < min || v > max) return rangeMessage(min, max);
      return store(o, cfg, v);
    },
    get: (cfg) => String(o.read(cfg)),
    rewrite: (cfg) => rewriteLine(`${o.name} ${formatMemory(o.read(cfg))}`, o.read(cfg) === o.default),
  };
}

/**
 * A string (byte string). With `emptyIsNull`, "" means unset (stored as null), shown as "" by CONFIG GET and
 * never written by rewrite (rewriteConfigStringOption drops NULL strings). Rewrite quotes with sdscatrepr.
 */
export function stringDirective<C>(
  o: Common<C> & Lens<C, string | null> & { readonly default: string | null; readonly emptyIsNull?: boolean },
): DirectiveSpec<C> {
  return {
    ...common(o),
    args: 1,
    set(cfg, args) {
      const raw = args[0]!;
      return store(o, cfg, o.emptyIsNull === true && raw === '' ? null : raw);
    },
    get: (cfg) => o.read(cfg) ?? '',
    rewrite(cfg) {
      const v = o.read(cfg);
      if (v === null) return REWRITE_REMOVE;
      return rewriteLine(`${o.name} ${reprArg(v)}`, v === o.default);
    },
  };
}
