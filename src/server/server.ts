/**
 * RespServer: the Redis-protocol server both daemons run on. It composes the listeners, one Connection and
 * ClientSession per client, the command registry and dispatcher, ACL, the pub/sub engine, client pause, the
 * cron and the statistics the applications render into INFO. Applications register their command families,
 * plug their checks into ServerHooks and call `listen()`.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../common/clock.js';
import { RespWriter } from '../resp/writer.js';
import { Acl } from './acl/acl.js';
import { disconnectUser, dropRevokedSubscribers } from './acl-effects.js';
import type { AclUser } from './acl/user.js';
import { clientInfoLine } from './client-info.js';
import { Connection, type ConnectionHost } from './connection.js';
import { Dispatcher } from './dispatcher.js';
import { ListenerSet, type BoundListener } from './listener.js';
import { PauseState, type PauseMode, type PausePurpose } from './pause.js';
import { PubsubEngine } from './pubsub.js';
import { CommandRegistry } from './registry.js';
import { formatAddr, normalizeIp } from './client-info.js';
import { LOG, MAX_CLIENTS_LINE, PROTECTED_MODE_DENIED } from './replies.js';
import { InternalTransport } from './internal-transport.js';
import { ClientSession, SessionWriter, type SessionTransport } from './session.js';
import { serverSettings, type ServerSettings } from './settings.js';
import { ServerStats } from './stats.js';
import type { CommandContext, CommandSpec, QueuedCommand, ServerHooks, Session, UnblockReason } from './types.js';

/** What HELLO and INFO report as the server version: clients gate features on it (we implement 7.0.15). */
export const REDIS_COMPAT_VERSION = '7.0.15';

export interface RespServerOptions {
  readonly logger: Logger;
  /** Defaults to Redis's defaults. The object is kept and read live. */
  readonly settings?: ServerSettings;
  readonly mode?: 'standalone' | 'sentinel';
  readonly clock?: Clock;
  readonly hooks?: ServerHooks;
  /** HELLO's `role` on a data node (absent in sentinel mode). */
  readonly role?: () => 'master' | 'replica';
  /** Our own version, for the applications' INFO. */
  readonly productVersion?: string;
  /** Listen on an OS-assigned port when `settings.port` is 0 (tests, embedding) instead of disabling TCP. */
  readonly ephemeralPort?: boolean;
  /** Protected mode's notion of a local peer (connIsLocal); replaceable for tests. */
  readonly isLocalAddress?: (ip: string) => boolean;
}

/** connIsLocal: loopback IPv4/IPv6 (unix sockets are always local). */
export function isLoopback(ip: string): boolean {
  const a = normalizeIp(ip);
  return a.startsWith('127.') || a === '::1';
}

export class RespServer {
  readonly settings: ServerSettings;
  readonly mode: 'standalone' | 'sentinel';
  readonly logger: Logger;
  readonly clock: Clock;
  readonly registry = new CommandRegistry();
  readonly acl: Acl;
  readonly pubsub = new PubsubEngine();
  readonly stats = new ServerStats();
  readonly pause = new PauseState();
  readonly dispatcher: Dispatcher;
  readonly hooks: ServerHooks;
  readonly serverVersion = REDIS_COMPAT_VERSION;
  readonly productVersion: string;
  readonly #role: () => 'master' | 'replica';
  readonly #ephemeral: boolean;
  readonly #isLocal: (ip: string) => boolean;
  readonly #clients = new Map<number, ClientSession>();
  readonly #conns = new Map<ClientSession, Connection>();
  readonly #internal = new Map<ClientSession, InternalTransport>();
  readonly #listeners: ListenerSet;
  #nextId = 1;
  #blocked = 0;
  #configured = false;
  #cron: ReturnType<typeof setInterval> | null = null;
  #cronHz = 0;
  #pauseTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #cronTasks = new Set<(nowMono: number) => void>();
  readonly #flushQueue = new Set<Connection>();
  #flushScheduled = false;
  #lastSecurityLog = -Infinity;
  #lastSample = -Infinity;
  readonly #connHost: ConnectionHost;

  constructor(opts: RespServerOptions) {
    this.logger = opts.logger;
    this.settings = opts.settings ?? serverSettings();
    this.mode = opts.mode ?? 'standalone';
    this.clock = opts.clock ?? systemClock;
    this.hooks = opts.hooks ?? {};
    this.#role = opts.role ?? (() => 'master');
    this.productVersion = opts.productVersion ?? '0.0.0';
    this.#ephemeral = opts.ephemeralPort ?? false;
    this.#isLocal = opts.isLocalAddress ?? isLoopback;
    this.acl = new Acl({
      registry: this.registry,
      pubsubDefault: () => this.settings.aclPubsubDefault,
      warn: (msg) => this.logger.warn(msg),
    });
    this.dispatcher = new Dispatcher({
      registry: this.registry,
      acl: this.acl,
      pause: this.pause,
      stats: this.stats,
      clock: this.clock,
      logger: this.logger,
      hooks: this.hooks,
      discardTransaction: (s) => this.discardTransaction(s),
      securityAttack: (s) => this.#securityAttack(s),
      blockedChanged: (d) => (this.#blocked += d),
    });
    this.#listeners = new ListenerSet({
      settings: () => this.settings,
      ephemeral: this.#ephemeral,
      onConnection: (sock, unix) => this.#accept(sock, unix),
      notice: (msg) => this.logger.info(msg),
      error: (msg, err) => this.logger.error({ err }, msg),
    });
    const self = this;
    this.#connHost = {
      dispatcher: this.dispatcher,
      stats: this.stats,
      get settings() {
        return self.settings;
      },
      logger: this.logger,
      clock: this.clock,
      authRequired: () => this.acl.defaultRequiresAuth,
      queueFlush: (c) => this.#queueFlush(c),
      closed: (c) => this.#connectionClosed(c),
      emptyLine: (c) => this.#notify('onEmptyLine', c.session),
    };
  }

  // ---- set-up -------------------------------------------------------------------------------------------

  /** Add command families (before `listen`, or later: ACL rules then see them as future commands). */
  register(...specs: CommandSpec[]): void {
    this.registry.register(...specs);
  }

  /**
   * Apply rename-command and the ACL configuration (requirepass, user directives). `listen()` calls it; call it
   * directly to validate a configuration without listening. Throws ConfigError on a bad ACL rule.
   */
  configure(): void {
    this.registry.applyRenames(this.settings.renameCommand);
    this.acl.configure(this.settings.requirepass, this.settings.users);
    this.#configured = true;
  }

  async listen(): Promise<void> {
    if (!this.#configured) this.configure();
    await this.#listeners.open();
    this.#armCron();
  }

  /** CONFIG SET bind / port / unixsocket: reopen the listeners (see ListenerSet.rebind). */
  rebind(): Promise<void> {
    return this.#listeners.rebind();
  }

  /** The TCP port actually listened on (0 if none). */
  get port(): number {
    return this.#listeners.port;
  }

  get listeners(): readonly BoundListener[] {
    return this.#listeners.all;
  }

  /** Stop listening, disconnect every client, stop timers. */
  async close(): Promise<void> {
    if (this.#cron !== null) clearInterval(this.#cron);
    this.#cron = null;
    if (this.#pauseTimer !== null) clearTimeout(this.#pauseTimer);
    this.#pauseTimer = null;
    for (const c of [...this.#conns.values()]) c.close('server shutdown');
    for (const s of [...this.#internal.keys()]) this.#removeSession(s);
    await this.#listeners.close();
  }

  /**
   * Live changes with side effects (CONFIG SET). Fields without side effects may simply be assigned on
   * `settings`; these are re-applied here: requirepass (the default user's password), rename-command, users.
   */
  reconfigure(changes: Partial<ServerSettings>): void {
    Object.assign(this.settings, changes);
    if (changes.renameCommand !== undefined) this.registry.applyRenames(this.settings.renameCommand);
    if (changes.users !== undefined) {
      // users no longer configured go the way of ACL DELUSER
      for (const u of this.acl.configure(this.settings.requirepass, this.settings.users)) this.disconnectUser(u, null);
    } else if (changes.requirepass !== undefined) this.acl.setRequirepass(this.settings.requirepass);
    if (changes.hz !== undefined && this.#cron !== null) this.#armCron();
  }

  // ---- clients ------------------------------------------------------------------------------------------

  #accept(sock: Socket, unix: boolean): void {
    sock.on('error', () => {});
    const st = this.stats;
    // acceptCommonHandler: maxclients first (the error is written straight to the socket)
    if (this.#clients.size >= this.settings.maxclients) {
      st.rejectedConnections++;
      sock.end(MAX_CLIENTS_LINE);
      return;
    }
    // clientAcceptHandler: protected mode refuses non-local peers while the default user has no password
    if (this.settings.protectedMode && this.acl.defaultUser.nopass && !unix && !this.#isLocal(sock.remoteAddress ?? '')) {
      st.rejectedConnections++;
      sock.end(PROTECTED_MODE_DENIED);
      return;
    }
    sock.setNoDelay(true);
    if (this.settings.tcpKeepalive > 0 && !unix) sock.setKeepAlive(true, this.settings.tcpKeepalive * 1000);
    const conn = new Connection(sock, this.#connHost);
    const path = this.settings.unixsocket;
    const session = this.#newSession({
      addr: unix ? `${path}:0` : formatAddr(sock.remoteAddress, sock.remotePort),
      laddr: unix ? `${path}:0` : formatAddr(sock.localAddress, sock.localPort),
      unixSocket: unix,
      transport: conn,
    });
    this.#conns.set(session, conn);
    st.totalConnectionsReceived++;
    conn.attach(session);
    this.#notify('onSessionOpen', session);
  }

  /** Run a lifecycle hook; an application bug there must not take the server down. */
  #notify(hook: 'onSessionOpen' | 'onSessionClose' | 'onTransactionReset' | 'onSessionReset' | 'onEmptyLine', s: ClientSession): void {
    try {
      this.hooks[hook]?.(s);
    } catch (err) {
      this.logger.error({ err, hook, client: s.addr }, 'session hook failed');
    }
  }

  #newSession(o: { addr: string; laddr: string; unixSocket: boolean; transport: SessionTransport }): ClientSession {
    const def = this.acl.defaultUser;
    const s = new ClientSession({
      id: this.#nextId++,
      addr: o.addr,
      laddr: o.laddr,
      unixSocket: o.unixSocket,
      user: def,
      authenticated: def.nopass && def.enabled,
      nowWall: this.clock.now(),
      nowMono: this.clock.monotonic(),
      transport: o.transport,
      onError: (code) => this.stats.countError(code),
    });
    this.#clients.set(s.id, s);
    return s;
  }

  #connectionClosed(c: Connection): void {
    this.#removeSession(c.session);
  }

  #removeSession(s: ClientSession): void {
    if (!this.#clients.delete(s.id)) return;
    s.closed = true;
    this.#conns.delete(s);
    this.#internal.delete(s);
    this.pubsub.removeClient(s);
    if (s.blocked) {
      // unblockClient on disconnect: let the waiting handler give up
      const h = s.unblockHandler;
      s.unblockHandler = null;
      try {
        h?.('timeout');
      } catch (err) {
        this.logger.error({ err }, 'unblock handler failed');
      }
    }
    this.#notify('onSessionClose', s);
  }

  /** Clients in connection order (CLIENT LIST). */
  clients(): IterableIterator<ClientSession> {
    return this.#clients.values();
  }

  clientById(id: number): ClientSession | undefined {
    return this.#clients.get(id);
  }

  get connectedClients(): number {
    return this.#clients.size;
  }

  /** INFO blocked_clients: clients in a blocking command or postponed by a pause. */
  get blockedClients(): number {
    return this.#blocked;
  }

  /** The session behind a Session handed to a command (sessions made by this server only). */
  sessionOf(s: Session): ClientSession | undefined {
    const c = this.#clients.get(s.id);
    return c === s ? c : undefined;
  }

  /** CLIENT LIST / CLIENT INFO line. */
  clientInfo(s: ClientSession): string {
    return clientInfoLine(s, this.clock.now());
  }

  /** freeClient: close at once, dropping pending output. */
  killClient(s: ClientSession, reason = 'killed'): void {
    const conn = this.#conns.get(s);
    if (conn !== undefined) conn.close(reason);
    else this.#removeSession(s);
  }

  /** HELLO's role field (data nodes). */
  role(): 'master' | 'replica' {
    return this.#role();
  }

  // ---- authentication ------------------------------------------------------------------------------------

  /** AUTH / HELLO AUTH: on success the session runs as that user (ACLAuthenticateUser). */
  authenticateSession(s: ClientSession, username: string, password: string): boolean {
    const u = this.acl.authenticate(username, password);
    if (u === null) return false;
    s.aclUser = u;
    s.user = u.name;
    return true;
  }

  /** RESET (clearClientConnectionState): db 0, RESP2, default user, no transaction, no subscriptions, no name. */
  resetSession(s: ClientSession): void {
    s.db = 0;
    s.proto = 2;
    const def = this.acl.defaultUser;
    s.aclUser = def;
    s.user = def.nopass && def.enabled ? def.name : null;
    this.discardTransaction(s);
    this.pubsub.removeClient(s);
    s.name = '';
    s.replyMode = 'on';
    s.noEvict = false;
    this.#notify('onSessionReset', s);
  }

  /** ACL DELUSER: the user's clients lose their authentication and are disconnected (see acl-effects.ts). */
  disconnectUser(u: AclUser, caller: Session | null): void {
    disconnectUser(this, this.acl, u, caller);
  }

  /** ACL SETUSER narrowed a user's channels: drop its subscribers that hold revoked ones (see acl-effects.ts). */
  dropRevokedSubscribers(u: AclUser, caller: Session | null): void {
    dropRevokedSubscribers(this, this.acl, u, caller);
  }

  // ---- RawConnectionPort (replication) ----------------------------------------------------------------------

  /** The command answers nothing (PSYNC, REPLCONF ACK): the handler simply writes no reply. */
  noReply(_ctx: CommandContext): void {}

  /** Close once what was already sent is written (replica dropped, rdb-only transfer done). */
  closeClient(session: Session, reason: string): void {
    const s = this.sessionOf(session);
    if (s === undefined) return;
    this.logger.debug({ client: s.addr, reason }, 'closing client after reply');
    s.closeAfterReply();
    this.#conns.get(s)?.flush();
  }

  /** Resolves once the client's socket has drained below 4 MB; null when it is below already. */
  backpressure(session: Session, threshold = 4 * 1024 * 1024): Promise<void> | null {
    const s = this.sessionOf(session);
    const conn = s === undefined ? undefined : this.#conns.get(s);
    return conn === undefined ? null : conn.backpressure(threshold);
  }

  // ---- internal sessions ---------------------------------------------------------------------------------

  /**
   * A session without a socket that shows in CLIENT LIST: the replica's master link (kind 'master': replies
   * are discarded, no auth or ACL, never paused), or an internal client. Replies go to `sink` if given.
   */
  createInternalSession(o: { kind?: 'normal' | 'master'; addr: string; laddr?: string; sink?: (data: Buffer) => void }): ClientSession {
    const t = new InternalTransport(o.sink ?? null);
    const s = this.#newSession({ addr: o.addr, laddr: o.laddr ?? '', unixSocket: false, transport: t });
    t.session = s;
    s.kind = o.kind ?? 'normal';
    if (s.kind === 'master') s.user = 'default';
    this.#internal.set(s, t);
    this.#notify('onSessionOpen', s);
    return s;
  }

  /** Run one command on an internal session through the full dispatcher path. */
  execute(s: ClientSession, args: string[]): void | Promise<void> {
    const t = this.#internal.get(s);
    const mark = s.writer.length;
    const done = (): void => {
      if (s.kind === 'master' || s.replyMode === 'off' || s.replyMode === 'skip') s.writer.truncate(mark);
      if (s.replyMode === 'skip') s.replyMode = 'on';
      else if (s.replyMode === 'skip-next') s.replyMode = 'skip';
      t?.flush();
    };
    this.dispatcher.tick();
    const r = this.dispatcher.process(s, args);
    if (r instanceof Promise) return r.then(done);
    done();
  }

  /** Remove an internal session (the master link went away). */
  dropInternalSession(s: ClientSession): void {
    this.#removeSession(s);
  }

  // ---- transactions (MULTI/EXEC are the application's) ----------------------------------------------------

  /**
   * Run one queued command for EXEC through the full execution path (ACL re-check, hooks, statistics), its
   * reply into `out` (normally the EXEC's ctx.reply).
   */
  runQueued(session: Session, q: QueuedCommand, out: RespWriter): void | Promise<void> {
    const s = this.sessionOf(session);
    if (s === undefined) throw new Error('runQueued: not a session of this server');
    if (out instanceof SessionWriter) return this.dispatcher.runQueued(s, q, out);
    const tmp = new SessionWriter((code) => this.stats.countError(code));
    tmp.proto = out.proto;
    const copy = (): void => {
      const b = tmp.take();
      if (b !== null) out.raw(b);
    };
    const r = this.dispatcher.runQueued(s, q, tmp);
    if (r instanceof Promise) return r.then(copy);
    copy();
  }

  /** multi.c discardTransaction: MULTI state cleared, the application releases its WATCHes. */
  discardTransaction(session: Session): void {
    const s = this.sessionOf(session);
    if (s === undefined) return;
    s.resetMulti();
    this.#notify('onTransactionReset', s);
  }

  // ---- blocking, pause ----------------------------------------------------------------------------------

  /** CLIENT UNBLOCK: end a client's blocking command through its registered handler. */
  unblockClient(id: number, reason: UnblockReason): boolean {
    const s = this.#clients.get(id);
    if (s === undefined || s.blockedBy !== 'async' || s.unblockHandler === null) return false;
    const h = s.unblockHandler;
    s.unblockHandler = null;
    h(reason);
    return true;
  }

  /** pauseClients; `endMono` is a monotonic deadline in ms (Infinity: until unpaused). */
  pauseClients(purpose: PausePurpose, mode: PauseMode, endMono: number): void {
    this.pause.pause(purpose, mode, endMono);
    this.#armPauseTimer();
  }

  unpauseClients(purpose: PausePurpose): void {
    this.pause.unpause(purpose);
    this.#armPauseTimer();
  }

  #armPauseTimer(): void {
    if (this.#pauseTimer !== null) clearTimeout(this.#pauseTimer);
    this.#pauseTimer = null;
    const next = this.pause.nextExpiry;
    if (next === Infinity) return;
    const delay = Math.max(0, Math.min(next - this.clock.monotonic(), 2 ** 31 - 1));
    this.#pauseTimer = setTimeout(() => {
      this.#pauseTimer = null;
      this.pause.expire(this.clock.monotonic());
      this.#armPauseTimer();
    }, Math.ceil(delay));
    this.#pauseTimer.unref();
  }

  // ---- cron ---------------------------------------------------------------------------------------------

  /** Run `task` on every cron tick (hz); returns a function that removes it. */
  onCron(task: (nowMono: number) => void): () => void {
    this.#cronTasks.add(task);
    return () => this.#cronTasks.delete(task);
  }

  #armCron(): void {
    if (this.#cron !== null) clearInterval(this.#cron);
    const hz = Math.min(500, Math.max(1, this.settings.hz));
    this.#cronHz = hz;
    this.#cron = setInterval(() => this.cronTick(), Math.round(1000 / hz));
    this.#cron.unref();
  }

  /** One serverCron round (exposed for tests): pause expiry, clientsCron, stats sampling, application tasks. */
  cronTick(): void {
    const now = this.clock.monotonic();
    if (this.settings.hz !== this.#cronHz && this.#cron !== null) this.#armCron();
    if (this.pause.expire(now)) this.#armPauseTimer();
    const idleLimit = this.settings.timeout * 1000;
    for (const s of [...this.#clients.values()]) {
      const conn = this.#conns.get(s);
      if (conn === undefined) continue;
      // clientsCronHandleTimeout: replicas, the master, blocked and subscribed clients never time out
      if (idleLimit > 0 && s.kind === 'normal' && !s.blocked && !s.isPubsub && now - s.lastInteractionMono > idleLimit) {
        this.logger.debug(LOG.idle);
        conn.close('idle timeout');
        continue;
      }
      this.stats.observeBuffers(conn.pendingInput, conn.pendingOutput + s.writer.length);
      conn.checkOutputLimits();
    }
    // run_with_period(100): the instantaneous metrics average 16 samples taken 100 ms apart, whatever hz is
    if (now - this.#lastSample >= 100) {
      this.#lastSample = now;
      this.stats.sample(now);
    }
    for (const t of this.#cronTasks) {
      try {
        t(now);
      } catch (err) {
        this.logger.error({ err }, 'cron task failed');
      }
    }
  }

  // ---- output coalescing --------------------------------------------------------------------------------

  #queueFlush(c: Connection): void {
    this.#flushQueue.add(c);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      const conns = [...this.#flushQueue];
      this.#flushQueue.clear();
      for (const conn of conns) conn.flush();
    });
  }

  #securityAttack(s: ClientSession): void {
    // securityWarningCommand logs at most once a minute
    const now = this.clock.monotonic();
    if (now - this.#lastSecurityLog > 60_000) {
      this.#lastSecurityLog = now;
      this.logger.warn(LOG.SECURITY_ATTACK);
    }
    s.writer.take();
    this.killClient(s, 'security attack');
  }
}
