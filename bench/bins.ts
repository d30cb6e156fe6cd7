/**
 * Where the benchmarks find our daemons: the real bins users run (`npm run bench:build` builds dist/ first), never
 * a node assembled by hand, so a benchmark measures the same start-up, config and logging path as production.
 * Benchmarks are run from the repository root.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const TREDIS_BIN = join(process.cwd(), 'dist/cli/tredis.js');
export const TSENTINEL_BIN = join(process.cwd(), 'dist/cli/tsentinel.js');

/**
 * Extra node flags for the daemons a benchmark starts, from `TREDIS_NODE_ARGS`, e.g.
 * `TREDIS_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` to profile them or `--trace-gc` to see their pauses
 * (node refuses --cpu-prof in NODE_OPTIONS).
 */
export function nodeArgs(): string[] {
  return (process.env['TREDIS_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
}

/** `node [flags] <bin>`'s argv prefix for spawning one of the bins; throws when dist/ was not built. */
export function binArgv(bin: string): string[] {
  if (!existsSync(bin)) throw new Error(`${bin} missing: run \`npm run bench:build\` first`);
  return [...nodeArgs(), bin];
}
