/**
 * COMMAND and its subcommands (server.c commandCommand & co., Redis 7.0.15): INFO and DOCS shapes as clients
 * parse them (redis-cli asks for COMMAND DOCS at start-up), COUNT, LIST with filters, GETKEYS(ANDFLAGS).
 *
 * Key specs are not part of CommandSpec; COMMAND INFO reports one range spec derived from the legacy key
 * positions, with access flags from the command's read/write flags.
 */
import { stringMatch } from '../../common/glob.js';
import type { RespWriter } from '../../resp/writer.js';
import { categoryBit, categoryNames, FLAG, reportedFlags } from '../categories.js';
import { arityOk, type CommandEntry } from '../registry.js';
import { ERR } from '../replies.js';
import type { RespServer } from '../server.js';
import type { CommandFlag, CommandHandler, CommandSpec } from '../types.js';
import { replyHelp } from './util.js';

const HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

/** addReplyCommandInfo: the 10-element description of one command. */
export function replyCommandInfo(w: RespWriter, e: CommandEntry): void {
  const k = e.spec.keys;
  const first = k?.first ?? 0;
  w.array(10);
  w.bulk(e.fullName);
  w.int(e.spec.arity);
  const flags = reportedFlags(e.flags);
  w.set(flags.length);
  for (const f of flags) w.simple(f);
  w.int(first);
  w.int(k?.last ?? 0);
  w.int(k?.step ?? 0);
  const cats = categoryNames(e.categories);
  w.set(cats.length);
  for (const c of cats) w.simple(`@${c}`);
  const tips = e.spec.tips ?? [];
  w.set(tips.length);
  for (const t of tips) w.bulk(t);
  if (k !== undefined && first > 0) {
    w.set(1);
    w.map(3);
    w.bulk('flags');
    const kf = keyFlags(e.flags);
    w.set(kf.length);
    for (const f of kf) w.simple(f);
    w.bulk('begin_search');
    w.map(2);
    w.bulk('type');
    w.bulk('index');
    w.bulk('spec');
    w.map(1);
    w.bulk('index');
    w.int(first);
    w.bulk('find_keys');
    w.map(2);
    w.bulk('type');
    w.bulk('range');
    w.bulk('spec');
    w.map(3);
    w.bulk('lastkey');
    w.int(k.last >= 0 ? k.last - first : k.last);
    w.bulk('keystep');
    w.int(k.step);
    w.bulk('limit');
    w.int(0);
  } else {
    w.set(0);
  }
  if (e.subcommands === null) {
    w.set(0);
  } else {
    w.array(e.subcommands.size);
    for (const s of e.subcommands.values()) replyCommandInfo(w, s);
  }
}

/** Key-spec access flags derived from command flags (RO/RW plus the operation). */
function keyFlags(flags: number): string[] {
  if (flags & FLAG.write) return ['RW', 'update'];
  if (flags & FLAG.readonly) return ['RO', 'access'];
  return ['RW', 'access'];
}

/** addReplyCommandDocs: the documentation map of one command. */
function replyCommandDocs(w: RespWriter, e: CommandEntry): void {
  const s = e.spec;
  const fields: [string, string][] = [];
  if (s.summary !== undefined) fields.push(['summary', s.summary]);
  if (s.since !== undefined) fields.push(['since', s.since]);
  if (s.group !== undefined) fields.push(['group', s.group]);
  if (s.complexity !== undefined) fields.push(['complexity', s.complexity]);
  const subs = e.subcommands;
  w.map(fields.length + (subs !== null ? 1 : 0));
  for (const [k, v] of fields) {
    w.bulk(k);
    w.bulk(v);
  }
  if (subs !== null) {
    w.bulk('subcommands');
    w.map(subs.size);
    for (const sub of subs.values()) {
      w.bulk(sub.fullName);
      replyCommandDocs(w, sub);
    }
  }
}

export function commandCommands(server: RespServer): CommandSpec[] {
  const reg = server.registry;

  const info: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    if (args.length === 2) {
      const all = reg.liveCommands();
      w.array(all.length);
      for (const e of all) replyCommandInfo(w, e);
      return;
    }
    w.array(args.length - 2);
    for (let i = 2; i < args.length; i++) {
      const e = reg.lookupFullName(args[i]!);
      if (e === undefined) w.nil();
      else replyCommandInfo(w, e);
    }
  };

  const docs: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    const found: CommandEntry[] = [];
    if (args.length === 2) found.push(...reg.liveCommands());
    else
      for (let i = 2; i < args.length; i++) {
        const e = reg.lookupFullName(args[i]!);
        if (e !== undefined) found.push(e);
      }
    w.map(found.length);
    for (const e of found) {
      w.bulk(e.fullName);
      replyCommandDocs(w, e);
    }
  };

  const list: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    let filter: ((e: CommandEntry) => boolean) | null = null;
    for (let i = 2; i < args.length; i++) {
      if (args[i]!.toLowerCase() !== 'filterby' || args.length - 1 - i !== 2) return w.error(ERR.SYNTAX);
      const type = args[i + 1]!.toLowerCase();
      const arg = args[i + 2]!;
      if (type === 'module') filter = () => false;
      else if (type === 'aclcat') {
        const bit = categoryBit(arg) ?? 0;
        filter = (e) => (e.categories & bit) !== 0;
      } else if (type === 'pattern') filter = (e) => stringMatch(arg, e.fullName, true);
      else return w.error(ERR.SYNTAX);
      i += 2;
    }
    const names: string[] = [];
    for (const e of reg.liveCommands()) {
      if (filter === null || filter(e)) names.push(e.fullName);
      if (e.subcommands !== null) for (const s of e.subcommands.values()) if (filter === null || filter(s)) names.push(s.fullName);
    }
    w.bulkArray(names);
  };

  const getkeys =
    (withFlags: boolean): CommandHandler =>
    (ctx, args) => {
      const w = ctx.reply;
      const argv = args.slice(2);
      let e = reg.lookup(argv[0]!);
      if (e !== undefined && e.subcommands !== null && argv.length >= 2) e = e.subcommands.get(argv[1]!.toLowerCase());
      if (e === undefined) return w.error(ERR.COMMAND_INVALID);
      const k = e.spec.keys;
      if (k === undefined || k.first <= 0) return w.error(ERR.COMMAND_NO_KEYS);
      if (!arityOk(e.spec.arity, argv.length)) return w.error('ERR Invalid number of arguments specified for command');
      const last = k.last < 0 ? argv.length + k.last : k.last;
      const keys: string[] = [];
      for (let i = k.first; i <= last && i < argv.length; i += k.step > 0 ? k.step : 1) keys.push(argv[i]!);
      if (!withFlags) return w.bulkArray(keys);
      const kf = keyFlags(e.flags);
      w.array(keys.length);
      for (const key of keys) {
        w.array(2);
        w.bulk(key);
        w.set(kf.length);
        for (const f of kf) w.simple(f);
      }
    };

  const base: readonly CommandFlag[] = ['loading', 'stale', 'sentinel'];
  const sub = (
    name: string,
    arity: number,
    summary: string,
    since: string,
    complexity: string,
    handler: CommandHandler,
    tips?: string[],
  ): CommandSpec => ({
    name,
    arity,
    flags: base,
    categories: ['connection'],
    summary,
    since,
    group: 'server',
    complexity,
    handler,
    ...(tips !== undefined ? { tips } : {}),
  });

  return [
    {
      name: 'command',
      arity: -1,
      flags: base,
      categories: ['connection'],
      tips: ['nondeterministic_output_order'],
      summary: 'Get array of Redis command details',
      since: '2.8.13',
      group: 'server',
      complexity: 'O(N) where N is the total number of Redis commands',
      handler: (ctx) => {
        const all = reg.liveCommands();
        ctx.reply.array(all.length);
        for (const e of all) replyCommandInfo(ctx.reply, e);
      },
      subcommands: [
        sub('count', 2, 'Get total number of Redis commands', '2.8.13', 'O(1)', (ctx) => ctx.reply.int(reg.liveCommands().length)),
        sub(
          'info',
          -2,
          'Get array of specific Redis command details, or all when no argument is given.',
          '2.8.13',
          'O(N) where N is the number of commands to look up',
          info,
          ['nondeterministic_output_order'],
        ),
        sub(
          'docs',
          -2,
          'Get array of specific Redis command documentation',
          '7.0.0',
          'O(N) where N is the number of commands to look up',
          docs,
          ['nondeterministic_output_order'],
        ),
        sub(
          'list',
          -2,
          'Get an array of Redis command names',
          '7.0.0',
          'O(N) where N is the total number of Redis commands',
          list,
          ['nondeterministic_output_order'],
        ),
        sub(
          'getkeys',
          -4,
          'Extract keys given a full Redis command',
          '2.8.13',
          'O(N) where N is the number of arguments to the command',
          getkeys(false),
        ),
        sub(
          'getkeysandflags',
          -4,
          'Extract keys and access flags given a full Redis command',
          '7.0.0',
          'O(N) where N is the number of arguments to the command',
          getkeys(true),
        ),
        sub('help', 2, 'Show helpful text about the different subcommands', '5.0.0', 'O(1)', (ctx) =>
          replyHelp(ctx.reply, 'COMMAND', HELP),
        ),
      ],
    },
  ];
}
