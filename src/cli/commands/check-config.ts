/**
 * `tsentinel check-config <file> [--node] [--directive args…]`: load a sentinel.conf (or, with --node, a tredis
 * node.conf), plus the command-line directives a daemon would be started with, exactly as the daemon would at start-up — includes, every directive through the daemon's own directive table — and report
 * every problem with file:line (like `nginx -t`). Exit 0 when the daemon would start with it, 1 otherwise.
 * For a sentinel config the file must also be writable, since the daemon refuses to start otherwise (sentinel.c
 * sentinelCheckConfigFile).
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  checkSentinelConfigFile,
  formatConfigReport,
  loadConfig,
  type ConfigCheckTarget,
  type ConfigIssue,
} from '../../common/config/index.js';
import { OpsError } from '../../ops/sentinel-client.js';
import { parseDaemonArgv } from '../argv.js';
import { runReporting, type CliIo } from './common.js';

/** The daemons' targets (src/sentinel/config/check.ts, src/node/config/check.ts), loaded when check-config runs. */
export type CheckTargets = {
  sentinel: () => Promise<ConfigCheckTarget<unknown> | undefined>;
  node: () => Promise<ConfigCheckTarget<unknown> | undefined>;
};

export interface CheckConfigFlags {
  node?: boolean | undefined;
  quiet?: boolean | undefined;
}

/**
 * Pure-ish core (reads the file through the config loader): every issue, in file order. `options` are the
 * daemon's command-line directives as config text (cli/argv.ts), checked after the file as the daemon applies them.
 */
export function checkConfigFile<C>(file: string, target: ConfigCheckTarget<C>, cwd = process.cwd(), options?: string): ConfigIssue[] {
  const abs = resolve(cwd, file);
  const sources = { file: abs, fileDisplay: file, ...(options !== undefined && options !== '' ? { options } : {}) };
  const { config, errors } = loadConfig(target.table, target.defaults, sources, { cwd });
  const issues: ConfigIssue[] = [...errors];
  // Whole-config checks run even after line errors (a bad line elsewhere does not change the lines they look
  // at), so one run reports everything; the report stays in line order.
  if (target.validate !== undefined && !errors.some((e) => e.line === undefined)) {
    issues.push(...target.validate(config, file));
    issues.sort((a, b) => (a.file === b.file ? (a.line ?? Infinity) - (b.line ?? Infinity) : 0));
  }
  if (target.requiresWritableFile && !errors.some((e) => e.line === undefined)) {
    const reason = checkSentinelConfigFile(abs);
    if (reason !== undefined) issues.push({ file, message: reason });
  }
  return issues;
}

export async function runCheckConfig(
  file: string,
  flags: CheckConfigFlags,
  io: CliIo,
  targets: CheckTargets,
  directives: readonly string[] = [],
): Promise<number> {
  return runReporting('check-config', io, async () => {
    const kind = flags.node === true ? 'node' : 'sentinel';
    const target = await targets[kind]();
    if (target === undefined) throw new OpsError('ENOTARGET', `the ${kind} directive table is not available in this build`);
    // The daemon's own argv rules turn `--port 1 --sentinel announce-ip x` into config lines.
    const argv = parseDaemonArgv([file, ...directives], { cwd: process.cwd() });
    if (argv.kind !== 'run' || argv.readStdin) throw new OpsError('EUSAGE', 'check-config takes a config file and optional --directive arguments (no stdin)');
    const issues = checkConfigFile(file, target, process.cwd(), argv.options);
    if (issues.length === 0) {
      if (flags.quiet !== true) io.out(`${file}: configuration OK (${target.product})\n`);
      return 0;
    }
    io.err(formatConfigReport(target.product, issues).replace(/^\n/, ''));
    return 1;
  });
}

export function registerCheckConfigCommand(program: Command, io: () => CliIo, exit: (code: number) => void, targets: CheckTargets): Command {
  return program
    .command('check-config')
    .description('validate a sentinel.conf (or with --node a tredis config) as the daemon would load it; exit 1 with file:line on errors')
    .argument('<file>', 'config file')
    .argument('[directives...]', 'command-line directives as the daemon would get them (--port 26380 --sentinel announce-ip x)')
    .option('--node', 'the file is a tredis node config')
    .option('-q, --quiet', 'print nothing when the file is valid')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (file: string, directives: string[], flags: CheckConfigFlags) => exit(await runCheckConfig(file, flags, io(), targets, directives)));
}
