/**
 * The redis.conf line grammar (config.c loadServerConfigFromString), shared by tredis and tsentinel.
 *
 * Text is a byte string (the file read as latin1), so any byte survives a load/rewrite round trip. Each line is
 * trimmed of " \t\r\n"; blank lines and lines whose first non-blank char is `#` are skipped; the rest is split
 * with sdssplitargs (quotes and escapes); an unbalanced quote is an error on that line. Directive names are
 * case-insensitive: `name` is the ASCII-lowercased first argument (sdstolower), `args` keeps the original case.
 */
import { splitArgs } from '../split-args.js';
import { CONFIG_MESSAGES } from './messages.js';

/** Where a line came from: a file path, `(stdin)` or `(command line)`. */
export interface ConfigLine {
  /** Display name of the source (file path as given/resolved, `(stdin)`, `(command line)`). */
  readonly file: string;
  /** 1-based line number within that source. */
  readonly line: number;
  /** ASCII-lowercased directive name (`args[0]`). */
  readonly name: string;
  /** All arguments including the directive name, as written (byte strings). */
  readonly args: readonly string[];
  /** The trimmed line text, for error reports (`>>> 'text'`). */
  readonly text: string;
  /** True when the line was pulled in by an `include` (rewrite never touches those settings in the main file). */
  readonly included: boolean;
}

/** A problem tied to one line (or to a whole source when `line` is absent, e.g. an unreadable include). */
export interface ConfigIssue {
  readonly file: string;
  readonly line?: number;
  readonly text?: string;
  readonly message: string;
}

export interface ParsedText {
  readonly lines: ConfigLine[];
  readonly errors: ConfigIssue[];
}

/** Parses one source's text. Never throws; malformed lines are reported and skipped. */
export function parseConfigText(text: string, file: string, included = false): ParsedText {
  const lines: ConfigLine[] = [];
  const errors: ConfigIssue[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const trimmed = trimConfigLine(raw[i]!);
    if (trimmed === '' || trimmed[0] === '#') continue;
    const args = splitArgs(trimmed);
    if (args === null) {
      errors.push({ file, line: i + 1, text: trimmed, message: CONFIG_MESSAGES.unbalancedQuotes });
      continue;
    }
    if (args.length === 0) continue;
    lines.push({ file, line: i + 1, name: asciiLower(args[0]!), args, text: trimmed, included });
  }
  return { lines, errors };
}

/** sdstrim(line, " \t\r\n"). */
export function trimConfigLine(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && isTrim(line.charCodeAt(start))) start++;
  while (end > start && isTrim(line.charCodeAt(end - 1))) end--;
  return line.slice(start, end);
}

function isTrim(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

/** C-locale tolower over a byte string: only A-Z change, so non-ASCII bytes are left alone. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/**
 * sdscatrepr: the quoted form Redis writes for string values in a rewritten config and for command-line option
 * arguments. Always double-quoted; `\\ \" \n \r \t \a \b` escaped, other non-printable bytes (and every byte
 * ≥ 0x80, as isprint() in the C locale) as `\xHH`.
 */
export function reprArg(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c:
        out += '\\\\';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      default:
        out += c >= 0x20 && c <= 0x7e ? s[i] : `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return out + '"';
}

/**
 * Formats arguments as one config line that splitArgs reads back to the same arguments: plain when an argument
 * needs no quoting, reprArg otherwise (empty strings, spaces, quotes, control and non-ASCII bytes).
 */
export function formatConfigLine(args: readonly string[]): string {
  return args.map((a) => (/^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a) ? a : reprArg(a))).join(' ');
}
