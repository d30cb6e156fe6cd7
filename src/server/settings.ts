/**
 * The server core's settings: a plain, typed, mutable object with Redis 7.0's defaults. The applications map their
 * config directives onto it (later, through the directive table); CONFIG SET changes fields in place and the core
 * reads them live (maxclients, timeout, protected-mode, buffer limits, proto-max-bulk-len). Fields with side effects
 * (requirepass, users, rename-command, bind/port) go through RespServer.reconfigure.
 */

/** One `client-output-buffer-limit` class: bytes, bytes, seconds; 0 disables that limit. */
export interface OutputBufferLimit {
  hardBytes: number;
  softBytes: number;
  softSeconds: number;
}

export type OutputBufferClass = 'normal' | 'replica' | 'pubsub';

export interface ServerSettings {
  /** `bind`: addresses to listen on. `*` is every IPv4 address, `::*` every IPv6 one; a leading `-` makes the
   *  address optional (skipped when it cannot be bound, as `bind * -::*` does on hosts without IPv6). */
  bind: string[];
  /** `port`; 0 disables TCP (Redis semantics). RespServer's `ephemeralPort` option asks the OS for one instead. */
  port: number;
  /** `tcp-backlog`. */
  tcpBacklog: number;
  /** `unixsocket` path, '' for none, and `unixsocketperm` (octal mode as a number, 0 = leave as created). */
  unixsocket: string;
  unixsocketperm: number;
  /** `requirepass`: the default user's password, '' for none (nopass). */
  requirepass: string;
  /** `user` directives, each as its arguments: `['sentinel-user', 'on', '>pw', '+@all']`. */
  users: string[][];
  /** `acl-pubsub-default`: the channel permissions a new user starts with (7.0 default: resetchannels). */
  aclPubsubDefault: 'resetchannels' | 'allchannels';
  /** `protected-mode`. */
  protectedMode: boolean;
  /** `maxclients`. */
  maxclients: number;
  /** `timeout`: seconds a normal client may stay idle; 0 = never. */
  timeout: number;
  /** `tcp-keepalive`, seconds; 0 = off. */
  tcpKeepalive: number;
  /** `client-output-buffer-limit` per class. */
  clientOutputBufferLimit: Record<OutputBufferClass, OutputBufferLimit>;
  /** `client-query-buffer-limit`, bytes. */
  clientQueryBufferLimit: number;
  /** `proto-max-bulk-len`, bytes. */
  protoMaxBulkLen: number;
  /** `rename-command`: original lowercase name → new name; '' disables the command. */
  renameCommand: Record<string, string>;
  /** `hz`: cron frequency (idle timeouts, pause expiry, soft output-buffer limits, stats sampling). */
  hz: number;
}

const MB = 1024 * 1024;

/** redis.conf defaults of Redis 7.0 (config.c standardConfig table). */
export function defaultServerSettings(): ServerSettings {
  return {
    bind: ['*', '-::*'],
    port: 6379,
    tcpBacklog: 511,
    unixsocket: '',
    unixsocketperm: 0,
    requirepass: '',
    users: [],
    aclPubsubDefault: 'resetchannels',
    protectedMode: true,
    maxclients: 10000,
    timeout: 0,
    tcpKeepalive: 300,
    clientOutputBufferLimit: {
      normal: { hardBytes: 0, softBytes: 0, softSeconds: 0 },
      replica: { hardBytes: 256 * MB, softBytes: 64 * MB, softSeconds: 60 },
      pubsub: { hardBytes: 32 * MB, softBytes: 8 * MB, softSeconds: 60 },
    },
    clientQueryBufferLimit: 1024 * MB,
    protoMaxBulkLen: 512 * MB,
    renameCommand: {},
    hz: 10,
  };
}

/** Defaults overridden by `overrides` (nested buffer-limit classes are replaced per class). */
export function serverSettings(overrides: Partial<ServerSettings> = {}): ServerSettings {
  const base = defaultServerSettings();
  return {
    ...base,
    ...overrides,
    clientOutputBufferLimit: { ...base.clientOutputBufferLimit, ...overrides.clientOutputBufferLimit },
  };
}
