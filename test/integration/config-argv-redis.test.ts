/**
 * Differential test of src/cli/argv.ts against redis-server 7.0.15's own argv handling. Each case ends up with
 * exactly one invalid config line; redis-server reports it as `Reading the configuration file, at line N` and
 * `>>> 'TEXT'`, and our options text must have the same TEXT on the corresponding line. Every run starts from a
 * config file with `port 0` (and no unix socket), so a case that unexpectedly parses cleanly exits at once
 * instead of listening anywhere.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDaemonArgv } from '../../src/cli/argv.js';
import { trimConfigLine } from '../../src/common/config/lines.js';
import { missing, tempDir } from '../helpers/processes.js';

const skip = missing('redis-server');

interface Case {
  readonly argv: string[];
  readonly stdin?: string;
}

const CASES: Case[] = [
  { argv: ['--zz', 'a', 'b c', ''] },
  { argv: ['--loglevel', 'notice', '--zz', '-x', '--y'] },
  { argv: ['--save', '--zz', '1'] },
  { argv: ['--port', '--zz'] },
  { argv: ['--zz 1 2', '--loglevel', 'notice'] },
  { argv: ['--zz', '-', '--loglevel', 'notice'] },
  { argv: ['--zz', 'é\x01\t"q"\\'] },
  { argv: ['--loglevel', 'notice', '--SAVE', '--zz'] },
  { argv: ['--sentinel', '--zz', '1'] },
  { argv: ['--loglevel', 'notice', '--sentinel'] }, // trailing pseudo-option: the error is our --zzend
  { argv: ['--loglevel', 'notice', '-'], stdin: 'zz-from-stdin 1\n' },
];

describe.skipIf(skip)('argv → config lines agree with redis-server', () => {
  let dir = '';
  let cleanup = (): void => {};
  beforeAll(() => {
    const t = tempDir();
    dir = t.dir;
    cleanup = t.cleanup;
    writeFileSync(join(dir, 'base.conf'), 'port 0\n');
  });
  afterAll(() => cleanup());

  it.each(CASES.map((c) => [c.argv.join(' '), c] as const))('%s', (_name, c) => {
    const conf = join(dir, 'base.conf');
    // Make sure something fails even when every option is valid.
    const argv = [conf, ...(c.argv.at(-1) === '-' ? [...c.argv.slice(0, -1), '--zzend', '-'] : [...c.argv, '--zzend'])];
    const r = spawnSync('redis-server', argv, { input: c.stdin ?? '', encoding: 'latin1', timeout: 10_000 });
    const out = `${r.stdout}${r.stderr}`;
    const m = /at line (\d+)\n>>> '(.*)'\n/.exec(out);
    expect(m, out).not.toBeNull();
    const redisLine = Number(m![1]);
    const redisText = m![2]!;

    const parsed = parseDaemonArgv(argv.slice(0), { cwd: dir });
    if (parsed.kind !== 'run') throw new Error('expected run');
    expect(parsed.configFile).toBe(conf);
    expect(parsed.readStdin).toBe(c.stdin !== undefined);
    // redis-server's config string: file + stdin + "\n" + options
    const stdinLines = c.stdin === undefined ? [] : c.stdin.split('\n').slice(0, -1);
    const all = ['port 0', ...stdinLines, '', ...parsed.options.split('\n')];
    expect({ line: redisLine, text: redisText }).toEqual({ line: redisLine, text: trimConfigLine(all[redisLine - 1]!) });
    // and the failing line is the one we meant to fail
    expect(redisText).toMatch(/^(zz|port "--zz")/);
  });
});
