/**
 * What the sentinel-mode command handlers need from the running sentinel: the core, its clock, a way to execute
 * the effects of an operation (through the driver, so a vote is persisted before the reply is written), the
 * script queue, and the few I/O ports (script executability, DNS, shutdown).
 */
import type { SentinelCore } from '../core/core.js';
import type { Effect } from '../core/io.js';

export interface PendingScript {
  readonly argv: readonly string[];
  readonly flags: string;
  readonly pid: number;
  readonly time: readonly [string, number];
  readonly retryNum: number;
}

export interface SentinelService {
  readonly core: SentinelCore;
  /** The core's clock (monotonic ms). */
  now(): number;
  /** Execute effects in order; persistFailed when the config could not be written. */
  execute(effects: readonly Effect[]): { persistFailed: boolean };
  /** Rewrite the config file now; false when it failed. */
  flush(): boolean;
  scripts(): { running: number; queued: number; pending: PendingScript[] };
  isExecutable(path: string): boolean;
  /** Resolve a hostname (resolve-hostnames); null when it does not resolve. */
  resolve(host: string): Promise<string | null>;
  /** INFO sections the server core renders (server, clients, cpu, stats), '' when unknown. */
  infoSection(name: 'server' | 'clients' | 'cpu' | 'stats'): string;
  /** SHUTDOWN: stop the daemon (after the reply is flushed). */
  shutdown(): void;
}
