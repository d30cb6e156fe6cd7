/**
 * Serving the sentinel API on the shared RESP server core. Placeholder until src/server's RespServer lands.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServerSettings } from '../../server/settings.js';
import type { SentinelMetrics } from '../driver/metrics.js';
import type { SentinelService } from './service.js';

export interface SentinelServer {
  readonly host: string;
  readonly port: number;
  publish(channel: string, payload: string): void;
  clients(): { connected: number; subscriptions: number };
  infoSection(name: 'server' | 'clients' | 'cpu' | 'stats'): string;
  close(): Promise<void>;
}

export interface ServerDeps {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly metrics: SentinelMetrics;
  readonly configFile: string;
  readonly product: string;
}

export async function startSentinelServer(_svc: SentinelService, _settings: ServerSettings, _deps: ServerDeps): Promise<SentinelServer> {
  throw new Error('the RESP server core is not available yet: start with { listen: false }');
}
