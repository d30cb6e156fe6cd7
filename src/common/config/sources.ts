/**
 * Assembling the ordered list of config lines from the places redis-server reads them (config.c
 * loadServerConfig): the config file, then stdin (`-`), then the command-line options, so the last occurrence of
 * a directive wins. `include <path>` lines are replaced in place by the lines of the included file(s).
 *
 * Differences from Redis, all in the direction of safer failure:
 * - Every problem is collected (Redis exits on the first), each with its file and line.
 * - Includes have a depth limit and cycle detection (Redis recurses until it crashes).
 * - Sources are parsed separately, so a file lacking a final newline cannot glue its last line to stdin's first.
 * - Relative include paths resolve against `cwd` as given; Redis resolves them against the process's current
 *   directory at that moment, which a preceding `dir` directive may already have changed (chdir at load time).
 *
 * Like Redis 7.0, an include path containing `*`, `?` or `[` is a glob: matching files are read in sorted order,
 * and no match is not an error (an empty conf.d directory is fine). Globs use Redis's own matcher per path
 * component; hidden entries match only a component that starts with `.`, as with glob(3).
 */
import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { bytesToUtf8 } from '../bytes.js';
import { hasGlobChars, stringMatch } from '../glob.js';
import { parseConfigText, type ConfigIssue, type ConfigLine } from './lines.js';
import { CONFIG_MESSAGES } from './messages.js';
import { strerror } from './os-errors.js';

/** The file-system calls config loading needs (a narrow port so tests can fake every failure). */
export interface ConfigFs {
  /** The whole file as a byte string (latin1). Throws a Node system error on failure. */
  readFile(path: string): string;
  /** Canonical path, for include-cycle detection. */
  realpath(path: string): string;
  /** Entry names in a directory, for include globs. */
  readdir(path: string): string[];
}

export const nodeConfigFs: ConfigFs = {
  readFile: (path) => readFileSync(path, 'latin1'),
  realpath: (path) => realpathSync(path),
  readdir: (path) => readdirSync(path),
};

/** Reads all of stdin as a byte string (for `-`); start-up is synchronous, as in Redis. */
export function readStdinSync(): string {
  return readFileSync(0, 'latin1');
}

/** What to load: all optional, in Redis's order file → stdin → options. */
export interface ConfigSources {
  /** Path of the main config file (argv makes it absolute, as Redis does). */
  readonly file?: string | undefined;
  /** How to name the main file in error reports (the path as the user typed it); defaults to `file`. */
  readonly fileDisplay?: string | undefined;
  /** Config text read from stdin when argv had `-` (the caller does the reading). */
  readonly stdin?: string | undefined;
  /** Command-line options rendered as config text (see cli/argv.ts). */
  readonly options?: string | undefined;
}

export interface LoadOptions {
  readonly fs?: ConfigFs;
  /** Base for relative include paths; defaults to process.cwd(). */
  readonly cwd?: string;
  /** Maximum include nesting; the main file is depth 0. */
  readonly maxIncludeDepth?: number;
}

export interface LoadedLines {
  readonly lines: ConfigLine[];
  readonly errors: ConfigIssue[];
}

export const STDIN_SOURCE = '(stdin)';
export const OPTIONS_SOURCE = '(command line)';
const DEFAULT_MAX_INCLUDE_DEPTH = 16;

/** Reads and expands all sources. Never throws: unreadable files and bad lines become errors. */
export function loadConfigLines(sources: ConfigSources, opts: LoadOptions = {}): LoadedLines {
  const ctx: Ctx = {
    fs: opts.fs ?? nodeConfigFs,
    cwd: opts.cwd ?? process.cwd(),
    maxDepth: opts.maxIncludeDepth ?? DEFAULT_MAX_INCLUDE_DEPTH,
    lines: [],
    errors: [],
  };
  if (sources.file !== undefined) readFileInto(ctx, sources.file, sources.fileDisplay ?? sources.file, ROOT);
  if (sources.stdin !== undefined) expandText(ctx, sources.stdin, STDIN_SOURCE, ROOT);
  if (sources.options !== undefined) expandText(ctx, sources.options, OPTIONS_SOURCE, ROOT);
  return { lines: ctx.lines, errors: ctx.errors };
}

interface Ctx {
  readonly fs: ConfigFs;
  readonly cwd: string;
  readonly maxDepth: number;
  readonly lines: ConfigLine[];
  readonly errors: ConfigIssue[];
}

/** Where in the include chain a text is read: the canonical paths of the files above it, and its depth. */
interface Chain {
  readonly files: readonly string[];
  readonly depth: number;
  /** The include directive that pulled this text in (undefined for the top-level sources). */
  readonly from: ConfigLine | undefined;
}

const ROOT: Chain = { files: [], depth: 0, from: undefined };

function readFileInto(ctx: Ctx, path: string, display: string, chain: Chain): void {
  const from = chain.from;
  const where = from === undefined ? { file: display } : { file: from.file, line: from.line, text: from.text };
  if (chain.depth > ctx.maxDepth) {
    ctx.errors.push({ ...where, message: CONFIG_MESSAGES.includeDepth(ctx.maxDepth) });
    return;
  }
  const abs = resolve(ctx.cwd, path);
  let text: string;
  let canonical: string;
  try {
    text = ctx.fs.readFile(abs);
    canonical = ctx.fs.realpath(abs);
  } catch (err) {
    ctx.errors.push({ ...where, message: CONFIG_MESSAGES.cantOpen(display, strerror(err)) });
    return;
  }
  if (chain.files.includes(canonical)) {
    ctx.errors.push({ ...where, message: CONFIG_MESSAGES.includeCycle(display) });
    return;
  }
  expandText(ctx, text, display, { files: [...chain.files, canonical], depth: chain.depth, from });
}

function expandText(ctx: Ctx, text: string, display: string, chain: Chain): void {
  const parsed = parseConfigText(text, display, chain.depth > 0);
  ctx.errors.push(...parsed.errors);
  for (const line of parsed.lines) {
    if (line.name !== 'include') {
      ctx.lines.push(line);
      continue;
    }
    // config.c only treats `include` with exactly one argument as the directive.
    if (line.args.length !== 2) {
      ctx.errors.push({ file: line.file, line: line.line, text: line.text, message: CONFIG_MESSAGES.badDirective });
      continue;
    }
    const target = bytesToUtf8(line.args[1]!);
    const paths = hasGlobChars(target) ? expandGlob(ctx, target) : [target];
    const child: Chain = { files: chain.files, depth: chain.depth + 1, from: line };
    for (const p of paths) readFileInto(ctx, p, p, child);
  }
}

/** glob(3) over path components with Redis's matcher; sorted, no match → empty list. */
function expandGlob(ctx: Ctx, pattern: string): string[] {
  const absolute = isAbsolute(pattern);
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let bases: string[] = [absolute ? '/' : ''];
  for (const part of parts) {
    if (part === '') continue;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasGlobChars(part)) {
        next.push(join(base, part));
        continue;
      }
      let names: string[];
      try {
        names = ctx.fs.readdir(resolve(ctx.cwd, base === '' ? '.' : base));
      } catch {
        continue;
      }
      const matches = names.filter((n) => (n[0] !== '.' || part[0] === '.') && stringMatch(part, n)).sort();
      for (const n of matches) next.push(join(base, n));
    }
    bases = next;
  }
  return bases.filter((b) => b !== '' && b !== '/');
}

function join(base: string, name: string): string {
  if (base === '') return name;
  return base.endsWith('/') ? base + name : `${base}/${name}`;
}
