/**
 * Wire text of the server core's error replies, exactly as Redis 7.0.15 sends them (server.c, networking.c,
 * acl.c, pubsub.c; checked against the real binary). Texts omit the leading '-' and the CRLF: pass them to
 * RespWriter.error. Anything with user input is a function so the quoting and truncation live here too.
 */

/** printf's `%.128s`, as Redis uses for echoing names back. */
const s128 = (s: string): string => (s.length > 128 ? s.slice(0, 128) : s);

export const ERR = {
  SYNTAX: 'ERR syntax error',
  NOAUTH: 'NOAUTH Authentication required.',
  WRONGPASS: 'WRONGPASS invalid username-password pair or user is disabled.',
  AUTH_WITHOUT_PASSWORD:
    'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
  HELLO_NOAUTH:
    'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
  NOPROTO: 'NOPROTO unsupported protocol version',
  HELLO_PROTO_NOT_INT: 'ERR Protocol version is not an integer or out of range',
  NO_MULTI: 'ERR Command not allowed inside a transaction',
  NOPERM_KEY: 'NOPERM this user has no permissions to access one of the keys used as arguments',
  NOPERM_CHANNEL: 'NOPERM this user has no permissions to access one of the channels used as arguments',
  MAX_CLIENTS: 'ERR max number of clients reached',
  NO_SUCH_CLIENT: 'ERR No such client',
  CLIENT_ID_NOT_POSITIVE: 'ERR client-id should be greater than 0',
  INVALID_CLIENT_ID: 'ERR Invalid client ID',
  CLIENT_NAME: 'ERR Client names cannot contain spaces, newlines or special characters.',
  TIMEOUT_NOT_INT: 'ERR timeout is not an integer or out of range',
  TIMEOUT_NEGATIVE: 'ERR timeout is negative',
  TIMEOUT_OUT_OF_RANGE: 'ERR timeout is out of range',
  PAUSE_MODE: 'ERR CLIENT PAUSE mode must be WRITE or ALL',
  UNBLOCK_REASON: 'ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR',
  NOT_INTEGER: 'ERR value is not an integer or out of range',
  RESET_NOT_NORMAL: 'ERR can only reset normal client connections',
  DEFAULT_USER_UNDELETABLE: "ERR The 'default' user cannot be removed",
  USERNAME_SPACES: "ERR Usernames can't contain spaces or null characters",
  GENPASS_BITS: 'ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096',
  COMMAND_INVALID: 'ERR Invalid command specified',
  COMMAND_NO_KEYS: 'ERR The command has no key arguments',
  INTERNAL: 'ERR internal error while executing the command (see the server log)',
} as const;

/** server.c commandCheckExistence: `'a' 'b' ` with the argument list cut near 128 bytes. */
export function unknownCommand(name: string, args: readonly string[]): string {
  let list = '';
  for (let i = 1; i < args.length && list.length < 128; i++) {
    list += `'${args[i]!.slice(0, 128 - list.length)}' `;
  }
  return `ERR unknown command '${s128(name)}', with args beginning with: ${list}`;
}

export function unknownSubcommand(sub: string, container: string): string {
  return `ERR unknown subcommand '${s128(sub)}'. Try ${container.toUpperCase()} HELP.`;
}

/** addReplySubcommandSyntaxError: a handler found its arguments wrong for this subcommand. */
export function subcommandSyntax(sub: string, container: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${s128(sub)}'. Try ${container.toUpperCase()} HELP.`;
}

export function wrongArity(fullName: string): string {
  return `ERR wrong number of arguments for '${fullName}' command`;
}

export function nopermCommand(fullName: string): string {
  return `NOPERM this user has no permissions to run the '${fullName}' command`;
}

export function pubsubContext(fullName: string): string {
  return `ERR Can't execute '${fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
}

export function execAbort(error: string): string {
  return `EXECABORT Transaction discarded because of: ${error}`;
}

export function helloSyntax(opt: string): string {
  return `ERR Syntax error in HELLO option '${opt}'`;
}

export function unknownClientType(t: string): string {
  return `ERR Unknown client type '${t}'`;
}

export function noSuchUser(name: string): string {
  return `ERR No such user '${name}'`;
}

/** CLIENT SETINFO (7.2) validation and option errors. */
export function setinfoUnknown(attr: string): string {
  return `ERR Unrecognized option '${attr}'`;
}

export function setinfoInvalid(attr: string): string {
  return `ERR ${attr} cannot contain spaces, newlines or special characters.`;
}

export function aclSetuserError(op: string, reason: string): string {
  return `ERR Error in ACL SETUSER modifier '${op}': ${reason}`;
}

export function unknownCategory(cat: string): string {
  return `ERR Unknown category '${s128(cat)}'`;
}

/** Reply written to a client blocked in an async handler when CLIENT UNBLOCK … ERROR ends it. */
export const UNBLOCKED_ERROR = 'UNBLOCKED client unblocked via CLIENT UNBLOCK';

/** Written straight to the socket before closing, outside the RESP writer. */
export const PROTECTED_MODE_DENIED =
  "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

export const MAX_CLIENTS_LINE = `-${ERR.MAX_CLIENTS}\r\n`;

/** Log lines Redis prints for the same events (kept verbatim so operators can grep for them). */
export const LOG = {
  SECURITY_ATTACK:
    'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection aborted.',
  querybufLimit: (client: string): string => `Closing client that reached max query buffer length: ${client}`,
  obufLimit: (client: string): string => `Client ${client} scheduled to be closed ASAP for overcoming of output buffer limits.`,
  protocolError: (err: string, client: string): string => `Protocol error (${err}) from client: ${client}`,
  idle: 'Closing idle client',
} as const;
