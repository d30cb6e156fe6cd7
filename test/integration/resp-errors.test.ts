/**
 * Replays the request-parser cases against a real redis-server 7.0.15 over a raw socket and checks that
 * RequestParser agrees with it: the replies Redis sends for the raw bytes must equal the replies it sends for the
 * commands our parser extracted (re-sent as clean multibulk), followed by our protocol error's text when we report
 * one; and Redis must close the connection exactly when we report an error.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespDecoder, RespWriter } from '../../src/resp/index.js';
import { allocPort } from '../helpers/ports.js';
import { missing, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { bytes, parseChunks } from '../unit/resp/parse-helpers.js';
import { BIG_CASES, CASES } from '../unit/resp/request-cases.js';

interface Exchange {
  reply: Buffer;
  closed: boolean;
}

/** Idle time after the expected replies during which nothing more may arrive. */
const QUIET_MS = 250;

/**
 * Sends `input`, then collects the reply bytes until the server closes, or (unless a close is expected) until
 * `replies` replies have been decoded and the connection stayed quiet for QUIET_MS.
 */
function exchange(port: number, input: Buffer, replies: number, expectClose = false): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const decoder = new RespDecoder();
    let seen = 0;
    let quiet: NodeJS.Timeout | undefined;
    const sock = connect({ port, host: '127.0.0.1' });
    const done = (closed: boolean): void => {
      clearTimeout(quiet);
      clearTimeout(overall);
      sock.destroy();
      resolve({ reply: Buffer.concat(chunks), closed });
    };
    const overall = setTimeout(() => reject(new Error(`no conclusion from redis-server after 10 s (${seen} replies)`)), 10_000);
    const armQuiet = (): void => {
      clearTimeout(quiet);
      if (seen >= replies) quiet = setTimeout(() => done(false), expectClose ? 5_000 : QUIET_MS);
    };
    sock.on('connect', () => {
      sock.write(input);
      armQuiet();
    });
    sock.on('data', (d: Buffer) => {
      chunks.push(d);
      decoder.feed(d);
      while (decoder.next() !== undefined) seen++;
      armQuiet();
    });
    // ECONNRESET: Redis closed with our bytes unread, which is a close too
    sock.on('error', () => done(true));
    sock.on('close', () => done(true));
  });
}

function multibulk(commands: string[][]): Buffer {
  const w = new RespWriter();
  for (const c of commands) w.bulkArray(c);
  return w.take() ?? Buffer.alloc(0);
}

describe.skipIf(missing('redis-server'))('RequestParser against redis-server 7.0.15', () => {
  let plainPort = 0;
  let authPort = 0;
  let cleanup = (): void => {};

  beforeAll(async () => {
    const tmp = tempDir('tsentinel-resp-');
    cleanup = tmp.cleanup;
    plainPort = allocPort();
    authPort = allocPort();
    await Promise.all([startRedisServer(plainPort, tmp.dir), startRedisServer(authPort, tmp.dir, ['requirepass secret'])]);
  });

  afterAll(async () => {
    await stopAll();
    cleanup();
  });

  // a replica's link to its primary is not something a client connection can reproduce
  const cases = [...CASES, ...BIG_CASES].filter((c) => c.opts?.primary !== true);

  describe.concurrent('same replies, same close', () => {
    for (const c of cases) {
      it(c.name, async ({ expect: expectc }) => {
        const port = c.opts?.unauthenticated === true ? authPort : plainPort;
        const input = Buffer.from(bytes(c.input));
        const ours = parseChunks([input], c.opts);
        const commands = ours.commands.filter((cmd) => cmd.length > 0); // Redis ignores empty requests too
        const viaUs = commands.length > 0 ? await exchange(port, multibulk(commands), commands.length) : { reply: Buffer.alloc(0), closed: false };
        const closes = ours.error !== null || viaUs.closed;
        const raw = await exchange(port, input, commands.length + (ours.error !== null ? 1 : 0), closes);
        const expected = ours.error !== null ? Buffer.concat([viaUs.reply, Buffer.from(`-${ours.error}\r\n`, 'latin1')]) : viaUs.reply;
        expectc(raw.reply.toString('latin1')).toBe(expected.toString('latin1'));
        // Redis also closes silently on its own (the POST/Host: guard), which the replayed commands show
        expectc(raw.closed).toBe(closes);
      });
    }
  });

  it('the recorded expectations are what the parser produces', () => {
    for (const c of cases) {
      const ours = parseChunks([bytes(c.input)], c.opts);
      expect(ours.commands, c.name).toEqual(c.commands);
      expect(ours.error, c.name).toBe(c.error ?? null);
    }
  });
});
