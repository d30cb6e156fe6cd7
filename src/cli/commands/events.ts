/**
 * `tsentinel events [-h host] [-p port] [--pattern glob] [--json] [--count n]`: tail a sentinel's event stream
 * (PSUBSCRIBE, like `redis-cli -p 26379 psubscribe '*'` but one readable line per event, or NDJSON).
 */
import type { Command } from 'commander';
import { formatEventJson, formatEventLine } from '../../ops/events.js';
import { openEventStream } from '../../ops/event-stream.js';
import { DEFAULT_SENTINEL_PORT, OpsError } from '../../ops/sentinel-client.js';
import { addConnectionOptions, endpointOf, parsePositiveInt, runReporting, type CliIo, type ConnectionFlags } from './common.js';

export interface EventsFlags extends ConnectionFlags {
  pattern: string;
  json?: boolean | undefined;
  count?: string | undefined;
}

export async function runEvents(flags: EventsFlags, io: CliIo): Promise<number> {
  return runReporting('events', io, async () => {
    const ep = endpointOf(flags);
    const limit = flags.count !== undefined ? parsePositiveInt(flags.count, 'count') : undefined;
    let seen = 0;
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolveDone = r));
    const stream = await openEventStream(ep, {
      pattern: flags.pattern,
      reconnect: false,
      now: io.now,
      onEvent: (ev) => {
        if (limit !== undefined && seen >= limit) return;
        seen++;
        io.out(`${flags.json === true ? formatEventJson(ev) : formatEventLine(ev, io.isTTY)}\n`);
        if (limit !== undefined && seen >= limit) resolveDone();
      },
    });
    if (flags.json !== true && io.isTTY) io.err(`listening for events on ${ep.host}:${ep.port} (Ctrl-C to stop)\n`);
    const onAbort = (): void => resolveDone();
    io.signal.addEventListener('abort', onAbort, { once: true });
    const lost = await Promise.race([done.then(() => undefined), stream.ended]);
    io.signal.removeEventListener('abort', onAbort);
    await stream.close();
    if (lost !== undefined) throw new OpsError('ELOST', `connection lost: ${lost}`);
    return 0;
  });
}

export function registerEventsCommand(program: Command, io: () => CliIo, exit: (code: number) => void): Command {
  const cmd = program.command('events').description("tail a sentinel's event stream (+sdown, +odown, +switch-master, ...)");
  addConnectionOptions(cmd, DEFAULT_SENTINEL_PORT)
    .option('--pattern <glob>', 'PSUBSCRIBE pattern (Redis glob: * ? [a-z])', '*')
    .option('--json', 'one JSON object per line')
    .option('--count <n>', 'exit after n events')
    .action(async (flags: EventsFlags) => exit(await runEvents(flags, io())));
  return cmd;
}
