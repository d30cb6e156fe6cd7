/**
 * Server commands of the node (server.c, config.c, debug.c, eval.c): INFO, CONFIG GET/SET/REWRITE/RESETSTAT,
 * TIME, DEBUG (SLEEP, RELOAD, SET-ACTIVE-EXPIRE, OBJECT, LOG, HELP), SCRIPT (KILL/FLUSH/EXISTS/HELP — tredis has
 * no scripting, so nothing is ever busy), SHUTDOWN. What they act on is reached through ServerPorts, which the
 * composition root implements.
 */
import type { CommandContext, CommandSpec } from '../../server/types.js';
import { dbOf, type NodeContext } from '../context.js';
import { ERR } from './errors.js';
import { CONFIG_HELP, DEBUG_HELP, SCRIPT_HELP } from './help-texts.js';
import { container, spec } from './table.js';

export interface ShutdownFlags {
  readonly save: boolean;
  readonly nosave: boolean;
  readonly now: boolean;
  readonly force: boolean;
}

export interface ServerPorts {
  /** INFO text for the arguments after INFO. */
  info(args: readonly string[]): string;
  configGet(patterns: readonly string[]): Array<[string, string]>;
  /** Error reply text, or null when applied. */
  configSet(pairs: ReadonlyArray<readonly [string, string]>): Promise<string | null>;
  configRewrite(): string | null;
  configResetStat(): void;
  /** Wall-clock microseconds (TIME). */
  nowUs(): number;
  /** enable-debug-command allows this client (yes, or local and the client is local). */
  debugAllowed(ctx: CommandContext): boolean;
  /** DEBUG RELOAD; error text or null. */
  debugReload(opts: { nosave: boolean; merge: boolean }): string | null;
  setActiveExpire(on: boolean): void;
  log(msg: string): void;
  /**
   * SHUTDOWN: resolves to an error text when the node keeps running, or never settles/`null` once it is
   * exiting (the client then just sees the connection close, as with Redis).
   */
  shutdown(flags: ShutdownFlags): Promise<string | null>;
  /** SHUTDOWN ABORT: whether a shutdown was waiting. */
  shutdownAbort(): boolean;
  /** MONITOR: start streaming executed commands to this client. */
  monitor(ctx: CommandContext): void;
}

const DEBUG_DENIED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

/** strtod as DEBUG SLEEP uses it: leading number, anything after ignored, no number → 0. */
function looseFloat(s: string): number {
  const m = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(s);
  return m === null ? 0 : Number(m[0]);
}

/** atoi. */
function atoi(s: string): number {
  const m = /^\s*[+-]?\d+/.exec(s);
  return m === null ? 0 : Number.parseInt(m[0], 10);
}

/** Block the whole process, as DEBUG SLEEP blocks Redis's event loop (sentinel tests rely on it). */
function sleepSync(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.min(ms, 2 ** 31 - 1));
}

function helpReply(ctx: CommandContext, lines: readonly string[]): void {
  ctx.reply.array(lines.length);
  for (const l of lines) ctx.reply.simple(l);
}

function subcommandSyntax(sub: string, cmd: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try ${cmd} HELP.`;
}

export function serverCommands(node: NodeContext, ports: ServerPorts): CommandSpec[] {
  function debug(ctx: CommandContext, args: string[]): void {
    if (!ports.debugAllowed(ctx)) return ctx.reply.error(DEBUG_DENIED);
    const sub = args[1]!.toLowerCase();
    const n = args.length;
    if (sub === 'help' && n === 2) return helpReply(ctx, DEBUG_HELP);
    if (sub === 'sleep' && n === 3) {
      sleepSync(looseFloat(args[2]!) * 1000);
      return ctx.reply.ok();
    }
    if (sub === 'set-active-expire' && n === 3) {
      ports.setActiveExpire(atoi(args[2]!) !== 0);
      return ctx.reply.ok();
    }
    if (sub === 'reload') {
      let nosave = false;
      let merge = false;
      for (let i = 2; i < n; i++) {
        const o = args[i]!.toLowerCase();
        if (o === 'nosave') nosave = true;
        else if (o === 'merge') merge = true;
        else if (o === 'noflush') continue;
        else return ctx.reply.error('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
      }
      const err = ports.debugReload({ nosave, merge });
      return err === null ? ctx.reply.ok() : ctx.reply.error(err);
    }
    if (sub === 'object' && n === 3) {
      const db = dbOf(node, ctx);
      const v = db.peek(args[2]!);
      if (v === undefined) return ctx.reply.error(ERR.NO_SUCH_KEY);
      const enc = node.enc.encodingOf(db, args[2]!, v);
      const stamp = db.lru?.get(args[2]!);
      const idle = stamp === undefined ? 0 : Math.floor(Math.max(0, node.ks.lruClock - stamp) / 1000);
      return ctx.reply.simple(`Value at:0x0 refcount:1 encoding:${enc} serializedlength:0 lru:0 lru_seconds_idle:${idle}`);
    }
    if (sub === 'log' && n === 3) {
      ports.log(`DEBUG LOG: ${args[2]!}`);
      return ctx.reply.ok();
    }
    ctx.reply.error(subcommandSyntax(args[1]!, 'DEBUG'));
  }

  async function shutdown(ctx: CommandContext, args: string[]): Promise<void> {
    let save = false;
    let nosave = false;
    let now = false;
    let force = false;
    let abort = false;
    for (let i = 1; i < args.length; i++) {
      const o = args[i]!.toLowerCase();
      if (o === 'nosave') nosave = true;
      else if (o === 'save') save = true;
      else if (o === 'now') now = true;
      else if (o === 'force') force = true;
      else if (o === 'abort') abort = true;
      else return ctx.reply.error(ERR.SYNTAX);
    }
    if ((abort && (save || nosave || now || force)) || (save && nosave)) return ctx.reply.error(ERR.SYNTAX);
    if (abort) return ports.shutdownAbort() ? ctx.reply.ok() : ctx.reply.error('ERR No shutdown in progress.');
    if (!now && node.inExec()) return ctx.reply.error("ERR SHUTDOWN without NOW or ABORT isn't allowed for DENY BLOCKING client");
    const err = await ports.shutdown({ save, nosave, now, force });
    if (err !== null) ctx.reply.error(err);
  }

  return [
    spec('info', (ctx, args) => ctx.reply.verbatim(ports.info(args.slice(1)))),

    container('config', [
      spec('config|get', (ctx, args) => {
        const pairs = ports.configGet(args.slice(2));
        ctx.reply.map(pairs.length);
        for (const [k, v] of pairs) {
          ctx.reply.bulk(k);
          ctx.reply.bulk(v);
        }
      }),
      spec('config|set', async (ctx, args) => {
        if (args.length % 2 !== 0) return ctx.reply.error("ERR wrong number of arguments for 'config|set' command");
        const pairs: [string, string][] = [];
        for (let i = 2; i < args.length; i += 2) pairs.push([args[i]!, args[i + 1]!]);
        const err = await ports.configSet(pairs);
        if (err === null) ctx.reply.ok();
        else ctx.reply.error(err);
      }),
      spec('config|rewrite', (ctx) => {
        const err = ports.configRewrite();
        if (err === null) ctx.reply.ok();
        else ctx.reply.error(err);
      }),
      spec('config|resetstat', (ctx) => {
        ports.configResetStat();
        ctx.reply.ok();
      }),
      spec('config|help', (ctx) => helpReply(ctx, CONFIG_HELP)),
    ]),

    spec('time', (ctx) => {
      const us = ports.nowUs();
      ctx.reply.array(2);
      ctx.reply.bulk(String(Math.floor(us / 1e6)));
      ctx.reply.bulk(String(us % 1e6));
    }),

    spec('debug', debug),

    container('script', [
      spec('script|kill', (ctx) => ctx.reply.error(ERR.NOTBUSY)),
      spec('script|flush', (ctx, args) => {
        if (args.length === 3 && !['sync', 'async'].includes(args[2]!.toLowerCase())) {
          return ctx.reply.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
        }
        if (args.length > 3) return ctx.reply.error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
        ctx.reply.ok();
      }),
      spec('script|exists', (ctx, args) => {
        ctx.reply.array(args.length - 2);
        for (let i = 2; i < args.length; i++) ctx.reply.int(0);
      }),
      spec('script|help', (ctx) => helpReply(ctx, SCRIPT_HELP)),
    ]),

    spec('shutdown', shutdown),

    spec('monitor', (ctx) => {
      if (node.inExec()) return ctx.reply.error("ERR MONITOR isn't allowed for DENY BLOCKING client");
      if (ctx.session.kind === 'replica') return;
      ports.monitor(ctx);
      ctx.reply.ok();
    }),
  ];
}
