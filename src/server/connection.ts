/**
 * A client socket: bytes in → RequestParser → Dispatcher, replies out through the session's writer.
 *
 * Every `data` event is processed as one batch and its replies leave in one socket write (networking.c
 * processInputBuffer + writeToClient). A command whose handler returns a Promise blocks the client: nothing else
 * from it is processed until it settles, as Redis does with blocked clients. Protocol errors are answered and
 * then the connection is closed; `POST`/`Host:` closes it silently; the query-buffer and output-buffer limits
 * close it with Redis's log lines. Nothing a client sends may throw out of here.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Clock } from '../common/clock.js';
import { RequestParser } from '../resp/request-parser.js';
import { clientClass, clientInfoLine } from './client-info.js';
import type { Dispatcher } from './dispatcher.js';
import { LOG } from './replies.js';
import type { ClientSession, SessionTransport } from './session.js';
import type { OutputBufferLimit, ServerSettings } from './settings.js';
import { socketFd, socketIo, type SocketIo } from './socket-io.js';
import type { ServerStats } from './stats.js';

/** Sends at least this large go straight to the socket instead of through the coalescing writer. */
const DIRECT_SEND = 16 * 1024;
/** clientRequireAuthentication: unauthenticated clients may not buffer more than this (Redis 7.0.13+). */
const UNAUTH_QUERY_LIMIT = 1024 * 1024;

export interface ConnectionHost {
  readonly dispatcher: Dispatcher;
  readonly stats: ServerStats;
  readonly settings: ServerSettings;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Whether the default user still requires AUTH (for the unauthenticated query-buffer cap). */
  authRequired(): boolean;
  /** Run `flush` of this connection on the next turn of the event loop (coalescing pushes). */
  queueFlush(conn: Connection): void;
  /** The socket is gone: forget the session. */
  closed(conn: Connection): void;
  /** An empty inline line arrived (the application's onEmptyLine hook). */
  emptyLine(conn: Connection): void;
}

export class Connection implements SessionTransport {
  readonly socket: Socket;
  readonly parser: RequestParser;
  readonly #host: ConnectionHost;
  #session: ClientSession | null = null;
  #inBatch = false;
  #flushQueued = false;
  #endRequested = false;
  /** Writer offset where the current command's reply starts (CLIENT REPLY OFF/SKIP truncate to it). */
  #replyMark = 0;
  #io: SocketIo | null = null;
  readonly fd: number;

  constructor(socket: Socket, host: ConnectionHost) {
    this.socket = socket;
    this.#host = host;
    this.parser = new RequestParser({ maxBulkLen: host.settings.protoMaxBulkLen });
    this.fd = socketFd(socket);
  }

  /** Start serving: the session is created by the server once the connection is accepted. */
  attach(session: ClientSession): void {
    this.#session = session;
    this.parser.unauthenticated = !session.authenticated && this.#host.authRequired();
    const sock = this.socket;
    this.#io = socketIo(sock, (chunk: Buffer) => this.#onData(chunk));
    sock.on('error', (err: Error) => this.#host.logger.debug({ err, client: session.addr }, 'client socket error'));
    sock.on('close', () => this.#onClose());
  }

  get session(): ClientSession {
    return this.#session!;
  }

  /** How this connection reads and writes (see socket-io.ts). */
  get io(): SocketIo {
    return this.#io!;
  }

  get pendingOutput(): number {
    return this.#io?.pending ?? this.socket.writableLength;
  }

  get pendingInput(): number {
    return this.parser.buffered;
  }

  #onData(chunk: Buffer): void {
    const s = this.#session!;
    const host = this.#host;
    if (s.closed) return;
    host.stats.totalNetInputBytes += chunk.length;
    s.lastInteractionMono = host.dispatcher.tick();
    this.parser.limits.maxBulkLen = host.settings.protoMaxBulkLen;
    this.parser.feed(chunk);
    if (this.#queryLimitExceeded(s)) return;
    this.#inBatch = true;
    try {
      this.#processInput();
    } catch (err) {
      // a bug in the core itself: keep the server alive, drop this client
      host.logger.error({ err, client: s.addr }, 'unexpected error while processing client input');
      this.close('internal error');
      return;
    } finally {
      this.#inBatch = false;
    }
    // replies leave after every readable client of this loop turn has been served (handleClientsWithPendingWrites
    // in beforeSleep), not one write per read: the client reading them wakes once per burst, not once per reply
    // (-P 1 with 50 clients: ~11% less CPU per request, bench/node-vs-redis.ts)
    this.scheduleFlush();
  }

  /** processInputBuffer: run complete commands until blocked, closing, or out of input. */
  #processInput(): void {
    const s = this.#session!;
    const parser = this.parser;
    const dispatcher = this.#host.dispatcher;
    while (!s.blocked && !s.closing && !s.closed) {
      const args = parser.next();
      if (args === null) {
        if (parser.error !== null) this.#protocolError(parser.error.reply);
        return;
      }
      if (args.length === 0) {
        this.#host.emptyLine(this);
        continue;
      }
      this.#replyMark = s.writer.length;
      const r = dispatcher.process(s, args);
      if (r instanceof Promise) {
        r.then(
          () => this.#resume(),
          () => this.#resume(),
        );
        return;
      }
      this.#afterCommand(s);
    }
  }

  /** A blocked command finished: apply its reply mode, send, and go on with buffered input. */
  #resume(): void {
    const s = this.#session!;
    if (s.closed) return;
    this.#afterCommand(s);
    this.#host.dispatcher.tick();
    this.#inBatch = true;
    try {
      this.#processInput();
    } catch (err) {
      this.#host.logger.error({ err, client: s.addr }, 'unexpected error while processing client input');
      this.close('internal error');
      return;
    } finally {
      this.#inBatch = false;
    }
    this.flush();
  }

  /** resetClient: CLIENT REPLY OFF/SKIP drop the reply; the master link never gets replies. */
  #afterCommand(s: ClientSession): void {
    // the CVE-2021-32675 limits apply while authentication is required (authRequired is live, as in Redis)
    this.parser.unauthenticated = !s.authenticated && this.#host.authRequired();
    const mode = s.replyMode;
    if (mode === 'on' && s.kind !== 'master') return;
    if (mode === 'off' || mode === 'skip' || s.kind === 'master') s.writer.truncate(this.#replyMark);
    if (mode === 'skip') s.replyMode = 'on';
    else if (mode === 'skip-next') s.replyMode = 'skip';
  }

  #protocolError(reply: string): void {
    const s = this.#session!;
    s.writer.error(reply);
    this.#host.logger.debug(LOG.protocolError(reply, clientInfoLine(s, this.#host.clock.now())));
    s.closeAfterReply();
  }

  /** readQueryFromClient's client-query-buffer-limit check. */
  #queryLimitExceeded(s: ClientSession): boolean {
    if (s.kind === 'master') return false;
    let size = this.parser.buffered;
    for (const q of s.multiQueue) for (const a of q.args) size += a.length;
    const limit = this.#host.settings.clientQueryBufferLimit;
    if (size > limit || (size > UNAUTH_QUERY_LIMIT && !s.authenticated && this.#host.authRequired())) {
      this.#host.logger.warn(LOG.querybufLimit(clientInfoLine(s, this.#host.clock.now())));
      this.#host.stats.qbufLimitDisconnections++;
      this.close('query buffer limit');
      return true;
    }
    return false;
  }

  /** Write everything the session has buffered; end the connection if it was asked to close after replying. */
  flush(): void {
    this.#flushQueued = false;
    const s = this.#session!;
    if (s.closed) return;
    const out = s.writer.take();
    if (this.#replyMark > 0) this.#replyMark = 0;
    if (out !== null) this.#write(out);
    if (s.closing && !this.#endRequested) {
      this.#endRequested = true;
      this.socket.end();
    }
  }

  #write(buf: Buffer): void {
    this.#host.stats.totalNetOutputBytes += buf.length;
    this.#io!.write(buf);
    this.checkOutputLimits();
  }

  scheduleFlush(): void {
    if (this.#inBatch || this.#flushQueued || this.#session!.closed) return;
    this.#flushQueued = true;
    this.#host.queueFlush(this);
  }

  /**
   * Pre-encoded bytes for the client (pub/sub messages, the replication stream). Small ones are coalesced in the
   * writer and leave with the next flush; large ones outside a batch go straight to the socket after whatever the
   * writer holds, avoiding a copy.
   */
  send(data: Buffer): void {
    const s = this.#session!;
    if (s.closed) return;
    if (!this.#inBatch && data.length >= DIRECT_SEND) {
      const pending = s.writer.take();
      if (pending !== null) this.#write(pending);
      this.#write(data);
      return;
    }
    s.writer.raw(data);
    if (!this.checkOutputLimits()) this.scheduleFlush();
  }

  closeAfterReply(): void {
    this.scheduleFlush();
  }

  close(reason: string): void {
    const s = this.#session;
    if (s !== null && s.closed) return;
    this.#host.logger.debug({ client: s?.addr, reason }, 'closing client');
    this.socket.destroy();
    this.#onClose();
  }

  #onClose(): void {
    const s = this.#session;
    if (s === null || s.closed) return;
    s.closed = true;
    this.#host.closed(this);
  }

  /**
   * checkClientOutputBufferLimits on what the socket still holds: the hard limit closes at once, the soft limit
   * once exceeded continuously for its seconds. Masters count as normal clients.
   */
  checkOutputLimits(): boolean {
    const s = this.#session!;
    if (s.closed) return true;
    const cls = clientClass(s);
    const lim: OutputBufferLimit = this.#host.settings.clientOutputBufferLimit[cls === 'master' ? 'normal' : cls];
    if (lim.hardBytes === 0 && lim.softBytes === 0) return false;
    const used = this.pendingOutput + s.writer.length;
    let over = lim.hardBytes > 0 && used >= lim.hardBytes;
    if (lim.softBytes > 0 && used >= lim.softBytes) {
      const now = this.#host.clock.monotonic();
      if (s.obufSoftSince === 0) s.obufSoftSince = now;
      else if (now - s.obufSoftSince > lim.softSeconds * 1000) over = true;
    } else {
      s.obufSoftSince = 0;
    }
    if (!over) return false;
    this.#host.logger.warn(LOG.obufLimit(clientInfoLine(s, this.#host.clock.now())));
    this.#host.stats.obufLimitDisconnections++;
    this.close('output buffer limit');
    return true;
  }

  /** A promise resolved when the socket drained below `threshold`, or null if it already is (replication). */
  backpressure(threshold: number): Promise<void> | null {
    return this.#io === null ? null : this.#io.drained(threshold);
  }
}
