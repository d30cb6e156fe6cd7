/**
 * Replication on the real RESP server core and NodeCore: builds the ports (internal master-client session,
 * client pause purposes, raw connection access, dataset install, snapshots, sockets) and registers the
 * replication commands and the propagation consumer. The node's composition root calls `wireReplication` and
 * routes five of its server hooks to the returned functions (see `ReplicationHooks`).
 */
import { createConnection } from 'node:net';
import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import type { Random } from '../../common/random.js';
import type { RespServer } from '../../server/server.js';
import type { CommandContext, Session } from '../../server/types.js';
import type { NodeCore } from '../core.js';
import type { ReplicationConfig } from './config.js';
import { CLOSED_GATE, stateGuard, writeGuard, type GatedCommand, type MutableGateState } from './gate.js';
import { createReplication, type Replication } from './index.js';
import type { LogLevel, MasterClient } from './service.js';
import { keyspaceSnapshots, type SnapshotSettings } from './snapshot-source.js';

export interface ReplicationWiringOptions {
  readonly server: RespServer;
  readonly core: NodeCore;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: Random;
  readonly databases: number;
  /** Live replication settings (the node config's `replication` member). */
  readonly config: () => ReplicationConfig;
  readonly snapshot: () => SnapshotSettings;
  /** The dataset was replaced by a full sync (persistence restarts the AOF from it: restartAOFAfterSYNC). */
  readonly afterFullSync?: () => void;
}

/** What the composition root calls from its ServerHooks. */
export interface ReplicationHooks {
  /** From ServerHooks.guardWrites: -NOREPLICAS, -READONLY. */
  guardWrites(ctx: CommandContext): string | null;
  /** From ServerHooks.guardState: -MASTERDOWN, replica keyspace guard. */
  guardState(ctx: CommandContext): string | null;
  /** From ServerHooks.execute, after `run()` of a top-level command. */
  afterCommand(session: Session): void;
  /** From ServerHooks.onSessionClose. */
  sessionClosed(session: Session): void;
  /** From ServerHooks.onEmptyLine: a replica's `\n` keepalive. */
  emptyLine(session: Session): void;
}

const LEVEL: Record<LogLevel, 'debug' | 'info' | 'warn'> = { debug: 'debug', verbose: 'debug', notice: 'info', warning: 'warn' };

export function wireReplication(o: ReplicationWiringOptions): Replication & { hooks: ReplicationHooks } {
  const { server, core } = o;
  const log = o.logger.child({ area: 'replication' });
  const repl = createReplication(
    {
      clock: o.clock,
      random: o.random,
      log: (level, msg) => log[LEVEL[level]](msg),
      config: o.config,
      databases: o.databases,
      // before listen() completes (replicaof at start-up) the bound port is not known yet: use the configured one
      ownPort: () => (server.port !== 0 ? server.port : server.settings.port),
      snapshots: keyspaceSnapshots(core.ks, o.clock, o.snapshot),
      dial: (host, port) => createConnection({ host, port }),
      installDataset: (r) => {
        core.ks.replaceAll(r.dbs);
        o.afterFullSync?.();
      },
      openMasterClient: (host, port): MasterClient => {
        const s = server.createInternalSession({ kind: 'master', addr: `${host}:${port}` });
        return {
          id: s.id,
          get db() {
            return s.db;
          },
          set db(v: number) {
            s.db = v;
          },
          run: (argv) => {
            // commands from the master see logically expired keys as present (expireIfNeeded on replicas)
            core.ks.fromMaster = true;
            try {
              void server.execute(s, argv);
            } finally {
              core.ks.fromMaster = false;
            }
          },
          close: () => server.dropInternalSession(s),
        };
      },
      pauseWrites: (purpose) => server.pauseClients(purpose, 'write', Infinity),
      unpauseWrites: (purpose) => server.unpauseClients(purpose),
      writesPaused: () => server.pause.mode !== null,
      schedule: (fn) => setImmediate(fn),
      inExec: () => core.node.inExec(),
      roleChanged: (role) => {
        // a replica never deletes expired keys itself: its master's DEL comes through the stream
        core.ks.deletesExpired = role === 'master';
      },
    },
    {
      noReply: (ctx) => server.noReply(ctx),
      close: (s, reason) => server.closeClient(s, reason),
      backpressure: (s) => server.backpressure(s),
    },
  );
  server.register(...repl.commands);
  core.prop.addConsumer(repl.consumer);
  // One state and one command object, refilled for each command: the guards run for every command a client
  // sends, and a replica's read traffic would otherwise allocate two objects per command.
  const state: MutableGateState = { ...CLOSED_GATE };
  const cmd: { -readonly [K in keyof GatedCommand]: GatedCommand[K] } = { flags: [], fromMaster: false, fromReplica: false };
  const gated = (ctx: CommandContext): GatedCommand => {
    const s = ctx.session;
    cmd.flags = ctx.command.flags;
    cmd.queued = ctx.command.name === 'exec' && s.multiQueue !== undefined ? s.multiQueue.map((q) => q.command.flags) : undefined;
    cmd.fromMaster = s.kind === 'master';
    cmd.fromReplica = s.kind === 'replica';
    return cmd;
  };
  const svc = repl.service;
  return {
    ...repl,
    hooks: {
      guardWrites: (ctx) => (svc.gateActive(ctx.session.kind) ? writeGuard(svc.gateState(state), gated(ctx)) : null),
      guardState: (ctx) => (svc.gateActive(ctx.session.kind) ? stateGuard(svc.gateState(state), gated(ctx)) : null),
      afterCommand: (s) => {
        if (s.kind === 'normal') repl.afterCommand(s.id);
      },
      sessionClosed: (s) => repl.sessionClosed(s.id),
      emptyLine: (s) => {
        if (s.kind === 'replica') svc.replicaKeepalive(s.id);
      },
    },
  };
}
