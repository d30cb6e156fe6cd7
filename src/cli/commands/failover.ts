/**
 * `tsentinel failover <master> [--coordinated] [--timeout-seconds n]`: ask a sentinel for a manual failover and
 * follow it — the sentinel's events as they happen, then the new address — until GET-MASTER-ADDR-BY-NAME reports a
 * different master (sentinel.c answers with the promoted replica as soon as it is promoted) or the time is up.
 * `--coordinated` sends `SENTINEL FAILOVER <master> COORDINATED` (Valkey 9 semantics, tsentinel supports it;
 * Redis 7.0 rejects the extra argument and the error is shown as is).
 */
import type { Command } from 'commander';
import { formatEventLine, type SentinelEvent } from '../../ops/events.js';
import { openEventStream } from '../../ops/event-stream.js';
import { callerOf, DEFAULT_SENTINEL_PORT, OpsError, withClient } from '../../ops/sentinel-client.js';
import { formatAddress } from '../../ops/sentinel-replies.js';
import type { SentinelCall } from '../../ops/status-model.js';
import { addConnectionOptions, endpointOf, parsePositiveInt, runReporting, sleep, type CliIo, type ConnectionFlags } from './common.js';

export interface FailoverFlags extends ConnectionFlags {
  coordinated?: boolean | undefined;
  wait: string;
}

const POLL_MS = 100;

async function masterAddress(call: SentinelCall, name: string): Promise<string | undefined> {
  const r = await call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name);
  return Array.isArray(r) && r.length === 2 ? formatAddress(String(r[0]), String(r[1])) : undefined;
}

/** Events worth showing while following one master's failover (ours, or global ones such as +new-epoch). */
function concerns(ev: SentinelEvent, master: string): boolean {
  return ev.master === undefined ? ev.instance === undefined : ev.master === master;
}

export async function runFailover(master: string, flags: FailoverFlags, io: CliIo): Promise<number> {
  return runReporting('failover', io, async () => {
    const ep = endpointOf(flags);
    const waitMs = parsePositiveInt(flags.wait, 'wait') * 1000;
    return withClient(ep, async (client) => {
      const call = callerOf(client);
      const before = await masterAddress(call, master);
      if (before === undefined) throw new OpsError('ENOMASTER', `no master named '${master}' on ${formatAddress(ep.host, ep.port)}`);
      // Subscribe first so no event of the failover is missed.
      const stream = await openEventStream(ep, {
        pattern: '*',
        reconnect: false,
        now: io.now,
        onEvent: (ev) => {
          if (concerns(ev, master)) io.out(`  ${formatEventLine(ev, io.isTTY)}\n`);
        },
      });
      try {
        const started = io.now();
        await call('SENTINEL', 'FAILOVER', master, ...(flags.coordinated === true ? ['COORDINATED'] : [])).catch((e: unknown) => {
          // -INPROG / -NOGOODSLAVE / -ERR … are the answer the user needs, verbatim.
          throw new OpsError('EFAILOVER', e instanceof Error ? e.message : String(e));
        });
        io.out(`failover of ${master} started (master was ${before}${flags.coordinated === true ? ', coordinated' : ''})\n`);
        while (!io.signal.aborted) {
          const now = await masterAddress(call, master);
          if (now !== undefined && now !== before) {
            io.out(`${master} failed over: ${before} -> ${now} in ${((io.now() - started) / 1000).toFixed(1)}s\n`);
            return 0;
          }
          if (io.now() - started > waitMs) {
            throw new OpsError('ETIMEOUT', `${master} still at ${before} after ${waitMs / 1000}s; the failover may still complete (see tsentinel status)`);
          }
          await sleep(POLL_MS, io.signal);
        }
        io.err(`interrupted; the failover of ${master} continues on the sentinels\n`);
        return 130;
      } finally {
        await stream.close();
      }
    });
  });
}

export function registerFailoverCommand(program: Command, io: () => CliIo, exit: (code: number) => void): Command {
  const cmd = program
    .command('failover')
    .description('force a failover of <master> and follow it until the master address changes')
    .argument('<master>', 'master name');
  addConnectionOptions(cmd, DEFAULT_SENTINEL_PORT)
    .option('--coordinated', 'SENTINEL FAILOVER <master> COORDINATED: drain writes to the replica first (no lost writes)')
    .option('--wait <seconds>', 'give up waiting for the new address after this long', '60')
    .action(async (master: string, flags: FailoverFlags) => exit(await runFailover(master, flags, io())));
  return cmd;
}
