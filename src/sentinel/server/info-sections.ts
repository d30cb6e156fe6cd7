/**
 * INFO's server, clients, stats and cpu sections of the sentinel: the server core renders them as for a data node
 * (src/server/info-sections.ts; redis_mode comes from the core's sentinel mode), the sentinel supplying only its
 * identity. tsentinel has no build id to hash (redis_build_id 0), it runs in the foreground without supervision,
 * nothing blocks with a timeout, and the data statistics (keyspace hits, expiry, replication traffic) are zero as
 * in the captured sentinel INFO (test/fixtures/redis-7.0.15/info/sentinel-info.txt).
 */
import { clientsSection, cpuSection, NO_DATA_STATS, serverSection, statsSection, type InfoCore } from '../../server/info-sections.js';

export interface SentinelIdentity {
  readonly runId: string;
  readonly configFile: string;
  /** Monotonic ms on the core's clock when the sentinel started listening. */
  readonly startedMono: number;
}

export type CoreInfoSection = 'server' | 'clients' | 'cpu' | 'stats';

export function infoSection(name: CoreInfoSection, core: InfoCore, id: SentinelIdentity): string {
  switch (name) {
    case 'server':
      return serverSection(core, {
        buildId: '0',
        supervised: 'no',
        runId: id.runId,
        startedMono: id.startedMono,
        executable: process.argv[1] ?? process.execPath,
        configFile: id.configFile,
      });
    case 'clients':
      return clientsSection(core, 0);
    case 'stats':
      return statsSection(core, NO_DATA_STATS);
    case 'cpu':
      return cpuSection(process.cpuUsage());
  }
}
