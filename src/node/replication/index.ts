/**
 * The replication module's surface for the node's composition root (main.ts): one call builds the service and
 * hands back everything to wire in — command specs, the INFO section, the
 * propagation consumer, the session-close and after-command hooks, and the SHUTDOWN wait.
 */
import type { CommandSpec } from '../../server/types.js';
import type { PropagationConsumer } from '../propagation.js';
import { replicationCommands, type RawConnectionPort } from './commands.js';
import { replicationInfoSection } from './info.js';
import { ReplicationService, type ReplicationPorts } from './service.js';
import { ShutdownWait } from './shutdown-wait.js';

export { ReplicationService, type ReplicationPorts, type LogLevel } from './service.js';
export type { RawConnectionPort } from './commands.js';
export { replicationDirectives, DEFAULT_REPLICATION_CONFIG, type ReplicationConfig, type HasReplication } from './config.js';
export { keyspaceSnapshots, type SnapshotSettings } from './snapshot-source.js';
export type { ShutdownWaitResult } from './shutdown-wait.js';

export interface Replication {
  readonly service: ReplicationService;
  /** REPLCONF, PSYNC, SYNC, REPLICAOF, SLAVEOF, WAIT, ROLE, FAILOVER. */
  readonly commands: CommandSpec[];
  /** `# Replication` section (CRLF lines, no trailing blank line). */
  infoSection(): string;
  /** Register with the Propagator. */
  readonly consumer: PropagationConsumer;
  /** Call after every command a client ran (WAIT targets the offset right after its last command). */
  afterCommand(clientId: number): void;
  /** The server core's session-close hook. */
  sessionClosed(clientId: number): void;
  readonly shutdown: ShutdownWait;
  /** Persistence's replInfo port (rdbPopulateSaveInfo). */
  replInfo(): { streamDb: number; replId: string; offset: number } | undefined;
  /** After loading the RDB at start-up, before `start()`: resume the saved replication history. */
  restoreFromRdb(repl: { streamDb: number | undefined; replId: string | undefined; offset: number | undefined }): void;
  start(): void;
  stop(): void;
}

export function createReplication(ports: ReplicationPorts, raw: RawConnectionPort): Replication {
  const service = new ReplicationService(ports);
  const commands = replicationCommands(service, raw);
  return {
    service,
    commands,
    infoSection: () => replicationInfoSection(service.view()),
    consumer: service,
    afterCommand: (id) => service.noteClientCommand(id),
    sessionClosed: (id) => service.clientClosed(id),
    shutdown: new ShutdownWait(service),
    replInfo: () => service.replInfo(),
    restoreFromRdb: (r) => {
      if (r.replId !== undefined && r.offset !== undefined && r.offset >= 0 && r.streamDb !== undefined && r.streamDb >= 0) {
        service.restoreFromRdb({ replId: r.replId, offset: r.offset, streamDb: r.streamDb });
      }
    },
    start: () => service.start(),
    stop: () => service.stop(),
  };
}
