/**
 * `tsentinel status [-h host] [-p port] [-a password] [--json] [--watch]`: what one sentinel knows — masters,
 * replicas (link, priority, offsets, lag), sentinels (last hello, flags, votes), epochs, quorum health (CKQUORUM),
 * and in --watch mode the events seen since it started. Works against any Sentinel-compatible server.
 */
import type { Command } from 'commander';
import type { Redis } from 'ioredis';
import type { SentinelEvent } from '../../ops/events.js';
import { openEventStream, type EventStream } from '../../ops/event-stream.js';
import { callerOf, closeClient, DEFAULT_SENTINEL_PORT, openClient, OpsError, describeFailure, type Endpoint } from '../../ops/sentinel-client.js';
import { formatAddress } from '../../ops/sentinel-replies.js';
import { collectStatus } from '../../ops/status-model.js';
import { renderStatus, statusToJson, terminalFrame } from '../../ops/status-render.js';
import { addConnectionOptions, endpointOf, parsePositiveInt, runReporting, sleep, type CliIo, type ConnectionFlags } from './common.js';

export interface StatusFlags extends ConnectionFlags {
  json?: boolean | undefined;
  watch?: boolean | undefined;
  interval: string;
}

const KEEP_EVENTS = 50;

async function once(ep: Endpoint, flags: StatusFlags, io: CliIo): Promise<number> {
  const client = await openClient(ep);
  try {
    const snap = await collectStatus(callerOf(client), formatAddress(ep.host, ep.port), io.now()).catch((e: unknown) => {
      throw new OpsError('ESTATUS', notSentinel(e, ep));
    });
    io.out(flags.json === true ? `${statusToJson(snap)}\n` : renderStatus(snap, { color: io.isTTY }));
    return 0;
  } finally {
    await closeClient(client);
  }
}

/** A data node answers SENTINEL with "unknown command": say what is wrong instead of echoing the error. */
function notSentinel(e: unknown, ep: Endpoint): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/unknown command/i.test(msg)) return `${formatAddress(ep.host, ep.port)} is not a sentinel (${msg})`;
  return describeFailure(e, ep);
}

/**
 * Redraw every interval until Ctrl-C. The sentinel going away is shown, not fatal: the view keeps retrying, which
 * is what you want while watching a failover or a restart.
 */
async function watch(ep: Endpoint, flags: StatusFlags, io: CliIo): Promise<number> {
  const intervalMs = parsePositiveInt(flags.interval, 'interval');
  const events: SentinelEvent[] = [];
  let stream: EventStream | undefined;
  let client: Redis | undefined;
  const where = formatAddress(ep.host, ep.port);
  try {
    while (!io.signal.aborted) {
      if (stream === undefined) {
        stream = await openEventStream(ep, {
          pattern: '*',
          reconnect: true,
          now: io.now,
          onEvent: (ev) => {
            events.push(ev);
            if (events.length > KEEP_EVENTS) events.shift();
          },
        }).catch(() => undefined);
      }
      let frame: string;
      try {
        client ??= await openClient(ep);
        const snap = await collectStatus(callerOf(client), where, io.now());
        frame = flags.json === true ? `${statusToJson(snap, events)}\n` : renderStatus(snap, { color: io.isTTY, events });
      } catch (e) {
        if (client !== undefined) await closeClient(client);
        client = undefined;
        const why = e instanceof OpsError ? e.message : notSentinel(e, ep);
        frame =
          flags.json === true
            ? `${JSON.stringify({ schema: 'tsentinel.status/v1', time: new Date(io.now()).toISOString(), error: why })}\n`
            : `sentinel ${where} unreachable: ${why} (retrying every ${intervalMs} ms)\n`;
      }
      io.out(flags.json !== true && io.isTTY ? terminalFrame(frame) : flags.json === true ? frame : `${frame}\n`);
      await sleep(intervalMs, io.signal);
    }
    return 0;
  } finally {
    if (client !== undefined) await closeClient(client);
    await stream?.close();
  }
}

export async function runStatus(flags: StatusFlags, io: CliIo): Promise<number> {
  return runReporting('status', io, async () => {
    const ep = endpointOf(flags);
    return flags.watch === true ? watch(ep, flags, io) : once(ep, flags, io);
  });
}

export function registerStatusCommand(program: Command, io: () => CliIo, exit: (code: number) => void): Command {
  const cmd = program
    .command('status')
    .description('show masters, replicas, sentinels, epochs, quorum health and recent events as one sentinel sees them');
  addConnectionOptions(cmd, DEFAULT_SENTINEL_PORT)
    .option('--json', 'machine-readable output (one JSON document; one per line with --watch)')
    .option('--watch', 'redraw until Ctrl-C, with the events seen meanwhile')
    .option('--interval <ms>', 'redraw interval for --watch', '1000')
    .action(async (flags: StatusFlags) => exit(await runStatus(flags, io())));
  return cmd;
}
