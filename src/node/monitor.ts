/**
 * MONITOR (replication.c replicationFeedMonitors, Redis 7.0): every command a client ran — except admin and
 * skip_monitor ones — is streamed to monitoring clients as
 *   +<unix seconds>.<µs> [<db> <client addr>] "arg" "arg" …
 * with arguments quoted as sdscatrepr does and secrets redacted (AUTH, HELLO … AUTH, MIGRATE … AUTH/AUTH2).
 */
import type { CommandContext, Session } from '../server/types.js';

/** sdscatrepr: printable bytes as is, `\\` `\"` `\n` `\r` `\t` `\a` `\b` escaped, others as \xHH. */
export function repr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c >= 0x20 && c <= 0x7e) out += ch;
    else out += '\\x' + c.toString(16).padStart(2, '0');
  }
  return out + '"';
}

/** The argv as MONITOR shows it (redactClientCommandArgument). */
export function redacted(args: readonly string[]): string[] {
  const out = [...args];
  const name = (out[0] ?? '').toLowerCase();
  const hide = (i: number): void => {
    if (i < out.length) out[i] = '(redacted)';
  };
  if (name === 'auth') for (let i = 1; i < out.length; i++) hide(i);
  else if (name === 'hello') {
    for (let i = 2; i < out.length; i++) {
      if (out[i]!.toLowerCase() === 'auth') {
        hide(i + 1);
        hide(i + 2);
        i += 2;
      }
    }
  } else if (name === 'migrate') {
    for (let i = 6; i < out.length; i++) {
      const o = out[i]!.toLowerCase();
      if (o === 'auth') hide(++i);
      else if (o === 'auth2') {
        hide(++i);
        hide(++i);
      }
    }
  }
  return out;
}

export class Monitors {
  readonly #sessions = new Set<Session>();

  get size(): number {
    return this.#sessions.size;
  }

  add(s: Session): void {
    this.#sessions.add(s);
  }

  remove(s: Session): void {
    this.#sessions.delete(s);
  }

  /** After a command ran: send its line to every monitor. `nowUs` is wall-clock microseconds. */
  feed(ctx: CommandContext, args: readonly string[], nowUs: number): void {
    if (this.#sessions.size === 0) return;
    const flags = ctx.command.flags;
    if (flags.includes('admin') || flags.includes('skip_monitor')) return;
    const s = ctx.session;
    const sec = Math.floor(nowUs / 1e6);
    const usec = String(nowUs % 1e6).padStart(6, '0');
    const line = `+${sec}.${usec} [${s.db} ${s.addr}] ${redacted(args).map(repr).join(' ')}\r\n`;
    const buf = Buffer.from(line, 'latin1');
    for (const m of this.#sessions) m.send(buf);
  }
}
