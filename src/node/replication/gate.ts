/**
 * The replication checks of server.c processCommand, in its order (NOREPLICAS, READONLY, MASTERDOWN, then the
 * "replica can't interact with the keyspace" guard), as a
 * pure function the node's execution wrapper calls before running or queueing a command. EXEC is judged by the
 * flags of what it queued (mstate.cmd_flags / cmd_inv_flags). Commands from our own master are never refused.
 */
import type { CommandFlag } from '../../server/types.js';
import { REPL_ERR } from './wire.js';

export interface GateState {
  /** This node follows a master (REPLICAOF set). */
  readonly isReplica: boolean;
  /** The master link is up (repl_state CONNECTED). */
  readonly linkUp: boolean;
  readonly readOnly: boolean;
  readonly serveStaleData: boolean;
  /** min-replicas-to-write active and not met (checkGoodReplicasStatus false on a master). */
  readonly notEnoughGoodReplicas: boolean;
}

/** A GateState the caller refreshes in place (ReplicationService.gateState(into)). */
export type MutableGateState = { -readonly [K in keyof GateState]: GateState[K] };

/** A master with no replication rule in force. */
export const CLOSED_GATE: Readonly<GateState> = {
  isReplica: false,
  linkUp: false,
  readOnly: true,
  serveStaleData: true,
  notEnoughGoodReplicas: false,
};

export interface GatedCommand {
  readonly flags: readonly CommandFlag[];
  /** For EXEC: the flags of every queued command. */
  readonly queued?: readonly (readonly CommandFlag[])[];
  /** The command comes from our master (or is being replayed from the AOF). */
  readonly fromMaster: boolean;
  /** The connection is one of our replicas (it may only run non-keyspace commands). */
  readonly fromReplica?: boolean;
}

/** The error reply (without '-') that rejects the command, or null: both halves in processCommand order. */
export function replicationGate(s: GateState, c: GatedCommand): string | null {
  return writeGuard(s, c) ?? stateGuard(s, c);
}

/** The half before the RESP2 subscribed-mode check: -NOREPLICAS, -READONLY (the core's guardWrites hook). */
export function writeGuard(s: GateState, c: GatedCommand): string | null {
  const isWrite = isWriteCommand(c);
  if (isWrite && !s.isReplica && s.notEnoughGoodReplicas) return REPL_ERR.NOREPLICAS;
  if (s.isReplica && s.readOnly && !c.fromMaster && isWrite) return REPL_ERR.READONLY;
  return null;
}

/** The half after it: -MASTERDOWN, then the replica keyspace guard (the core's guardState hook). */
export function stateGuard(s: GateState, c: GatedCommand): string | null {
  const denyStale = !c.flags.includes('stale') || (c.queued?.some((f) => !f.includes('stale')) ?? false);
  if (s.isReplica && !s.linkUp && !s.serveStaleData && denyStale && !c.fromMaster) return REPL_ERR.MASTERDOWN;
  if (c.fromReplica === true && (isWriteCommand(c) || c.flags.includes('readonly') || c.flags.includes('may_replicate'))) {
    return REPL_ERR.REPLICA_KEYSPACE;
  }
  return null;
}

function isWriteCommand(c: GatedCommand): boolean {
  return c.flags.includes('write') || (c.queued?.some((f) => f.includes('write')) ?? false);
}
