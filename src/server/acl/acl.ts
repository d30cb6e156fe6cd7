/**
 * The ACL user store and the permission check (acl.c, Redis 7.0): users by name, the `default` user that
 * `requirepass` configures, authentication with SHA-256 password digests compared in constant time, and
 * ACLCheckAllPerm's command / key / channel checks.
 */
import { timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../../common/errors.js';
import { stringMatch } from '../../common/glob.js';
import { FLAG } from '../categories.js';
import type { CommandEntry, CommandRegistry } from '../registry.js';
import { AclUser, applyRule, hashPassword, newUser, type RuleContext } from './user.js';

export type AclDenial = 'command' | 'key' | 'channel';

export interface AclOptions {
  readonly registry: CommandRegistry;
  /** acl-pubsub-default, read when users are created or reset. */
  readonly pubsubDefault: () => 'resetchannels' | 'allchannels';
  readonly warn?: (msg: string) => void;
}

export class Acl {
  #users = new Map<string, AclUser>();
  readonly #opts: AclOptions;
  #default: AclUser;

  constructor(opts: AclOptions) {
    this.#opts = opts;
    this.#default = defaultUser();
    this.#users.set('default', this.#default);
  }

  get defaultUser(): AclUser {
    return this.#default;
  }

  /** authRequired(): a new connection starts unauthenticated unless the default user is `on nopass`. */
  get defaultRequiresAuth(): boolean {
    return !this.#default.nopass || !this.#default.enabled;
  }

  #ruleContext(): RuleContext {
    return { registry: this.#opts.registry, pubsubDefault: this.#opts.pubsubDefault(), warn: this.#opts.warn };
  }

  /**
   * Start-up configuration: `requirepass`, then the `user` directives (ACLLoadConfiguredUsers: a `user default`
   * line resets the default user first). Throws ConfigError with Redis's message on a bad rule.
   */
  configure(requirepass: string, users: readonly (readonly string[])[]): AclUser[] {
    const ctx = this.#ruleContext();
    const fresh = new Map<string, AclUser>();
    const def = defaultUser();
    fresh.set('default', def);
    setRequirepass(def, requirepass, ctx);
    const seen = new Set<string>();
    for (const line of users) {
      const [name, ...rules] = line;
      if (name === undefined) throw new ConfigError("'user' directive requires at least the username");
      if (seen.has(name)) throw new ConfigError('Duplicate user found. A user can only be defined once in config files');
      seen.add(name);
      let u = fresh.get(name);
      if (u === undefined) {
        u = newUser(name, ctx.pubsubDefault);
        fresh.set(name, u);
      } else {
        applyRule(u, 'reset', ctx);
      }
      for (const rule of rules) {
        const err = applyRule(u, rule, ctx);
        if (err !== null) throw new ConfigError(`Error loading ACL rule '${rule}' for the user named '${name}': ${err}`);
      }
    }
    // keep the objects of users that stay, so connected sessions see the new rules; report the ones that went
    const removed: AclUser[] = [];
    for (const [name, old] of this.#users) {
      const next = fresh.get(name);
      if (next === undefined) removed.push(old);
      else fresh.set(name, old.assign(next));
    }
    this.#users = fresh;
    this.#default = fresh.get('default')!;
    return removed;
  }

  /** ACLUpdateDefaultUserPassword: `requirepass ""` means nopass. */
  setRequirepass(password: string): void {
    setRequirepass(this.#default, password, this.#ruleContext());
  }

  get(name: string): AclUser | undefined {
    return this.#users.get(name);
  }

  /** Users sorted by name (Redis keeps them in a rax). */
  users(): AclUser[] {
    return [...this.#users.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * ACL SETUSER: rules are staged on a copy and applied all-or-nothing. Returns the error reason of the first bad
   * rule, or the previous and new versions of the user.
   */
  setUser(name: string, rules: readonly string[]): { error: string; rule: string } | { before: AclUser | undefined; user: AclUser } {
    const ctx = this.#ruleContext();
    const existing = this.#users.get(name);
    const staged = existing !== undefined ? existing.clone() : newUser(name, ctx.pubsubDefault);
    for (const rule of rules) {
      const err = applyRule(staged, rule, ctx);
      if (err !== null) return { error: err, rule };
    }
    if (existing === undefined) {
      this.#users.set(name, staged);
      return { before: undefined, user: staged };
    }
    const before = existing.clone();
    existing.assign(staged);
    return { before, user: existing };
  }

  /** ACL DELUSER for one name (never `default`); returns the removed user. */
  deleteUser(name: string): AclUser | undefined {
    if (name === 'default') return undefined;
    const u = this.#users.get(name);
    if (u !== undefined) this.#users.delete(name);
    return u;
  }

  /** ACLCheckUserCredentials: the user if it exists, is on, and the password matches (or it is nopass). */
  authenticate(username: string, password: string): AclUser | null {
    const u = this.#users.get(username);
    if (u === undefined || !u.enabled) return null;
    if (u.nopass) return u;
    const digest = Buffer.from(hashPassword(password), 'latin1');
    let ok = false;
    // check every stored digest so the time taken does not depend on which one matched
    for (const p of u.passwords) if (timingSafeEqual(digest, Buffer.from(p, 'latin1'))) ok = true;
    return ok ? u : null;
  }

  /** ACLCheckAllPerm for the root selector; null when allowed. */
  check(u: AclUser, e: CommandEntry, args: readonly string[]): AclDenial | null {
    if (!u.allCommands && !(e.flags & FLAG.no_auth) && !u.canRun(e.id)) {
      const allowed = u.firstArgs.get(e.id);
      const idx = e.parent === null ? 1 : 2;
      if (allowed === undefined || args.length <= idx) return 'command';
      const first = args[idx]!.toLowerCase();
      if (!allowed.some((a) => a.toLowerCase() === first)) return 'command';
    }
    if (!u.allKeys && e.spec.keys !== undefined && !keysAllowed(u, e, args)) return 'key';
    if (!u.allChannels && e.spec.channels !== undefined && !channelsAllowed(u, e, args)) return 'channel';
    return null;
  }

  /** Whether a user may receive from `channel` (used to drop subscriptions revoked by ACL SETUSER). */
  channelAllowed(u: AclUser, channel: string, isPattern: boolean): boolean {
    return u.allChannels || channelInList(u.channels, channel, isPattern);
  }
}

function setRequirepass(u: AclUser, password: string, ctx: RuleContext): void {
  applyRule(u, 'resetpass', ctx);
  applyRule(u, password === '' ? 'nopass' : `>${password}`, ctx);
}

function defaultUser(): AclUser {
  // ACLCreateDefaultUser: +@all ~* &* on nopass
  const u = new AclUser('default');
  u.setAllBits(true);
  u.allKeys = true;
  u.allChannels = true;
  u.enabled = true;
  u.nopass = true;
  return u;
}

/** Argument indexes a KeyPositions/ChannelPositions range selects (negative `last` counts from the end). */
function* positions(p: { first: number; last: number; step: number }, argc: number): Generator<number> {
  if (p.first <= 0) return;
  const last = p.last < 0 ? argc + p.last : p.last;
  const step = p.step > 0 ? p.step : 1;
  for (let i = p.first; i <= last && i < argc; i += step) yield i;
}

function keysAllowed(u: AclUser, e: CommandEntry, args: readonly string[]): boolean {
  // Without 7.0 key specs we derive the access kind from the command flags: read for readonly commands,
  // write for write commands (ACLSelectorCheckKey requires a pattern granting all the needed permissions).
  const needRead = (e.flags & FLAG.readonly) !== 0;
  const needWrite = (e.flags & FLAG.write) !== 0;
  for (const i of positions(e.spec.keys!, args.length)) {
    const key = args[i]!;
    const ok = u.keys.some((k) => (!needRead || k.read) && (!needWrite || k.write) && stringMatch(k.pattern, key));
    if (!ok) return false;
  }
  return true;
}

function channelsAllowed(u: AclUser, e: CommandEntry, args: readonly string[]): boolean {
  const spec = e.spec.channels!;
  for (const i of positions(spec, args.length)) {
    if (!channelInList(u.channels, args[i]!, spec.patterns === true)) return false;
  }
  return true;
}

/** ACLCheckChannelAgainstList: patterns (PSUBSCRIBE) must equal an allowed entry; channels are glob-matched. */
function channelInList(list: readonly string[], channel: string, isPattern: boolean): boolean {
  for (const p of list) {
    if (isPattern ? p === channel : stringMatch(p, channel)) return true;
  }
  return false;
}
