/**
 * An ACL user and the rules that change it (acl.c ACLSetUser / ACLSetSelector, Redis 7.0, root selector only).
 *
 * Command permissions mirror Redis's bitmap without its fixed size: `base` is the value the last `+@all` /
 * `-@all` (allcommands / nocommands) wrote into every bit, including bits of commands registered later, and
 * `exceptions` holds the ids whose bit differs from it. `base` is also Redis's reserved "future commands" bit that
 * ACL LIST uses to choose between `+@all …` and `-@all …`.
 */
import { createHash } from 'node:crypto';
import { categoryBit } from '../categories.js';
import type { CommandEntry, CommandRegistry } from '../registry.js';

export interface KeyPattern {
  readonly pattern: string;
  read: boolean;
  write: boolean;
}

export class AclUser {
  readonly name: string;
  enabled = false;
  nopass = false;
  /** skip-sanitize-payload / sanitize-payload flags (shown by ACL LIST; RESTORE is tredis's concern). */
  sanitize: 'unset' | 'sanitize' | 'skip' = 'unset';
  /** SHA-256 hex digests, in the order added. */
  passwords: string[] = [];
  allKeys = false;
  keys: KeyPattern[] = [];
  allChannels = false;
  channels: string[] = [];
  base = false;
  exceptions = new Set<number>();
  /** Allowed first arguments of otherwise denied commands (`+select|0`), by command id. */
  firstArgs = new Map<number, string[]>();

  constructor(name: string) {
    this.name = name;
  }

  clone(): AclUser {
    return new AclUser(this.name).assign(this);
  }

  /** Copy another user's permissions into this object (ACLCopyUser): sessions keep pointing at the same user. */
  assign(o: AclUser): this {
    this.enabled = o.enabled;
    this.nopass = o.nopass;
    this.sanitize = o.sanitize;
    this.passwords = [...o.passwords];
    this.allKeys = o.allKeys;
    this.keys = o.keys.map((k) => ({ ...k }));
    this.allChannels = o.allChannels;
    this.channels = [...o.channels];
    this.base = o.base;
    this.exceptions = new Set(o.exceptions);
    this.firstArgs = new Map([...o.firstArgs].map(([id, list]) => [id, [...list]]));
    return this;
  }

  /** The command bit for an id. */
  canRun(id: number): boolean {
    return this.base !== this.exceptions.has(id);
  }

  /** Every command allowed, now and in the future: the dispatcher skips command checks entirely. */
  get allCommands(): boolean {
    return this.base && this.exceptions.size === 0;
  }

  /** No restriction at all (the default user out of the box): the dispatcher skips the ACL check. */
  get unrestricted(): boolean {
    return this.allCommands && this.allKeys && this.allChannels;
  }

  setBit(id: number, on: boolean): void {
    if (on === this.base) this.exceptions.delete(id);
    else this.exceptions.add(id);
  }

  setAllBits(on: boolean): void {
    this.base = on;
    this.exceptions.clear();
    this.firstArgs.clear();
  }
}

export function hashPassword(password: string): string {
  return createHash('sha256').update(Buffer.from(password, 'latin1')).digest('hex');
}

/** acl.c ACLSetUserStringError texts, by the errno Redis would set. */
export const RULE_ERROR = {
  ENOENT: 'Unknown command or category name in ACL',
  EINVAL: 'Syntax error',
  EEXIST:
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  EISDIR:
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  ENODEV: 'The password you are trying to remove from the user does not exist',
  EBADMSG: 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  ECHILD: 'Allowing first-arg of a subcommand is not supported',
} as const;

export interface RuleContext {
  readonly registry: CommandRegistry;
  /** acl-pubsub-default, applied by `reset`. */
  readonly pubsubDefault: 'resetchannels' | 'allchannels';
  /** Log sink for Redis's deprecation warning on first-arg rules. */
  readonly warn?: (msg: string) => void;
}

/** A fresh user as ACLCreateUser makes it: off, no passwords, no commands, channels per acl-pubsub-default. */
export function newUser(name: string, pubsubDefault: 'resetchannels' | 'allchannels'): AclUser {
  const u = new AclUser(name);
  u.allChannels = pubsubDefault === 'allchannels';
  return u;
}

/** Apply one rule; returns null, or the reason text for `Error in ACL SETUSER modifier`. */
export function applyRule(u: AclUser, op: string, ctx: RuleContext): string | null {
  const lower = op.toLowerCase();
  switch (lower) {
    case 'on':
      u.enabled = true;
      return null;
    case 'off':
      u.enabled = false;
      return null;
    case 'skip-sanitize-payload':
      u.sanitize = 'skip';
      return null;
    case 'sanitize-payload':
      u.sanitize = 'sanitize';
      return null;
    case 'nopass':
      u.nopass = true;
      u.passwords = [];
      return null;
    case 'resetpass':
      u.nopass = false;
      u.passwords = [];
      return null;
    case 'allkeys':
    case '~*':
      u.allKeys = true;
      u.keys = [];
      return null;
    case 'resetkeys':
      u.allKeys = false;
      u.keys = [];
      return null;
    case 'allchannels':
    case '&*':
      u.allChannels = true;
      u.channels = [];
      return null;
    case 'resetchannels':
      u.allChannels = false;
      u.channels = [];
      return null;
    case 'allcommands':
    case '+@all':
      u.setAllBits(true);
      return null;
    case 'nocommands':
    case '-@all':
      u.setAllBits(false);
      return null;
    case 'reset':
      // acl.c: resetpass, resetkeys, resetchannels, [allchannels], off, sanitize-payload, clearselectors, -@all
      u.nopass = false;
      u.passwords = [];
      u.allKeys = false;
      u.keys = [];
      u.allChannels = ctx.pubsubDefault === 'allchannels';
      u.channels = [];
      u.enabled = false;
      u.sanitize = 'sanitize';
      u.setAllBits(false);
      return null;
    case 'clearselectors':
      return null;
  }
  const c0 = op[0];
  if (c0 === '>' || c0 === '#') return addPassword(u, op);
  if (c0 === '<' || c0 === '!') return removePassword(u, op);
  if (c0 === '~' || c0 === '%') return addKeyPattern(u, op);
  if (c0 === '&') {
    if (u.allChannels) return RULE_ERROR.EISDIR;
    const pat = op.slice(1);
    if (!u.channels.includes(pat)) u.channels.push(pat);
    return null;
  }
  if ((c0 === '+' || c0 === '-') && op[1] === '@') {
    const bit = categoryBit(op.slice(2));
    if (bit === undefined) return RULE_ERROR.ENOENT;
    setCategory(u, ctx.registry, bit, c0 === '+');
    return null;
  }
  if (c0 === '+') return allowCommand(u, op.slice(1), ctx);
  if (c0 === '-') {
    const e = ctx.registry.lookupOriginal(op.slice(1));
    if (e === undefined) return RULE_ERROR.ENOENT;
    changePerm(u, e, false);
    return null;
  }
  return RULE_ERROR.EINVAL;
}

function addPassword(u: AclUser, op: string): string | null {
  let hash: string;
  if (op[0] === '>') hash = hashPassword(op.slice(1));
  else {
    hash = op.slice(1);
    if (!isPasswordHash(hash)) return RULE_ERROR.EBADMSG;
  }
  if (!u.passwords.includes(hash)) u.passwords.push(hash);
  u.nopass = false;
  return null;
}

function removePassword(u: AclUser, op: string): string | null {
  let hash: string;
  if (op[0] === '<') hash = hashPassword(op.slice(1));
  else {
    hash = op.slice(1);
    if (!isPasswordHash(hash)) return RULE_ERROR.EBADMSG;
  }
  const i = u.passwords.indexOf(hash);
  if (i < 0) return RULE_ERROR.ENODEV;
  u.passwords.splice(i, 1);
  return null;
}

function isPasswordHash(h: string): boolean {
  return /^[0-9a-f]{64}$/.test(h);
}

function addKeyPattern(u: AclUser, op: string): string | null {
  if (u.allKeys) return RULE_ERROR.EEXIST;
  let read = true;
  let write = true;
  let offset = 1;
  if (op[0] === '%') {
    read = false;
    write = false;
    for (; offset < op.length; offset++) {
      const ch = op[offset]!.toUpperCase();
      if (ch === 'R' && !read) read = true;
      else if (ch === 'W' && !write) write = true;
      else if (ch === '~') {
        offset++;
        break;
      } else return RULE_ERROR.EINVAL;
    }
  }
  const pattern = op.slice(offset);
  if (pattern === '*' && read && write) {
    u.allKeys = true;
    u.keys = [];
    return null;
  }
  const existing = u.keys.find((k) => k.pattern === pattern);
  if (existing === undefined) u.keys.push({ pattern, read, write });
  else {
    existing.read ||= read;
    existing.write ||= write;
  }
  return null;
}

function allowCommand(u: AclUser, name: string, ctx: RuleContext): string | null {
  const bar = name.lastIndexOf('|');
  if (bar < 0) {
    const e = ctx.registry.lookupOriginal(name);
    if (e === undefined) return RULE_ERROR.ENOENT;
    changePerm(u, e, true);
    return null;
  }
  const e = ctx.registry.lookupOriginal(name.slice(0, bar));
  if (e === undefined) return RULE_ERROR.ENOENT;
  if (e.parent !== null) return RULE_ERROR.ECHILD;
  const sub = name.slice(bar + 1);
  if (sub === '') return RULE_ERROR.EINVAL;
  if (e.subcommands !== null) {
    const s = e.subcommands.get(sub.toLowerCase());
    if (s === undefined) return RULE_ERROR.ENOENT;
    changePerm(u, s, true);
    return null;
  }
  ctx.warn?.(
    `Deprecation warning: Allowing a first arg of an otherwise blocked command is a misuse of ACL and may get disabled in the future (offender: +${name})`,
  );
  const list = u.firstArgs.get(e.id) ?? [];
  if (!list.some((a) => a.toLowerCase() === sub.toLowerCase())) list.push(sub);
  u.firstArgs.set(e.id, list);
  return null;
}

/** acl.c ACLChangeSelectorPerm: a container's bit carries all its subcommands; first-args are reset. */
export function changePerm(u: AclUser, e: CommandEntry, on: boolean): void {
  u.setBit(e.id, on);
  u.firstArgs.delete(e.id);
  if (e.subcommands !== null) for (const s of e.subcommands.values()) u.setBit(s.id, on);
}

/** ACLSetSelectorCommandBitsForCategory: every command and subcommand carrying the category. */
export function setCategory(u: AclUser, registry: CommandRegistry, bit: number, on: boolean): void {
  const visit = (e: CommandEntry): void => {
    if (e.categories & bit) changePerm(u, e, on);
    if (e.subcommands !== null) for (const s of e.subcommands.values()) visit(s);
  };
  for (const e of registry.originalCommands()) visit(e);
}
