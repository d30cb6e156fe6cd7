/**
 * `tsentinel probe liveness|readiness [-h host] [-p port] [--placeholder host[:port]]`: exit-code health checks for
 * container orchestrators (Docker HEALTHCHECK, Kubernetes exec probes), so images need no redis-cli. Exit 0 = alive /
 * ready, 1 = not. Works against a sentinel or a data node (detected from INFO's redis_mode); the semantics are in
 * src/ops/probe.ts.
 */
import type { Command } from 'commander';
import { Argument } from 'commander';
import { callerOf, closeClient, DEFAULT_SENTINEL_PORT, describeFailure, openClient, OpsError, withClient, type Endpoint } from '../../ops/sentinel-client.js';
import { isSentinelInfo, livenessOf, nodeReadiness, sentinelReadiness, type ProbeResult } from '../../ops/probe.js';
import { recordsOf } from '../../ops/sentinel-replies.js';
import { quorumCheckOf } from '../../ops/status-model.js';
import { addConnectionOptions, endpointOf, runReporting, type CliIo, type ConnectionFlags } from './common.js';

export interface ProbeFlags extends ConnectionFlags {
  placeholder?: string | undefined;
  quiet?: boolean | undefined;
}

async function liveness(ep: Endpoint): Promise<ProbeResult> {
  let client;
  try {
    client = await openClient(ep);
  } catch (e) {
    // A server that refuses our HELLO/AUTH with NOAUTH or LOADING is still alive.
    const cause = e instanceof OpsError ? e.cause : e;
    const r = livenessOf(undefined, cause);
    return r.ok ? r : { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  try {
    return livenessOf(await client.call('PING', []));
  } catch (e) {
    const r = livenessOf(undefined, e);
    return r.ok ? r : { ok: false, reason: describeFailure(e, ep) };
  } finally {
    await closeClient(client);
  }
}

async function readiness(ep: Endpoint, placeholder: string | undefined): Promise<ProbeResult> {
  return withClient(ep, async (client) => {
    const call = callerOf(client);
    const info = await call('INFO');
    if (typeof info !== 'string') return { ok: false, reason: 'not ready: INFO returned no text' };
    if (!isSentinelInfo(info)) return nodeReadiness(info);
    const masters = recordsOf(await call('SENTINEL', 'MASTERS'));
    const inputs = await Promise.all(
      masters.map(async (record) => {
        try {
          return { record, quorum: quorumCheckOf(await call('SENTINEL', 'CKQUORUM', record['name'] ?? '')) };
        } catch (e) {
          return { record, quorum: quorumCheckOf(undefined, e) };
        }
      }),
    );
    return sentinelReadiness(inputs, placeholder);
  });
}

export async function runProbe(kind: string, flags: ProbeFlags, io: CliIo): Promise<number> {
  return runReporting('probe', io, async () => {
    const ep = endpointOf(flags);
    let result: ProbeResult;
    try {
      result = kind === 'liveness' ? await liveness(ep) : await readiness(ep, flags.placeholder);
    } catch (e) {
      result = { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
    if (flags.quiet !== true) {
      if (result.ok) io.out(`${result.reason}\n`);
      else io.err(`tsentinel probe ${kind}: ${result.reason}\n`);
    }
    return result.ok ? 0 : 1;
  });
}

export function registerProbeCommand(program: Command, io: () => CliIo, exit: (code: number) => void): Command {
  const cmd = program
    .command('probe')
    .description('health check for containers: exit 0 when alive/ready, 1 when not (sentinel or data node)')
    .addArgument(new Argument('<kind>', 'what to check').choices(['liveness', 'readiness']));
  addConnectionOptions(cmd, DEFAULT_SENTINEL_PORT, 2000)
    .option('--placeholder <host[:port]>', 'readiness: a bootstrap master address that does not count as known')
    .option('-q, --quiet', 'print nothing, only the exit code')
    .action(async (kind: string, flags: ProbeFlags) => exit(await runProbe(kind, flags, io())));
  return cmd;
}
