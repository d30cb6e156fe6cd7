/**
 * One client connection's state (Redis's `client` struct, the parts both daemons need). The socket side lives in
 * connection.ts behind the small SessionTransport port, so sessions also exist without a socket (unit tests,
 * internal clients).
 */
import { RespWriter } from '../resp/writer.js';
import type { AclUser } from './acl/user.js';
import type { PubsubClient } from './pubsub.js';
import type { CommandContext, CommandSpec, QueuedCommand, Session, UnblockHandler } from './types.js';

/** What a session needs from its connection. */
export interface SessionTransport {
  /** Reply bytes are waiting in the session writer: write them out soon. */
  scheduleFlush(): void;
  /** Bytes for the client outside a command's reply (pushes, replication stream), in order after the replies. */
  send(data: Buffer): void;
  /** Close after pending output is written (QUIT, protocol errors, CLIENT KILL of oneself). */
  closeAfterReply(): void;
  /** Close now, dropping pending output (CLIENT KILL, limits). */
  close(reason: string): void;
  /** Bytes accepted for the socket but not yet handed to the kernel. */
  readonly pendingOutput: number;
  /** Received bytes not yet parsed into a complete command (CLIENT LIST qbuf). */
  readonly pendingInput: number;
  /** File descriptor for CLIENT LIST (`-1` when unknown). */
  readonly fd: number;
}

/** RespWriter that counts error replies for INFO errorstats / failed_calls (networking.c afterErrorReply). */
export class SessionWriter extends RespWriter {
  errors = 0;
  constructor(private readonly onError: (code: string) => void) {
    super();
  }

  override error(s: string): void {
    super.error(s);
    this.errors++;
    this.onError(errorCode(s));
  }
}

/** The error code Redis counts: the text up to the first space within 32 bytes, else ERR. */
export function errorCode(s: string): string {
  const sp = s.indexOf(' ');
  return sp > 0 && sp < 32 ? s.slice(0, sp) : 'ERR';
}

export type ReplyMode = 'on' | 'off' | 'skip' | 'skip-next';

/**
 * The context handed to a handler. The dispatcher reuses the context of a command that completed synchronously
 * for the session's next command (one allocation less per command); one whose handler returned a Promise is
 * never reused.
 */
export class CommandCtx implements CommandContext {
  constructor(
    readonly session: ClientSession,
    public reply: SessionWriter,
    public command: CommandSpec,
    public fullName: string,
  ) {}

  setUnblockHandler(handler: UnblockHandler | null): void {
    this.session.unblockHandler = handler;
  }
}

export class ClientSession implements Session, PubsubClient {
  readonly id: number;
  name = '';
  db = 0;
  #proto: 2 | 3 = 2;
  user: string | null;
  /** The ACL user permission checks use (Redis's c->user: the default user until AUTH). */
  aclUser: AclUser;
  readonly addr: string;
  readonly laddr: string;
  libName = '';
  libVer = '';
  kind: 'normal' | 'replica' | 'master' = 'normal';
  readonly createdAt: number;
  /** Monotonic ms of the last interaction (idle timeout); `lastInteraction` is its wall-clock equivalent. */
  lastInteractionMono: number;
  /** Wall minus monotonic at creation: converts monotonic readings to wall time without another clock read. */
  readonly #wallOffset: number;
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  inMulti = false;
  multiDirty = false;
  multiQueue: QueuedCommand[] = [];
  /** Union of the queued commands' flag masks (EXEC is a write if any queued command is). */
  multiFlags = 0;
  replyMode: ReplyMode = 'on';
  noEvict = false;
  /** Why processing is suspended, if it is. */
  blockedBy: 'async' | 'pause' | null = null;
  unblockHandler: UnblockHandler | null = null;
  /** Full name of the last command run (`client|list`), CLIENT LIST `cmd=`. */
  lastCommand = 'NULL';
  /** Arguments of the command being processed (CLIENT LIST argv-mem), null between commands. */
  argv: string[] | null = null;
  readonly unixSocket: boolean;
  readonly writer: SessionWriter;
  /** Set once the session is closed; nothing more is processed or sent. */
  closed = false;
  /** A context free for reuse by the next command (see CommandCtx). */
  spareCtx: CommandCtx | null = null;
  /** Set by closeAfterReply: the rest of the input is ignored. */
  closing = false;
  /** Soft output-buffer limit bookkeeping: monotonic ms when the soft limit was first exceeded, or 0. */
  obufSoftSince = 0;
  /** Replies are not sent for this command (replication PSYNC: the stream follows instead). */
  noReplyOnce = false;
  /** Error replies already charged to a finished call() of this session (see Dispatcher #finish). */
  errorsCharged = 0;
  #transport: SessionTransport | null;

  constructor(opts: {
    id: number;
    addr: string;
    laddr: string;
    unixSocket?: boolean;
    user: AclUser;
    authenticated: boolean;
    nowWall: number;
    nowMono: number;
    transport: SessionTransport | null;
    onError: (code: string) => void;
  }) {
    this.id = opts.id;
    this.addr = opts.addr;
    this.laddr = opts.laddr;
    this.unixSocket = opts.unixSocket ?? false;
    this.aclUser = opts.user;
    this.user = opts.authenticated ? opts.user.name : null;
    this.createdAt = opts.nowWall;
    this.lastInteractionMono = opts.nowMono;
    this.#wallOffset = opts.nowWall - opts.nowMono;
    this.#transport = opts.transport;
    this.writer = new SessionWriter(opts.onError);
  }

  /** Wall-clock ms of the last interaction (Session contract). */
  get lastInteraction(): number {
    return this.lastInteractionMono + this.#wallOffset;
  }

  set lastInteraction(wall: number) {
    this.lastInteractionMono = wall - this.#wallOffset;
  }

  /** Bytes of the arguments of the command being processed. */
  get argvBytes(): number {
    let n = 0;
    if (this.argv !== null) for (const a of this.argv) n += a.length;
    return n;
  }

  get proto(): 2 | 3 {
    return this.#proto;
  }

  set proto(p: 2 | 3) {
    this.#proto = p;
    this.writer.proto = p;
  }

  get authenticated(): boolean {
    return this.user !== null;
  }

  get blocked(): boolean {
    return this.blockedBy !== null;
  }

  /** Subscribed to at least one channel or pattern (CLIENT_PUBSUB). */
  get isPubsub(): boolean {
    return this.channels.size + this.patterns.size > 0;
  }

  get transport(): SessionTransport | null {
    return this.#transport;
  }

  closeAfterReply(): void {
    this.closing = true;
    this.#transport?.closeAfterReply();
  }

  send(data: Buffer): void {
    if (this.closed) return;
    if (this.#transport !== null) this.#transport.send(data);
    else this.writer.raw(data);
  }

  deliver(frame: Buffer): void {
    this.send(frame);
  }

  /** Drop the transaction state (multi.c discardTransaction, minus WATCH which is the application's). */
  resetMulti(): void {
    this.inMulti = false;
    this.multiDirty = false;
    this.multiQueue = [];
    this.multiFlags = 0;
  }
}
