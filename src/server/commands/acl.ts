/**
 * ACL and its subcommands (acl.c aclCommand, Redis 7.0.15): SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT,
 * GENPASS, DRYRUN. LOG always returns an empty list (denials are not recorded); LOAD/SAVE answer as a server
 * without an ACL file does. Selectors (`(...)`) are not supported and are rejected as a syntax error.
 */
import { randomBytes } from 'node:crypto';
import { ACL_CATEGORIES, categoryBit } from '../categories.js';
import { channelsField, describeUserLine, describeCommandRules, keysField, userFlags } from '../acl/describe.js';
import type { AclUser } from '../acl/user.js';
import { arityOk } from '../registry.js';
import { aclSetuserError, ERR, nopermCommand, subcommandSyntax, unknownCategory, wrongArity } from '../replies.js';
import type { RespServer } from '../server.js';
import type { CommandContext, CommandFlag, CommandHandler, CommandSpec } from '../types.js';
import { parseInteger, replyHelp } from './util.js';

const HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const NO_ACL_FILE =
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.';

const ADMIN: readonly CommandFlag[] = ['admin', 'noscript', 'loading', 'stale', 'sentinel'];
const PLAIN: readonly CommandFlag[] = ['noscript', 'loading', 'stale', 'sentinel'];

export function aclCommands(server: RespServer): CommandSpec[] {
  const acl = server.acl;
  const reg = server.registry;

  const sub = (
    name: string,
    arity: number,
    flags: readonly CommandFlag[],
    summary: string,
    since: string,
    complexity: string,
    handler: CommandHandler,
  ): CommandSpec => ({ name, arity, flags, categories: [], summary, since, group: 'server', complexity, handler });

  const setuser: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    const name = args[2]!;
    // ACLStringHasSpaces: isspace() in the C locale, or NUL
    if (/[ \t\n\v\f\r\0]/.test(name)) return w.error(ERR.USERNAME_SPACES);
    const rules = args.slice(3);
    // selectors are a 7.0 feature we do not model; refuse them rather than silently widening permissions
    const selector = rules.find((r) => r.startsWith('('));
    if (selector !== undefined) return w.error(aclSetuserError(selector, 'Syntax error'));
    const r = acl.setUser(name, rules);
    if ('error' in r) return w.error(aclSetuserError(r.rule, r.error));
    if (r.before !== undefined) server.dropRevokedSubscribers(r.user, ctx.session);
    w.ok();
  };

  const getuser: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    const u = acl.get(args[2]!);
    if (u === undefined) return w.nil();
    w.map(6);
    w.bulk('flags');
    const flags = userFlags(u);
    w.set(flags.length);
    for (const f of flags) w.bulk(f);
    w.bulk('passwords');
    w.bulkArray(u.passwords);
    w.bulk('commands');
    w.bulk(describeCommandRules(u, reg));
    w.bulk('keys');
    w.bulk(keysField(u));
    w.bulk('channels');
    w.bulk(channelsField(u));
    w.bulk('selectors');
    w.array(0);
  };

  const deluser: CommandHandler = (ctx, args) => {
    for (let j = 2; j < args.length; j++) if (args[j] === 'default') return ctx.reply.error(ERR.DEFAULT_USER_UNDELETABLE);
    let deleted = 0;
    for (let j = 2; j < args.length; j++) {
      const u = acl.deleteUser(args[j]!);
      if (u === undefined) continue;
      deleted++;
      server.disconnectUser(u, ctx.session);
    }
    ctx.reply.int(deleted);
  };

  const cat: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    if (args.length > 3) return w.error(subcommandSyntax(args[1]!, 'acl'));
    if (args.length === 2) return w.bulkArray([...ACL_CATEGORIES]);
    const bit = categoryBit(args[2]!);
    if (bit === undefined) return w.error(unknownCategory(args[2]!));
    const names: string[] = [];
    for (const e of reg.originalCommands()) {
      if (e.categories & bit) names.push(e.fullName);
      if (e.subcommands !== null) for (const s of e.subcommands.values()) if (s.categories & bit) names.push(s.fullName);
    }
    w.bulkArray(names);
  };

  const genpass: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    if (args.length > 3) return w.error(subcommandSyntax(args[1]!, 'acl'));
    let bits = 256;
    if (args.length === 3) {
      const n = parseInteger(args[2]!);
      if (n === null) return w.error(ERR.NOT_INTEGER);
      if (n <= 0 || n > 4096) return w.error(ERR.GENPASS_BITS);
      bits = n;
    }
    const chars = Math.floor((bits + 3) / 4);
    w.bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
  };

  const log: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    if (args.length > 3) return w.error(subcommandSyntax(args[1]!, 'acl'));
    if (args.length === 3) {
      if (args[2]!.toLowerCase() === 'reset') return w.ok();
      if (parseInteger(args[2]!) === null) return w.error(ERR.NOT_INTEGER);
    }
    w.array(0);
  };

  const dryrun: CommandHandler = (ctx, args) => {
    const w = ctx.reply;
    const u = acl.get(args[2]!);
    if (u === undefined) return w.error(`ERR User '${args[2]!}' not found`);
    const argv = args.slice(3);
    let e = reg.lookup(argv[0]!);
    if (e !== undefined && e.subcommands !== null && argv.length >= 2) e = e.subcommands.get(argv[1]!.toLowerCase());
    if (e === undefined) return w.error(`ERR Command '${argv[0]!}' not found`);
    if (!arityOk(e.spec.arity, argv.length)) return w.error(wrongArity(e.fullName));
    const denied = acl.check(u, e, argv);
    if (denied === null) return w.ok();
    const text =
      denied === 'command'
        ? nopermCommand(e.fullName).replace(/^NOPERM t/, 'T')
        : denied === 'key'
          ? 'This user has no permissions to access one of the keys used as arguments'
          : 'This user has no permissions to access one of the channels used as arguments';
    w.bulk(text);
  };

  const whoami = (ctx: CommandContext): void => {
    const s = server.sessionOf(ctx.session);
    ctx.reply.bulk(s?.aclUser.name ?? ctx.session.user ?? 'default');
  };

  return [
    {
      name: 'acl',
      arity: -2,
      flags: ['sentinel'],
      categories: [],
      summary: 'A container for Access List Control commands ',
      since: '6.0.0',
      group: 'server',
      complexity: 'Depends on subcommand.',
      subcommands: [
        sub('cat', -2, PLAIN, 'List the ACL categories or the commands inside a category', '6.0.0', 'O(1) since the categories and commands are a fixed set.', cat),
        sub('deluser', -3, ADMIN, 'Remove the specified ACL users and the associated rules', '6.0.0', 'O(1) amortized time considering the typical user.', deluser),
        sub('dryrun', -4, ADMIN, 'Returns whether the user can execute the given command without executing the command.', '7.0.0', 'O(1).', dryrun),
        sub('genpass', -2, PLAIN, 'Generate a pseudorandom secure password to use for ACL users', '6.0.0', 'O(1)', genpass),
        sub('getuser', 3, ADMIN, 'Get the rules for a specific ACL user', '6.0.0', 'O(N). Where N is the number of password, command and pattern rules that the user has.', getuser),
        sub('list', 2, ADMIN, 'List the current ACL rules in ACL config file format', '6.0.0', 'O(N). Where N is the number of configured users.', (ctx) =>
          ctx.reply.bulkArray(acl.users().map((u: AclUser) => describeUserLine(u, reg))),
        ),
        sub('load', 2, ADMIN, 'Reload the ACLs from the configured ACL file', '6.0.0', 'O(N). Where N is the number of configured users.', (ctx) =>
          ctx.reply.error(NO_ACL_FILE),
        ),
        sub('log', -2, ADMIN, 'List latest events denied because of ACLs in place', '6.0.0', 'O(N) with N being the number of entries shown.', log),
        sub('save', 2, ADMIN, 'Save the current ACL rules in the configured ACL file', '6.0.0', 'O(N). Where N is the number of configured users.', (ctx) =>
          ctx.reply.error(NO_ACL_FILE),
        ),
        sub('setuser', -3, ADMIN, 'Modify or create the rules for a specific ACL user', '6.0.0', 'O(N). Where N is the number of rules provided.', setuser),
        sub('users', 2, ADMIN, 'List the username of all the configured ACL rules', '6.0.0', 'O(N). Where N is the number of configured users.', (ctx) =>
          ctx.reply.bulkArray(acl.users().map((u) => u.name)),
        ),
        sub('whoami', 2, PLAIN, 'Return the name of the user associated to the current connection', '6.0.0', 'O(1)', whoami),
        {
          name: 'help',
          arity: 2,
          flags: ['loading', 'stale', 'sentinel'],
          categories: [],
          summary: 'Show helpful text about the different subcommands',
          since: '6.0.0',
          group: 'server',
          complexity: 'O(1)',
          handler: (ctx) => replyHelp(ctx.reply, 'ACL', HELP),
        },
      ],
    },
  ];
}
