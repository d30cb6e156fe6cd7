/**
 * RespWriter's RESP2/RESP3 mappings against redis-server 7.0.15: DEBUG PROTOCOL <type> makes Redis emit each reply
 * type with addReply* (debug.c); the writer, given the same calls, must produce the same bytes in both protocols.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RespDecoder, RespWriter } from '../../src/resp/index.js';
import { allocPort } from '../helpers/ports.js';
import { missing, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';

/** The addReply* calls debug.c makes for each DEBUG PROTOCOL type, as writer calls. */
const TYPES: Record<string, (w: RespWriter) => void> = {
  string: (w) => w.bulk('Hello World'),
  integer: (w) => w.int(12345),
  double: (w) => w.double(3.141),
  bignum: (w) => w.bigNumber('1234567999999999999999999999999999999'),
  null: (w) => w.nil(),
  array: (w) => (w.array(3), [0, 1, 2].forEach((j) => w.int(j))),
  set: (w) => (w.set(3), [0, 1, 2].forEach((j) => w.int(j))),
  map: (w) => (w.map(3), [0, 1, 2].forEach((j) => (w.int(j), w.bool(j === 1)))),
  attrib: (w) => {
    if (w.attribute(1)) {
      w.bulk('key-popularity');
      w.array(2);
      w.bulk('key:123');
      w.int(90);
    }
    w.bulk('Some real reply following the attribute');
  },
  push: (w) => {
    // RESP2 clients get an error from DEBUG PROTOCOL push; the RESP2 push mapping is checked with PUBLISH below
    w.push(2);
    w.bulk('server-cpu-usage');
    w.int(42);
    w.bulk('Some real reply following the push reply');
  },
  verbatim: (w) => w.verbatim('This is a verbatim\nstring'),
  true: (w) => w.bool(true),
  false: (w) => w.bool(false),
};

/** A raw connection that sends commands and returns the exact bytes of the next `n` top-level replies. */
class RawConn {
  readonly #sock: Socket;
  readonly #decoder = new RespDecoder();
  #bytes = Buffer.alloc(0);
  #ends: number[] = [];
  #waiter: (() => void) | null = null;
  #consumed = 0; // replies handed out (or promised) so far

  private constructor(sock: Socket) {
    this.#sock = sock;
    sock.on('data', (d: Buffer) => {
      this.#bytes = Buffer.concat([this.#bytes, d]);
      this.#decoder.feed(d);
      while (this.#decoder.next() !== undefined) this.#ends.push(this.#decoder.offset);
      this.#waiter?.();
    });
  }

  static open(port: number): Promise<RawConn> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1' }, () => resolve(new RawConn(s)));
      s.once('error', reject);
    });
  }

  call(args: string[], replies = 1): Promise<string> {
    const w = new RespWriter();
    w.bulkArray(args);
    const wait = this.wait(replies);
    this.#sock.write(w.take()!);
    return wait;
  }

  /** The bytes of the next `replies` replies (sent or pushed). */
  async wait(replies: number): Promise<string> {
    const base = this.#consumed;
    this.#consumed += replies;
    const start = base === 0 ? 0 : this.#ends[base - 1]!;
    while (this.#ends.length < base + replies) {
      await new Promise<void>((resolve) => (this.#waiter = resolve));
    }
    return this.#bytes.subarray(start, this.#ends[base + replies - 1]).toString('latin1');
  }

  close(): void {
    this.#sock.destroy();
  }
}

describe.skipIf(missing('redis-server'))('RespWriter against redis-server 7.0.15 (DEBUG PROTOCOL)', () => {
  let port = 0;
  let cleanup = (): void => {};
  const conns: RawConn[] = [];

  beforeAll(async () => {
    const tmp = tempDir('tsentinel-writer-');
    cleanup = tmp.cleanup;
    port = allocPort();
    await startRedisServer(port, tmp.dir, ['enable-debug-command yes']);
  });

  afterAll(async () => {
    conns.forEach((c) => c.close());
    await stopAll();
    cleanup();
  });

  for (const proto of [2, 3] as const) {
    it(`RESP${proto}: every reply type`, async () => {
      const conn = await RawConn.open(port);
      conns.push(conn);
      if (proto === 3) await conn.call(['HELLO', '3']);
      for (const [type, f] of Object.entries(TYPES)) {
        if (proto === 2 && type === 'push') continue;
        const w = new RespWriter();
        w.proto = proto;
        f(w);
        const ours = w.take()!.toString('latin1');
        // attributes ride on the reply that follows them; a push is a reply of its own
        const replies = type === 'push' ? 2 : 1;
        expect(await conn.call(['DEBUG', 'PROTOCOL', type], replies), `${type} in RESP${proto}`).toBe(ours);
      }
    });

    it(`RESP${proto}: pub/sub message frames (push in RESP3, array in RESP2)`, async () => {
      const sub = await RawConn.open(port);
      const pub = await RawConn.open(port);
      conns.push(sub, pub);
      if (proto === 3) await sub.call(['HELLO', '3']);
      const w = new RespWriter();
      w.proto = proto;
      w.push(3);
      w.bulk('subscribe');
      w.bulk('ch\xff');
      w.int(1);
      expect(await sub.call(['SUBSCRIBE', 'ch\xff'])).toBe(w.take()!.toString('latin1'));
      await pub.call(['PUBLISH', 'ch\xff', 'm\x00\r\n']); // delivered to sub's output when PUBLISH replies
      w.push(3);
      w.bulk('message');
      w.bulk('ch\xff');
      w.bulk('m\x00\r\n');
      expect(await sub.wait(1)).toBe(w.take()!.toString('latin1'));
    });
  }
});
