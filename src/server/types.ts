/**
 * The contract between the shared RESP server core and the two applications on it (tredis, tsentinel).
 *
 * Commands are data: a registry of CommandSpec entries. Handlers are plain functions closed over their application
 * state (a command family is a factory: `stringCommands(keyspace) → CommandSpec[]`), so the core needs no
 * generics and knows nothing of keys or masters. A handler writes exactly one reply to `ctx.reply` per call.
 */
import type { RespWriter } from '../resp/writer.js';

/** Redis 7.0 command flags (the COMMAND INFO names). */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'sentinel'
  | 'only_sentinel'
  | 'no_mandatory_keys'
  | 'protected'
  | 'no_multi'
  | 'allow_busy';

/** Legacy key positions as COMMAND INFO reports them (1-based arg indexes; last may be negative). */
export interface KeyPositions {
  readonly first: number;
  readonly last: number;
  readonly step: number;
}

export type CommandHandler = (ctx: CommandContext, args: string[]) => void | Promise<void>;

export interface CommandSpec {
  /** Lowercase name; for a subcommand just the subcommand (`kill`), its full name is `client|kill`. */
  readonly name: string;
  /** Redis arity: n > 0 means exactly n arguments including the name(s); n < 0 means at least -n. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  /** ACL categories without the '@' (`read`, `string`, `fast`, ...). */
  readonly categories: readonly string[];
  readonly keys?: KeyPositions;
  /** Container commands (CLIENT, CONFIG, ACL, SENTINEL, ...) dispatch on args[1] to these. */
  readonly subcommands?: readonly CommandSpec[];
  /** COMMAND DOCS fields. */
  readonly summary?: string;
  readonly since?: string;
  readonly group?: string;
  /** Absent only on containers, which are dispatched to a subcommand. */
  readonly handler?: CommandHandler;
  /** COMMAND DOCS `complexity`. */
  readonly complexity?: string;
  /** COMMAND INFO tips (`nondeterministic_output`, `request_policy:all_shards`, ...). */
  readonly tips?: readonly string[];
  /** Arguments that are pub/sub channels, for ACL `&pattern` checks (7.0 getChannelsFromCommand). */
  readonly channels?: ChannelPositions;
}

/** Like KeyPositions; `patterns` marks PSUBSCRIBE-style arguments, which ACL compares literally. */
export interface ChannelPositions {
  readonly first: number;
  readonly last: number;
  readonly step: number;
  readonly patterns?: boolean;
}

/** Why CLIENT UNBLOCK (or the core) ends a blocked command early. */
export type UnblockReason = 'timeout' | 'error';

/**
 * Registered by an async (blocking) handler while it waits. It must end the wait promptly: write the command's
 * timeout reply for 'timeout', or `ctx.reply.error(UNBLOCKED_ERROR)` for 'error', then settle its promise.
 */
export type UnblockHandler = (reason: UnblockReason) => void;

/** A command queued inside MULTI. */
export interface QueuedCommand {
  readonly args: string[];
  /** The resolved spec (the subcommand's for containers). */
  readonly command: CommandSpec;
  /** `get`, `client|kill`. */
  readonly fullName: string;
}

/**
 * What a handler sees. A context is valid until the handler returns, or until its promise settles: the core
 * reuses the context of a synchronous command for the session's next one, so keep `ctx.session`/`ctx.reply`
 * rather than `ctx` itself in anything that outlives the call.
 */
export interface CommandContext {
  readonly session: Session;
  /** Where this command's reply goes (the session's writer, or an EXEC's). */
  readonly reply: RespWriter;
  /** The spec being executed (the subcommand's spec for container commands). */
  readonly command: CommandSpec;
  /** Full name as COMMAND INFO reports it (`client|kill`). Always set by the server core. */
  readonly fullName?: string;
  /**
   * An async handler that can be ended early (CLIENT UNBLOCK) registers how; null unregisters. Always present on
   * contexts made by the server core (optional only so hand-made test contexts stay valid).
   */
  setUnblockHandler?(handler: UnblockHandler | null): void;
}

export type ClientType = 'normal' | 'replica' | 'master' | 'pubsub';

/**
 * One client connection's state. The server core owns the concrete class; applications read it and set the
 * fields documented as theirs.
 */
export interface Session {
  readonly id: number;
  /** CLIENT SETNAME / HELLO SETNAME; '' when unset. */
  name: string;
  /** Selected database (tredis; always 0 on a sentinel). */
  db: number;
  /** RESP protocol version negotiated with HELLO. */
  proto: 2 | 3;
  /** Authenticated ACL user name, or null before AUTH when authentication is required. */
  user: string | null;
  /** `ip:port` of the peer (IPv4-mapped IPv6 shown as plain IPv4), and the local address. */
  readonly addr: string;
  readonly laddr: string;
  /** CLIENT SETINFO values. */
  libName: string;
  libVer: string;
  /** Set by the application: this connection is a replica link (tredis) or its master link. */
  kind: 'normal' | 'replica' | 'master';
  readonly createdAt: number;
  lastInteraction: number;
  /** Channels and patterns this client is subscribed to. */
  readonly channels: ReadonlySet<string>;
  readonly patterns: ReadonlySet<string>;
  /** Transaction state: queued commands while in MULTI, and whether EXEC must abort. */
  inMulti: boolean;
  multiDirty: boolean;
  /** Close the connection once pending output is written (QUIT, protocol errors, CLIENT KILL). */
  closeAfterReply(): void;
  /** Write pre-encoded bytes to this client outside a command (pub/sub messages, replication stream). */
  send(data: Buffer): void;

  // The members below are always present on sessions made by the server core; they are optional only so that
  // hand-made sessions (test fakes) written against the original contract keep compiling.

  /** Commands queued since MULTI (EXEC runs them through RespServer.runQueued). */
  readonly multiQueue?: readonly QueuedCommand[];
  /** Whether the client has authenticated (or needs no authentication). */
  readonly authenticated?: boolean;
  /** Blocked in an async handler or postponed by a pause (CLIENT LIST flags=b). */
  readonly blocked?: boolean;
  /** Connected through the unix socket. */
  readonly unixSocket?: boolean;
}

/**
 * How an application plugs into the dispatcher (server.c processCommand / call). All optional.
 *
 * The guards run for every command from clients, before MULTI queueing: a rejection inside MULTI marks the
 * transaction so EXEC answers EXECABORT (flagTransaction), and a rejected EXEC discards it. For EXEC the guards
 * see the queued commands on `session.multiQueue`. Return the error reply (without '-'), or null to go on.
 */
export interface ServerHooks {
  /** Checks processCommand makes before the RESP2 subscribed-mode check: OOM, MISCONF, NOREPLICAS, READONLY. */
  guardWrites?(ctx: CommandContext, args: string[]): string | null;
  /** Checks processCommand makes after it: MASTERDOWN, LOADING, BUSY. */
  guardState?(ctx: CommandContext, args: string[]): string | null;
  /**
   * Wraps every execution, including each command EXEC runs: call `run()` exactly once to execute the handler
   * (and return what it returns); do propagation, keyspace notifications, ... after it.
   */
  execute?(ctx: CommandContext, args: string[], run: () => void | Promise<void>): void | Promise<void>;
  /** A client connected (or an internal session was created). */
  onSessionOpen?(session: Session): void;
  /** A client is gone: release what the application holds for it (WATCHed keys, replica records, ...). */
  onSessionClose?(session: Session): void;
  /** DISCARD, EXEC abort and RESET end a transaction: release WATCHed keys (multi.c discardTransaction). */
  onTransactionReset?(session: Session): void;
  /** RESET (clearClientConnectionState) after the core reset its own state. */
  onSessionReset?(session: Session): void;
  /**
   * A client sent an empty inline line, which runs no command. A replica loading its RDB sends `\n` as a
   * keepalive and its master counts it as an ACK (networking.c processInlineBuffer: repl_ack_time).
   */
  onEmptyLine?(session: Session): void;
}
