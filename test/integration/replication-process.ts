/**
 * Real tredis processes (the compiled bin, dist/cli/tredis.js) for tests that kill -9 and restart nodes. Each
 * gets its own config file, so CONFIG REWRITE (sent by sentinels after SLAVEOF) really persists `replicaof`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startProcess, waitForPort, type Proc } from '../helpers/processes.js';

const BIN = resolve('dist/cli/tredis.js');

export const distBuilt = existsSync(BIN);

/** The config file of the node on `port` in `dir`. */
export function nodeConfigPath(dir: string, port: number): string {
  return join(dir, `tredis-${port}.conf`);
}

/**
 * Start tredis on `port` with a config file in `dir` (written on first start, reused on restarts so a rewritten
 * `replicaof` survives), as a replica of `master` if given. Resolves once it accepts connections.
 */
export async function startNodeProcess(dir: string, port: number, master?: { host: string; port: number }, extra: string[] = []): Promise<Proc> {
  const conf = nodeConfigPath(dir, port);
  if (!existsSync(conf)) {
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `dbfilename dump-${port}.rdb`,
        'save ""',
        'appendonly no',
        'repl-diskless-sync-delay 0',
        ...(master !== undefined ? [`replicaof ${master.host} ${master.port}`] : []),
        ...extra,
        '',
      ].join('\n'),
    );
  }
  const p = startProcess(process.execPath, [BIN, conf], { cwd: dir });
  await waitForPort(port).catch((e: unknown) => {
    throw new Error(`tredis on ${port} did not start: ${String(e)}\n${p.output()}`);
  });
  return p;
}

export function readConfig(dir: string, port: number): string {
  return readFileSync(nodeConfigPath(dir, port), 'utf8');
}
