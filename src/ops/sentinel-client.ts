/**
 * The admin commands' connection to a server (a sentinel, or a data node for `probe`): ioredis with no reconnect
 * loop, bounded timeouts, and every failure turned into one line a human can act on. The commands work against
 * any Sentinel-compatible server, real redis-sentinel included, so nothing here is tsentinel-specific.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { TsentinelError } from '../common/errors.js';
import { formatAddress } from './sentinel-replies.js';
import type { SentinelCall } from './status-model.js';

export interface Endpoint {
  host: string;
  port: number;
  username?: string | undefined;
  password?: string | undefined;
  /** Connect and per-command timeout. */
  timeoutMs: number;
}

/** A failure of an admin command, already phrased for the user (no stack trace is ever printed for it). */
export class OpsError extends TsentinelError {}

/** Defaults shared by every subcommand that talks to a sentinel (redis-cli's `-h`/`-p` conventions). */
export const DEFAULT_SENTINEL_PORT = 26379;
export const DEFAULT_HOST = '127.0.0.1';

/** One line explaining why talking to `ep` failed. */
export function describeFailure(e: unknown, ep: Endpoint): string {
  const where = formatAddress(ep.host, ep.port);
  const code = e !== null && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'ECONNREFUSED') return `cannot connect to ${where}: connection refused`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve host ${ep.host}`;
  if (code === 'ETIMEDOUT' || /ETIMEDOUT|timed? ?out/i.test(msg)) return `no answer from ${where} within ${ep.timeoutMs} ms`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `cannot reach ${where}: host unreachable`;
  if (/^NOAUTH/.test(msg)) return `${where} requires a password (use -a <password>)`;
  if (/^(WRONGPASS|ERR invalid password)/.test(msg)) return `${where} rejected the password: ${msg}`;
  if (/Connection is closed|connection (was )?closed/i.test(msg)) return `${where} closed the connection`;
  return `${where}: ${msg}`;
}

/**
 * An ioredis client for `ep` with what every admin connection shares — connected by the caller (lazy), a bounded
 * connect, no ready check (ioredis's INFO round trip before the first command) — and `extra` on top.
 */
export function createRedis(ep: Endpoint, extra: RedisOptions): Redis {
  return new Redis({
    host: ep.host,
    port: ep.port,
    username: ep.username,
    password: ep.password,
    lazyConnect: true,
    connectTimeout: ep.timeoutMs,
    enableReadyCheck: false,
    // ioredis keeps a socket that never connected on a 2 s destroy timer, which would hold the process open
    disconnectTimeout: 200,
    ...extra,
  });
}

/**
 * Connect and return a ready client, or throw an OpsError with one line. `HELLO 3` is tried first (ioredis's
 * default) and falls back to RESP2 on servers without it; replies reach us as flat arrays either way.
 */
export async function openClient(ep: Endpoint): Promise<Redis> {
  const client = createRedis(ep, { commandTimeout: ep.timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0, autoResubscribe: false });
  let lastError: unknown;
  client.on('error', (e: unknown) => (lastError = e));
  try {
    await client.connect();
  } catch (e) {
    if (client.status !== 'end') client.disconnect();
    throw new OpsError('ECONNECT', describeFailure(lastError ?? e, ep), { cause: e });
  }
  return client;
}

/** The status collector's port over a client; server errors reject with the server's text. */
export function callerOf(client: Redis): SentinelCall {
  return (...args: string[]) => {
    const [cmd, ...rest] = args;
    return client.call(cmd ?? '', rest);
  };
}

/** Close politely, but never wait long on a dead peer. */
export async function closeClient(client: Redis): Promise<void> {
  if (client.status === 'end') return;
  await Promise.race([client.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 500).unref())]);
  client.disconnect();
}

/** Run `fn` with a connected client and always close it; failures become OpsError lines. */
export async function withClient<T>(ep: Endpoint, fn: (client: Redis) => Promise<T>): Promise<T> {
  const client = await openClient(ep);
  try {
    return await fn(client);
  } catch (e) {
    if (e instanceof OpsError) throw e;
    throw new OpsError('ECOMMAND', describeFailure(e, ep), { cause: e });
  } finally {
    await closeClient(client);
  }
}
