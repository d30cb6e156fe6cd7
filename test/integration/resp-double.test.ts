/**
 * formatDouble against redis-server 7.0.15: ZADD many doubles, read them back with ZSCORE over RESP2 (ioredis,
 * a bulk string) and RESP3 (raw socket, a `,` double), and compare the text with ours.
 */
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/common/random.js';
import { formatDouble, RespDecoder, RespWriter, type RespValue } from '../../src/resp/index.js';
import { allocPort } from '../helpers/ports.js';
import { missing, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';

function sampleDoubles(seed: number, n: number): number[] {
  const r = seededRandom(seed);
  const view = new DataView(new ArrayBuffer(8));
  const out = [0.1, 1.5, -2.5, 3, 1e17, 1e16 + 2, 1e-5, 0.0001, 5e-324, 1.7976931348623157e308, 2 ** 60, 2 ** 56, 1 / 3, 2 ** -25];
  out.push(1234567890123456.25, -0, Infinity, -Infinity);
  while (out.length < n) {
    switch (out.length % 4) {
      case 0:
        view.setUint32(0, Math.floor(r.next() * 2 ** 32));
        view.setUint32(4, Math.floor(r.next() * 2 ** 32));
        out.push(view.getFloat64(0));
        break;
      case 1:
        out.push(r.int(2 ** 30) / 2 ** r.int(80));
        break;
      case 2:
        out.push((r.int(2_000_001) - 1_000_000) / [1, 3, 10, 100, 2 ** 25][r.int(5)]!);
        break;
      default:
        out.push((r.next() - 0.5) * 10 ** (r.int(60) - 30));
    }
  }
  return out.filter((d) => !Number.isNaN(d));
}

/** The argument ZADD parses back (strtod) into exactly d. */
const arg = (d: number): string => (d === Infinity ? '+inf' : d === -Infinity ? '-inf' : Object.is(d, -0) ? '-0' : String(d));

describe.skipIf(missing('redis-server'))('formatDouble matches redis-server 7.0.15 ZSCORE', () => {
  let port = 0;
  let cleanup = (): void => {};
  const values = sampleDoubles(99, 3000);

  beforeAll(async () => {
    const tmp = tempDir('tsentinel-double-');
    cleanup = tmp.cleanup;
    port = allocPort();
    // skiplist encoding from the first member: scores stay the doubles given (a listpack stores -0 as "0")
    await startRedisServer(port, tmp.dir, ['zset-max-listpack-entries 0']);
    const client = new Redis({ port, host: '127.0.0.1', protocol: 2, lazyConnect: true });
    await client.connect();
    const p = client.pipeline();
    values.forEach((d, i) => p.zadd('z', arg(d), `m${i}`));
    await p.exec();
    client.disconnect();
  });

  afterAll(async () => {
    await stopAll();
    cleanup();
  });

  it('RESP2: bulk string text (ioredis)', async () => {
    const client = new Redis({ port, host: '127.0.0.1', protocol: 2, lazyConnect: true });
    await client.connect();
    try {
      const p = client.pipeline();
      values.forEach((_, i) => p.zscore('z', `m${i}`));
      const res = (await p.exec()) ?? [];
      values.forEach((d, i) => {
        const [err, text] = res[i] ?? [new Error('missing reply'), null];
        expect(err).toBeNull();
        expect(formatDouble(d), `value #${i} (${arg(d)})`).toBe(text);
      });
    } finally {
      client.disconnect();
    }
  });

  it('RESP3: `,` double text (raw socket, HELLO 3)', async () => {
    const w = new RespWriter();
    w.bulkArray(['HELLO', '3']);
    values.forEach((_, i) => w.bulkArray(['ZSCORE', 'z', `m${i}`]));
    const replies = await new Promise<RespValue[]>((resolve, reject) => {
      const d = new RespDecoder();
      const got: RespValue[] = [];
      const sock = connect({ port, host: '127.0.0.1' }, () => sock.write(w.take()!));
      sock.on('data', (chunk: Buffer) => {
        d.feed(chunk);
        for (let v = d.next(); v !== undefined; v = d.next()) got.push(v);
        if (d.error !== null) reject(d.error);
        if (got.length === values.length + 1) {
          sock.destroy();
          resolve(got);
        }
      });
      sock.on('error', reject);
    });
    expect(replies[0]?.type).toBe('map');
    values.forEach((d, i) => {
      const v = replies[i + 1];
      expect(v?.type, `value #${i}`).toBe('double');
      if (v?.type === 'double') expect(formatDouble(d), `value #${i} (${arg(d)})`).toBe(v.raw);
    });
  });
});
