/** The server core's command families, for applications to register (all, or a selection). */
import type { RespServer } from '../server.js';
import type { CommandSpec } from '../types.js';
import { aclCommands } from './acl.js';
import { clientCommands } from './client.js';
import { commandCommands } from './command.js';
import { connectionCommands } from './connection.js';
import { pubsubCommands } from './pubsub.js';

export { aclCommands, clientCommands, commandCommands, connectionCommands, pubsubCommands };

/** PING ECHO QUIT HELLO AUTH RESET, CLIENT, COMMAND, (P)(UN)SUBSCRIBE PUBLISH PUBSUB, ACL. */
export function coreCommands(server: RespServer): CommandSpec[] {
  return [
    ...connectionCommands(server),
    ...clientCommands(server),
    ...commandCommands(server),
    ...pubsubCommands(server),
    ...aclCommands(server),
  ];
}
