/**
 * ACL LIST / ACL GETUSER text for a user (acl.c ACLDescribeUser, ACLDescribeSelector,
 * ACLDescribeSelectorCommandRules, Redis 7.0).
 *
 * Command rules are rebuilt from the permission bits, not kept as typed: start from `+@all` or `-@all` (the
 * future-commands bit), add each category that covers more allowed than denied commands (or remove one covering
 * more denied than allowed), then fix single commands, subcommands and first-args that still differ. Redis walks
 * its command dict in hash order, which varies per process; we walk in registration order.
 */
import { ACL_CATEGORIES, categoryBit } from '../categories.js';
import type { CommandEntry, CommandRegistry } from '../registry.js';
import { AclUser, changePerm, setCategory } from './user.js';

/** `user <name> <flags> <passwords> <keys> <channels> <commands>`. */
export function describeUserLine(u: AclUser, registry: CommandRegistry): string {
  const parts = [...userFlags(u), ...u.passwords.map((p) => `#${p}`)];
  parts.push(...keyParts(u), ...channelParts(u), describeCommandRules(u, registry));
  return `user ${u.name} ${parts.join(' ')}`;
}

/** ACLUserFlags order: on, off, nopass, skip-sanitize-payload, sanitize-payload. */
export function userFlags(u: AclUser): string[] {
  const out = [u.enabled ? 'on' : 'off'];
  if (u.nopass) out.push('nopass');
  if (u.sanitize === 'skip') out.push('skip-sanitize-payload');
  if (u.sanitize === 'sanitize') out.push('sanitize-payload');
  return out;
}

function keyParts(u: AclUser): string[] {
  if (u.allKeys) return ['~*'];
  return u.keys.map((k) => (k.read && k.write ? '~' : k.read ? '%R~' : '%W~') + k.pattern);
}

function channelParts(u: AclUser): string[] {
  if (u.allChannels) return ['&*'];
  return ['resetchannels', ...u.channels.map((c) => `&${c}`)];
}

/** GETUSER `keys`: patterns joined by spaces, `~*` for allkeys, '' for none. */
export function keysField(u: AclUser): string {
  return keyParts(u).join(' ');
}

/** GETUSER `channels`: like keys, without the `resetchannels` prefix. */
export function channelsField(u: AclUser): string {
  return u.allChannels ? '&*' : u.channels.map((c) => `&${c}`).join(' ');
}

export function describeCommandRules(u: AclUser, registry: CommandRegistry): string {
  const rules: string[] = [];
  const additive = !u.base;
  const fake = new AclUser(u.name);
  fake.setAllBits(u.base);
  rules.push(u.base ? '+@all' : '-@all');

  for (const cat of ACL_CATEGORIES) {
    const bit = categoryBit(cat)!;
    let on = 0;
    let off = 0;
    for (const e of registry.originalCommands()) {
      if (!(e.categories & bit)) continue;
      if (u.canRun(e.id)) on++;
      else off++;
    }
    if ((additive && on > off) || (!additive && off > on)) {
      const op = `${additive ? '+' : '-'}@${cat}`;
      setCategory(fake, registry, bit, additive);
      rules.push(op);
    }
  }

  const fix = (e: CommandEntry): void => {
    const userBit = u.canRun(e.id);
    if (userBit !== fake.canRun(e.id)) {
      rules.push(`${userBit ? '+' : '-'}${e.fullName}`);
      changePerm(fake, e, userBit);
    }
    if (e.subcommands !== null) for (const s of e.subcommands.values()) fix(s);
    const firstArgs = u.firstArgs.get(e.id);
    if (!userBit && firstArgs !== undefined) for (const a of firstArgs) rules.push(`+${e.fullName}|${a}`);
  };
  for (const e of registry.originalCommands()) fix(e);
  return rules.join(' ');
}
