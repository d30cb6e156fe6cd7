/** The shared RESP server core: what tredis and tsentinel build on. */
export { RespServer, REDIS_COMPAT_VERSION, isLoopback, type RespServerOptions } from './server.js';
export { serverSettings, defaultServerSettings, type ServerSettings, type OutputBufferLimit, type OutputBufferClass } from './settings.js';
export { coreCommands, aclCommands, clientCommands, commandCommands, connectionCommands, pubsubCommands } from './commands/index.js';
export { ClientSession, SessionWriter } from './session.js';
export { ERR, UNBLOCKED_ERROR } from './replies.js';
export { ListenError } from './listener.js';
export type { PauseMode, PausePurpose } from './pause.js';
export type { CommandEntry, CommandStats } from './registry.js';
export type * from './types.js';
