/**
 * RespServer: the Redis-protocol server both daemons run on. It composes the listeners, one Connection and
 * ClientSession per client, the command registry and dispatcher, ACL, the pub/sub engine, client pause, the
 * cron and the statistics the applications render into INFO. Applications register their command families,
 * plug their checks into ServerHooks and call `listen()`. This class is construction and the public surface;
 * the clients live in session-table.ts, admission in accept.ts, the timers in cron.ts and pause-timer.ts, reply
 * coalescing in flush-queue.ts.
 */
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../common/clock.js';
import { RespWriter } from '../resp/writer.js';
import { Acl } from './acl/acl.js';
import { disconnectUser, dropRevokedSubscribers } from './acl-effects.js';
import type { AclUser } from './acl/user.js';
import { acceptConnection, type AcceptHost } from './accept.js';
import { clientInfoLine, isLoopback } from './client-info.js';
import type { Connection, ConnectionHost } from './connection.js';
import { ServerCron } from './cron.js';
import { Dispatcher } from './dispatcher.js';
import { FlushQueue } from './flush-queue.js';
import { ListenerSet, type BoundListener } from './listener.js';
import { PauseState, type PauseMode, type PausePurpose } from './pause.js';
import { PauseTimer } from './pause-timer.js';
import { PubsubEngine } from './pubsub.js';
import { CommandRegistry } from './registry.js';
import { LOG } from './replies.js';
import { ClientSession, SessionWriter } from './session.js';
import { SessionTable, type SessionHook } from './session-table.js';
import { serverSettings, type ServerSettings } from './settings.js';
import { SOCKET_IO } from './socket-io.js';
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

export { isLoopback } from './client-info.js';

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
  readonly #sessions: SessionTable;
  readonly #listeners: ListenerSet;
  readonly #cron: ServerCron;
  readonly #pauseTimer: PauseTimer;
  #blocked = 0;
  #configured = false;
  readonly #flushQueue = new FlushQueue<Connection>();
  #lastSecurityLog = -Infinity;
  readonly #connHost: ConnectionHost;
  readonly #acceptHost: AcceptHost;

  constructor(opts: RespServerOptions) {
    this.logger = opts.logger;
    this.settings = opts.settings ?? serverSettings();
    this.mode = opts.mode ?? 'standalone';
    this.clock = opts.clock ?? systemClock;
    this.hooks = opts.hooks ?? {};
    this.#role = opts.role ?? (() => 'master');
    this.productVersion = opts.productVersion ?? '0.0.0';
    this.acl = new Acl({
      registry: this.registry,
      pubsubDefault: () => this.settings.aclPubsubDefault,
      warn: (msg) => this.logger.warn(msg),
    });
    this.#sessions = new SessionTable({
      acl: this.acl,
      clock: this.clock,
      stats: this.stats,
      pubsub: this.pubsub,
      logger: this.logger,
      notify: (hook, s) => this.#notify(hook, s),
    });
    this.#pauseTimer = new PauseTimer(this.pause, this.clock);
    this.#cron = new ServerCron({
      settings: () => this.settings,
      clock: this.clock,
      logger: this.logger,
      stats: this.stats,
      sessions: this.#sessions,
      expirePauses: (now) => {
        if (this.pause.expire(now)) this.#pauseTimer.rearm();
      },
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
    this.#connHost = {
      dispatcher: this.dispatcher,
      stats: this.stats,
      settings: this.settings,
      logger: this.logger,
      clock: this.clock,
      authRequired: () => this.acl.defaultRequiresAuth,
      queueFlush: (c) => this.#flushQueue.add(c),
      closed: (c) => this.#sessions.remove(c.session),
      emptyLine: (c) => this.#notify('onEmptyLine', c.session),
    };
    this.#acceptHost = {
      settings: this.settings,
      acl: this.acl,
      stats: this.stats,
      sessions: this.#sessions,
      connHost: this.#connHost,
      isLocal: opts.isLocalAddress ?? isLoopback,
      opened: (s) => this.#notify('onSessionOpen', s),
    };
    this.#listeners = new ListenerSet({
      settings: () => this.settings,
      ephemeral: opts.ephemeralPort ?? false,
      onConnection: (sock, unix) => acceptConnection(sock, unix, this.#acceptHost),
      notice: (msg) => this.logger.info(msg),
      error: (msg, err) => this.logger.error({ err }, msg),
    });
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
    // the slower socket path is worth a line: after a Node upgrade it is the one visible sign (see socket-io.ts)
    if (SOCKET_IO.kind === 'stream') this.logger.info(`Client sockets use net.Socket streams (${SOCKET_IO.reason})`);
    this.#cron.start();
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
    this.#cron.stop();
    this.#pauseTimer.stop();
    this.#sessions.closeAll();
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
    if (changes.hz !== undefined && this.#cron.running) this.#cron.start();
  }

  // ---- clients ------------------------------------------------------------------------------------------

  /** Run a lifecycle hook; an application bug there must not take the server down. */
  #notify(hook: SessionHook, s: ClientSession): void {
    try {
      this.hooks[hook]?.(s);
    } catch (err) {
      this.logger.error({ err, hook, client: s.addr }, 'session hook failed');
    }
  }

  /** Clients in connection order (CLIENT LIST). */
  clients(): IterableIterator<ClientSession> {
    return this.#sessions.values();
  }

  clientById(id: number): ClientSession | undefined {
    return this.#sessions.get(id);
  }

  get connectedClients(): number {
    return this.#sessions.size;
  }

  /** INFO blocked_clients: clients in a blocking command or postponed by a pause. */
  get blockedClients(): number {
    return this.#blocked;
  }

  /** The session behind a Session handed to a command (sessions made by this server only). */
  sessionOf(s: Session): ClientSession | undefined {
    return this.#sessions.sessionOf(s);
  }

  /** CLIENT LIST / CLIENT INFO line. */
  clientInfo(s: ClientSession): string {
    return clientInfoLine(s, this.clock.now());
  }

  /** freeClient: close at once, dropping pending output. */
  killClient(s: ClientSession, reason = 'killed'): void {
    this.#sessions.kill(s, reason);
  }

  /** HELLO's role field (data nodes). */
  role(): 'master' | 'replica' {
    return this.#role();
  }

  // ---- authentication ------------------------------------------------------------------------------------

  /** AUTH / HELLO AUTH: on success the session runs as that user (ACLAuthenticateUser). */
  authenticateSession(s: ClientSession, username: string, password: string): boolean {
    return this.#sessions.authenticate(s, username, password);
  }

  /** RESET (clearClientConnectionState; see SessionTable.reset). */
  resetSession(s: ClientSession): void {
    this.#sessions.reset(s);
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
    this.#sessions.connectionOf(s)?.flush();
  }

  /** Resolves once the client's socket has drained below 4 MB; null when it is below already. */
  backpressure(session: Session, threshold = 4 * 1024 * 1024): Promise<void> | null {
    const s = this.sessionOf(session);
    const conn = s === undefined ? undefined : this.#sessions.connectionOf(s);
    return conn === undefined ? null : conn.backpressure(threshold);
  }

  // ---- internal sessions ---------------------------------------------------------------------------------

  /** A session without a socket that shows in CLIENT LIST (see SessionTable.openInternal). */
  createInternalSession(o: { kind?: 'normal' | 'master'; addr: string; laddr?: string; sink?: (data: Buffer) => void }): ClientSession {
    return this.#sessions.openInternal(o);
  }

  /** Run one command on an internal session through the full dispatcher path. */
  execute(s: ClientSession, args: string[]): void | Promise<void> {
    const t = this.#sessions.internalTransportOf(s);
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
    this.#sessions.remove(s);
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
    if (s !== undefined) this.#sessions.discardTransaction(s);
  }

  // ---- blocking, pause ----------------------------------------------------------------------------------

  /** CLIENT UNBLOCK: end a client's blocking command through its registered handler. */
  unblockClient(id: number, reason: UnblockReason): boolean {
    const s = this.#sessions.get(id);
    if (s === undefined || s.blockedBy !== 'async' || s.unblockHandler === null) return false;
    const h = s.unblockHandler;
    s.unblockHandler = null;
    h(reason);
    return true;
  }

  /** pauseClients; `endMono` is a monotonic deadline in ms (Infinity: until unpaused). */
  pauseClients(purpose: PausePurpose, mode: PauseMode, endMono: number): void {
    this.pause.pause(purpose, mode, endMono);
    this.#pauseTimer.rearm();
  }

  unpauseClients(purpose: PausePurpose): void {
    this.pause.unpause(purpose);
    this.#pauseTimer.rearm();
  }

  // ---- cron ---------------------------------------------------------------------------------------------

  /** Run `task` on every cron tick (hz); returns a function that removes it. */
  onCron(task: (nowMono: number) => void): () => void {
    return this.#cron.add(task);
  }

  /** One serverCron round (exposed for tests): pause expiry, clientsCron, stats sampling, application tasks. */
  cronTick(): void {
    this.#cron.tick();
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
