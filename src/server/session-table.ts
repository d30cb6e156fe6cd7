/**
 * The server's clients (server.clients): every ClientSession by id in connection order, the socket Connection
 * or InternalTransport behind each, and the life cycle they share — creation with the default user,
 * authentication, RESET, removal (pub/sub subscriptions dropped, a blocked command told to give up), kill.
 * RespServer owns one and answers CLIENT LIST, INFO connected_clients, the cron's sweeps and the replication port
 * through it.
 */
import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import type { Acl } from './acl/acl.js';
import type { Connection } from './connection.js';
import { InternalTransport } from './internal-transport.js';
import type { PubsubEngine } from './pubsub.js';
import { ClientSession, type SessionTransport } from './session.js';
import type { ServerStats } from './stats.js';
import type { Session } from './types.js';

export type SessionHook = 'onSessionOpen' | 'onSessionClose' | 'onTransactionReset' | 'onSessionReset' | 'onEmptyLine';

export interface SessionTableDeps {
  readonly acl: Acl;
  readonly clock: Clock;
  readonly stats: ServerStats;
  readonly pubsub: PubsubEngine;
  readonly logger: Logger;
  /** Runs an application lifecycle hook (guarded by the server). */
  readonly notify: (hook: SessionHook, s: ClientSession) => void;
}

export class SessionTable {
  readonly #d: SessionTableDeps;
  readonly #clients = new Map<number, ClientSession>();
  readonly #conns = new Map<ClientSession, Connection>();
  readonly #internal = new Map<ClientSession, InternalTransport>();
  #nextId = 1;

  constructor(deps: SessionTableDeps) {
    this.#d = deps;
  }

  /** createClient: a new session, authenticated when the default user needs no password. */
  open(o: { addr: string; laddr: string; unixSocket: boolean; transport: SessionTransport }): ClientSession {
    const def = this.#d.acl.defaultUser;
    const s = new ClientSession({
      id: this.#nextId++,
      addr: o.addr,
      laddr: o.laddr,
      unixSocket: o.unixSocket,
      user: def,
      authenticated: def.nopass && def.enabled,
      nowWall: this.#d.clock.now(),
      nowMono: this.#d.clock.monotonic(),
      transport: o.transport,
      onError: (code) => this.#d.stats.countError(code),
    });
    this.#clients.set(s.id, s);
    return s;
  }

  /** The socket behind a session opened for an accepted connection. */
  attachConnection(s: ClientSession, conn: Connection): void {
    this.#conns.set(s, conn);
  }

  /**
   * A session without a socket that shows in CLIENT LIST: the replica's master link (kind 'master': replies
   * are discarded, no auth or ACL, never paused), or an internal client. Replies go to `sink` if given.
   */
  openInternal(o: { kind?: 'normal' | 'master'; addr: string; laddr?: string; sink?: (data: Buffer) => void }): ClientSession {
    const t = new InternalTransport(o.sink ?? null);
    const s = this.open({ addr: o.addr, laddr: o.laddr ?? '', unixSocket: false, transport: t });
    t.session = s;
    s.kind = o.kind ?? 'normal';
    if (s.kind === 'master') s.user = 'default';
    this.#internal.set(s, t);
    this.#d.notify('onSessionOpen', s);
    return s;
  }

  /** freeClient's bookkeeping: forget the session, drop its subscriptions, end a blocked command. */
  remove(s: ClientSession): void {
    if (!this.#clients.delete(s.id)) return;
    s.closed = true;
    this.#conns.delete(s);
    this.#internal.delete(s);
    this.#d.pubsub.removeClient(s);
    if (s.blocked) {
      // unblockClient on disconnect: let the waiting handler give up
      const h = s.unblockHandler;
      s.unblockHandler = null;
      try {
        h?.('timeout');
      } catch (err) {
        this.#d.logger.error({ err }, 'unblock handler failed');
      }
    }
    this.#d.notify('onSessionClose', s);
  }

  /** freeClient: close at once, dropping pending output. */
  kill(s: ClientSession, reason: string): void {
    const conn = this.#conns.get(s);
    if (conn !== undefined) conn.close(reason);
    else this.remove(s);
  }

  /** AUTH / HELLO AUTH: on success the session runs as that user (ACLAuthenticateUser). */
  authenticate(s: ClientSession, username: string, password: string): boolean {
    const u = this.#d.acl.authenticate(username, password);
    if (u === null) return false;
    s.aclUser = u;
    s.user = u.name;
    return true;
  }

  /** multi.c discardTransaction: MULTI state cleared, the application releases its WATCHes. */
  discardTransaction(s: ClientSession): void {
    s.resetMulti();
    this.#d.notify('onTransactionReset', s);
  }

  /** RESET (clearClientConnectionState): db 0, RESP2, default user, no transaction, no subscriptions, no name. */
  reset(s: ClientSession): void {
    s.db = 0;
    s.proto = 2;
    const def = this.#d.acl.defaultUser;
    s.aclUser = def;
    s.user = def.nopass && def.enabled ? def.name : null;
    this.discardTransaction(s);
    this.#d.pubsub.removeClient(s);
    s.name = '';
    s.replyMode = 'on';
    s.noEvict = false;
    this.#d.notify('onSessionReset', s);
  }

  /** Server shutdown: every socket closed, every internal session removed. */
  closeAll(): void {
    for (const c of [...this.#conns.values()]) c.close('server shutdown');
    for (const s of [...this.#internal.keys()]) this.remove(s);
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Clients in connection order (CLIENT LIST). */
  values(): IterableIterator<ClientSession> {
    return this.#clients.values();
  }

  get(id: number): ClientSession | undefined {
    return this.#clients.get(id);
  }

  /** The session behind a Session handed to a command (sessions of this table only). */
  sessionOf(s: Session): ClientSession | undefined {
    const c = this.#clients.get(s.id);
    return c === s ? c : undefined;
  }

  connectionOf(s: ClientSession): Connection | undefined {
    return this.#conns.get(s);
  }

  internalTransportOf(s: ClientSession): InternalTransport | undefined {
    return this.#internal.get(s);
  }
}
