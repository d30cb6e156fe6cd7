/**
 * `tsentinel ckquorum <master>`: SENTINEL CKQUORUM with an exit code — 0 when the sentinels can reach both the
 * quorum and the majority needed to authorise a failover, 1 otherwise (the sentinel's own sentence is printed).
 */
import type { Command } from 'commander';
import { callerOf, DEFAULT_SENTINEL_PORT, OpsError, withClient } from '../../ops/sentinel-client.js';
import { quorumCheckOf } from '../../ops/status-model.js';
import { addConnectionOptions, endpointOf, runReporting, type CliIo, type ConnectionFlags } from './common.js';

export async function runCkquorum(master: string, flags: ConnectionFlags, io: CliIo): Promise<number> {
  return runReporting('ckquorum', io, async () => {
    const ep = endpointOf(flags);
    const check = await withClient(ep, async (client) => {
      try {
        return quorumCheckOf(await callerOf(client)('SENTINEL', 'CKQUORUM', master));
      } catch (e) {
        return quorumCheckOf(undefined, e);
      }
    });
    if (check.ok) {
      io.out(`${check.message}\n`);
      return 0;
    }
    throw new OpsError('ENOQUORUM', check.message);
  });
}

export function registerCkquorumCommand(program: Command, io: () => CliIo, exit: (code: number) => void): Command {
  const cmd = program
    .command('ckquorum')
    .description('check that the sentinels of <master> can authorise a failover (exit 0 yes, 1 no)')
    .argument('<master>', 'master name');
  addConnectionOptions(cmd, DEFAULT_SENTINEL_PORT).action(async (master: string, flags: ConnectionFlags) =>
    exit(await runCkquorum(master, flags, io())),
  );
  return cmd;
}
