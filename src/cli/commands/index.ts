/**
 * Mount the operations subcommands on the `tsentinel` commander program. The bin (src/cli/tsentinel.ts) owns the
 * program, the daemon's redis-style argv and the version flag; this only adds `status`, `events`, `failover`,
 * `ckquorum`, `probe`, `up` and `check-config` (the names cli/argv.ts reserves in TSENTINEL_SUBCOMMANDS), each
 * of which reports its exit code through `exit`.
 */
import type { Command } from 'commander';
import type { ConfigCheckTarget } from '../../common/config/index.js';
import { registerCheckConfigCommand, type CheckTargets } from './check-config.js';
import { registerCkquorumCommand } from './ckquorum.js';
import { processIo, type CliIo } from './common.js';
import { registerEventsCommand } from './events.js';
import { registerFailoverCommand } from './failover.js';
import { registerProbeCommand } from './probe.js';
import { registerStatusCommand } from './status.js';
import { registerUpCommand } from './up.js';

export interface OpsCommandsContext {
  /** The I/O the commands use; created lazily so signal handlers are installed only when a command runs. */
  io?: () => CliIo;
  /** Receives the exit code; the default sets process.exitCode. */
  exit?: (code: number) => void;
  /** The daemons' directive tables for check-config. */
  checkTargets?: CheckTargets;
}

/**
 * Each daemon's own check-config target, imported only when check-config runs (the other subcommands should not
 * pay for loading the sentinel core or the node's tables at start-up).
 */
const DAEMON_TARGETS: CheckTargets = {
  sentinel: async () => (await import('../../sentinel/config/check.js')).sentinelCheckTarget() as ConfigCheckTarget<unknown>,
  node: async () => (await import('../../node/config/check.js')).nodeCheckTarget() as ConfigCheckTarget<unknown>,
};

export function registerOpsCommands(program: Command, ctx: OpsCommandsContext = {}): Command {
  let made: CliIo | undefined;
  const io = ctx.io ?? (() => (made ??= processIo()));
  const exit = ctx.exit ?? ((code: number) => void (process.exitCode = code));
  registerStatusCommand(program, io, exit);
  registerEventsCommand(program, io, exit);
  registerFailoverCommand(program, io, exit);
  registerCkquorumCommand(program, io, exit);
  registerProbeCommand(program, io, exit);
  registerUpCommand(program, io, exit);
  registerCheckConfigCommand(program, io, exit, ctx.checkTargets ?? DAEMON_TARGETS);
  return program;
}
