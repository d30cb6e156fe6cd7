/**
 * Command flags and ACL categories as bitmasks: the registry computes them once per command, so the dispatcher's
 * checks are integer tests and COMMAND INFO / ACL CAT list them in Redis's order.
 */
import type { CommandFlag } from './types.js';

/** acl.c ACLCommandCategories, in table order (ACL CAT and COMMAND INFO print in this order). */
export const ACL_CATEGORIES = [
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
] as const;

export type AclCategory = (typeof ACL_CATEGORIES)[number];

const CATEGORY_BIT = new Map<string, number>(ACL_CATEGORIES.map((c, i) => [c, 1 << i]));

export function categoryBit(name: string): number | undefined {
  return CATEGORY_BIT.get(name.toLowerCase());
}

export function categoryNames(mask: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < ACL_CATEGORIES.length; i++) if (mask & (1 << i)) out.push(ACL_CATEGORIES[i]!);
  return out;
}

/** Flags in the order server.c addReplyCommandFlags prints them; the rest are internal to the command table. */
const FLAG_ORDER: readonly CommandFlag[] = [
  'write',
  'readonly',
  'denyoom',
  'admin',
  'pubsub',
  'noscript',
  'blocking',
  'loading',
  'stale',
  'skip_monitor',
  'skip_slowlog',
  'fast',
  'no_auth',
  'no_mandatory_keys',
  'no_multi',
  'allow_busy',
];
/** may_replicate, sentinel, only_sentinel and protected are "hidden on purpose" by addReplyCommandFlags. */
const ALL_FLAGS: readonly CommandFlag[] = [...FLAG_ORDER, 'may_replicate', 'sentinel', 'only_sentinel', 'protected'];

export const FLAG = Object.fromEntries(ALL_FLAGS.map((f, i) => [f, 1 << i])) as Record<CommandFlag, number>;

export function flagMask(flags: readonly CommandFlag[]): number {
  let m = 0;
  for (const f of flags) m |= FLAG[f];
  return m;
}

/** COMMAND INFO flags, in Redis's order. */
export function reportedFlags(mask: number): string[] {
  const out: string[] = [];
  for (const f of FLAG_ORDER) if (mask & FLAG[f]) out.push(f);
  return out;
}

/**
 * server.c setImplicitACLCategories: flags imply categories, and whatever is not @fast is @slow. Unknown category
 * names in a spec are a programming error and throw at registration.
 */
export function effectiveCategories(flags: number, declared: readonly string[], fullName: string): number {
  let m = 0;
  for (const c of declared) {
    const bit = categoryBit(c.startsWith('@') ? c.slice(1) : c);
    if (bit === undefined) throw new Error(`command ${fullName}: unknown ACL category '${c}'`);
    m |= bit;
  }
  if (flags & FLAG.write) m |= bitOf('write');
  if (flags & FLAG.readonly && !(m & bitOf('scripting'))) m |= bitOf('read');
  if (flags & FLAG.admin) m |= bitOf('admin') | bitOf('dangerous');
  if (flags & FLAG.pubsub) m |= bitOf('pubsub');
  if (flags & FLAG.fast) m |= bitOf('fast');
  if (flags & FLAG.blocking) m |= bitOf('blocking');
  if (!(m & bitOf('fast'))) m |= bitOf('slow');
  return m;
}

function bitOf(c: AclCategory): number {
  return CATEGORY_BIT.get(c)!;
}
