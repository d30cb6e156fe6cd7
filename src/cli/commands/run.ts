/**
 * A runnable front for the operations subcommands alone (`node dist/cli/commands/run.js status -p 26379`), used
 * by the integration tests and until the `tsentinel` bin mounts them with registerOpsCommands. It does what the
 * bin will do for these words: commander routing, exit code from the command, usage errors as one line.
 */
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerOpsCommands } from './index.js';

export function buildOpsProgram(): Command {
  const program = new Command('tsentinel')
    .description('tsentinel operations commands')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerOpsCommands(program);
  return program;
}

export async function runOpsCli(argv: readonly string[]): Promise<void> {
  try {
    await buildOpsProgram().parseAsync(argv, { from: 'user' });
  } catch (e) {
    // commander has already printed its one-line usage error (or the help text); keep its exit code.
    process.exitCode = e instanceof CommanderError ? e.exitCode : 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runOpsCli(process.argv.slice(2));
}
