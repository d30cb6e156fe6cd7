/**
 * A live feed of a sentinel's events: `PSUBSCRIBE <pattern>` on a dedicated connection (a subscribed connection
 * can run nothing else), each message parsed into a SentinelEvent. Hello traffic (`__sentinel__:hello`) is not an
 * event and is dropped.
 */
import { parseEvent, type SentinelEvent } from './events.js';
import { createRedis, describeFailure, OpsError, type Endpoint } from './sentinel-client.js';

export interface EventStream {
  /** Resolves when the connection ends (closed by us, or lost and `reconnect` is off), with the reason if lost. */
  readonly ended: Promise<string | undefined>;
  close(): Promise<void>;
}

export interface EventStreamOptions {
  pattern: string;
  /** Keep reconnecting (status --watch) instead of ending on the first loss (events, failover). */
  reconnect: boolean;
  now(): number;
  onEvent(ev: SentinelEvent): void;
}

/** Subscribe; rejects with an OpsError line if the first connection or PSUBSCRIBE fails. */
export async function openEventStream(ep: Endpoint, opts: EventStreamOptions): Promise<EventStream> {
  const client = createRedis(ep, {
    retryStrategy: opts.reconnect ? (times: number) => Math.min(times * 200, 2000) : () => null,
    maxRetriesPerRequest: opts.reconnect ? null : 0,
    autoResubscribe: true,
  });
  let lastError: unknown;
  let closing = false;
  client.on('error', (e: unknown) => (lastError = e));
  client.on('pmessage', (_pattern: string, channel: string, message: string) => {
    if (channel === '__sentinel__:hello') return;
    opts.onEvent(parseEvent(channel, message, opts.now()));
  });
  const ended = new Promise<string | undefined>((resolve) => {
    client.once('end', () => resolve(closing ? undefined : describeFailure(lastError ?? new Error('Connection is closed.'), ep)));
  });
  try {
    await client.connect();
    await client.psubscribe(opts.pattern);
  } catch (e) {
    closing = true;
    if (client.status !== 'end') client.disconnect();
    throw new OpsError('ESUBSCRIBE', describeFailure(lastError ?? e, ep), { cause: e });
  }
  return {
    ended,
    close: async () => {
      closing = true;
      client.disconnect();
      await ended;
    },
  };
}
