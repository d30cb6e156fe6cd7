/**
 * Serving the sentinel API on the shared RESP server core in sentinel mode: only commands flagged `sentinel` exist
 * (server.c populateCommandTable in sentinel mode; `COMMAND COUNT` is 15 on 7.0.15), the SENTINEL family and the
 * sentinel versions of INFO, ROLE, PUBLISH and SHUTDOWN replace the data-node ones, and events are published on
 * the core's pub/sub engine (channel = event name).
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { coreCommands } from '../../server/commands/index.js';
import { RespServer } from '../../server/server.js';
import type { ServerSettings } from '../../server/settings.js';
import type { CommandSpec } from '../../server/types.js';
import type { SentinelMetrics } from '../driver/metrics.js';
import { infoSection, type CoreInfoSection } from './info-sections.js';
import { sentinelModeCommands } from './mode-commands.js';
import { sentinelCommand } from './sentinel-command.js';
import type { SentinelService } from './service.js';

export interface SentinelServer {
  readonly host: string;
  readonly port: number;
  readonly server: RespServer;
  publish(channel: string, payload: string): void;
  clients(): { connected: number; subscriptions: number };
  infoSection(name: CoreInfoSection): string;
  close(): Promise<void>;
}

export interface ServerDeps {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly metrics: SentinelMetrics;
  readonly configFile: string;
  readonly product: string;
  readonly runId: string;
  /** Extra command families; like the core's, only those flagged `sentinel` are registered. */
  readonly extraCommands?: (server: RespServer) => CommandSpec[];
}

const sentinelOnly = (specs: readonly CommandSpec[]): CommandSpec[] => specs.filter((s) => s.flags.includes('sentinel'));

export async function startSentinelServer(svc: SentinelService, settings: ServerSettings, deps: ServerDeps): Promise<SentinelServer> {
  const server = new RespServer({
    logger: deps.logger,
    settings,
    mode: 'sentinel',
    ephemeralPort: settings.port === 0,
    productVersion: '0.1.0',
    hooks: {
      execute: (ctx, args, run) => {
        const name = ctx.fullName ?? ctx.command.name;
        deps.metrics.onCommand(name);
        return run();
      },
    },
  });
  const ours = [sentinelCommand(svc), ...sentinelModeCommands(svc)];
  const replaced = new Set(ours.map((c) => c.name));
  const shared = sentinelOnly([...coreCommands(server), ...(deps.extraCommands?.(server) ?? [])]).filter((c) => !replaced.has(c.name));
  server.register(...shared, ...ours);
  await server.listen();
  const startedMono = server.clock.monotonic();
  const tcp = server.listeners.find((l) => !l.unix);
  return {
    host: tcp?.address ?? '',
    port: server.port,
    server,
    publish: (channel, payload) => void server.pubsub.publish(channel, payload),
    clients: () => ({ connected: server.connectedClients, subscriptions: server.pubsub.channelCount + server.pubsub.patternCount }),
    infoSection: (name) => infoSection(name, server, { runId: deps.runId, configFile: deps.configFile, startedMono }),
    close: () => server.close(),
  };
}
