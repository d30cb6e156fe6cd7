/** Small helpers shared by the core command families. */
import type { RespWriter } from '../../resp/writer.js';

/**
 * util.c string2ll: an optional '-', then digits without leading zeros (except "0" itself); nothing else.
 * Values beyond ±2^53 are refused (they would not survive as JS numbers).
 */
export function parseInteger(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    neg = true;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48) return n === i + 1 && !neg ? 0 : null;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  if (v > Number.MAX_SAFE_INTEGER) return null;
  return neg ? -v : v;
}

/** addReplyHelp: the usage line, the subcommand lines, then HELP, all as status replies. */
export function replyHelp(w: RespWriter, command: string, lines: readonly string[]): void {
  w.array(lines.length + 3);
  w.simple(`${command} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`);
  for (const l of lines) w.simple(l);
  w.simple('HELP');
  w.simple('    Prints this help.');
}

/** CLIENT SETNAME / HELLO SETNAME / CLIENT SETINFO validation: printable ASCII without spaces. */
export function validClientAttr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}
