/**
 * One line describing the machine a benchmark ran on: load average (1/5/15 min), CPUs and node version. Every
 * benchmark prints it at start and end, since on the shared VM absolute figures move with the load.
 */
import { cpus, loadavg } from 'node:os';

export function machineLine(when = 'start'): string {
  const l = loadavg().map((x) => x.toFixed(2)).join(' ');
  return `[${when}] load average ${l} on ${cpus().length} CPUs, node ${process.version}, ${new Date().toISOString()}`;
}
