/**
 * The two socket paths of src/server/socket-io.ts over real loopback sockets: both must deliver every byte in
 * order, count what the kernel has not taken yet, report drain, and leave end-of-file, resets and close to
 * net.Socket. The handle path must actually be in use on the Node this project runs on (a silent fall-back would
 * only show as a slower server). The tredis bin forced onto the stream path still serves and says so in its log.
 */
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SOCKET_IO, socketIo, type SocketIo } from '../../src/server/socket-io.js';
import { allocPort } from '../helpers/ports.js';
import { startProcess, stopAll, waitForPort } from '../helpers/processes.js';
import { until } from '../helpers/wait.js';

const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await stopAll();
});

interface Pair {
  /** The server side, served through `io`. */
  server: Socket;
  io: SocketIo;
  client: Socket;
  /** Chunks the server's onData received. */
  received: Buffer[];
}

/** A connected pair whose server side is served by socketIo(kind); the client starts paused (not reading). */
async function pair(kind: 'handle' | 'stream'): Promise<Pair> {
  const received: Buffer[] = [];
  let resolveServer: (p: { server: Socket; io: SocketIo }) => void = () => {};
  const accepted = new Promise<{ server: Socket; io: SocketIo }>((r) => (resolveServer = r));
  const srv = createServer({ noDelay: true }, (sock) => {
    sockets.push(sock);
    sock.on('error', () => {});
    const io = socketIo(sock, (chunk) => received.push(Buffer.from(chunk)), kind);
    resolveServer({ server: sock, io });
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  const client = connect({ port, host: '127.0.0.1' });
  sockets.push(client);
  client.on('error', () => {});
  client.pause();
  const { server, io } = await accepted;
  return { server, io, client, received };
}

/** Read from a (paused) client until `n` bytes arrived. */
function readBytes(client: Socket, n: number): Promise<Buffer> {
  return new Promise((done, fail) => {
    const parts: Buffer[] = [];
    let got = 0;
    const onData = (d: Buffer): void => {
      parts.push(d);
      got += d.length;
      if (got >= n) {
        client.off('data', onData);
        client.pause();
        done(Buffer.concat(parts));
      }
    };
    client.on('data', onData);
    client.once('close', () => fail(new Error(`closed after ${got} of ${n} bytes`)));
    client.resume();
  });
}

describe('socket I/O paths', () => {
  it('the handle path is the one in use on this Node (unless TREDIS_SOCKET_IO=stream)', async () => {
    if (process.env['TREDIS_SOCKET_IO'] === 'stream') {
      expect(SOCKET_IO).toEqual({ kind: 'stream', reason: 'TREDIS_SOCKET_IO=stream' });
      return;
    }
    expect(SOCKET_IO.reason).toBe('');
    expect(SOCKET_IO.kind).toBe('handle');
    const p = await pair('handle');
    expect(p.io.kind).toBe('handle');
    expect((await pair('stream')).io.kind).toBe('stream');
  });

  describe.each(['handle', 'stream'] as const)('%s', (kind) => {
    it('writes the kernel cannot take at once stay in order with the small writes behind them; pending counts them; drained resolves when the peer read all', async () => {
      const { io, client } = await pair(kind);
      const big = Buffer.alloc(8 * 1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = i % 251;
      const small = Array.from({ length: 200 }, (_, i) => Buffer.from(`<${i}>`));
      io.write(big);
      for (const s of small) io.write(s);
      const total = big.length + small.reduce((n, s) => n + s.length, 0);
      // the client reads nothing yet: the socket buffers cannot hold 8 MB
      expect(io.pending).toBeGreaterThan(0);
      expect(io.pending).toBeLessThanOrEqual(total);
      const drained = io.drained(1);
      expect(drained).not.toBeNull();
      let isDrained = false;
      void drained!.then(() => (isDrained = true));
      const got = await readBytes(client, total);
      expect(got.length).toBe(total);
      expect(got.subarray(0, big.length).equals(big)).toBe(true);
      expect(got.subarray(big.length).toString('latin1')).toBe(small.map((s) => s.toString('latin1')).join(''));
      await until(() => isDrained);
      expect(io.pending).toBe(0);
      expect(io.drained(1)).toBeNull();
    });

    it('every byte the peer sends reaches onData in order, and end of file still ends and closes the socket', async () => {
      const { server, client, received } = await pair(kind);
      let ended = false;
      let closed = false;
      server.on('end', () => (ended = true));
      server.on('close', () => (closed = true));
      const sent: Buffer[] = [];
      for (let i = 0; i < 2000; i++) {
        const b = Buffer.from(`${i}:${'x'.repeat(i % 97)};`);
        sent.push(b);
        client.write(b);
        if (i % 100 === 0) await new Promise((r) => setImmediate(r)); // several reads, not one
      }
      client.end();
      await until(() => closed);
      expect(ended).toBe(true);
      expect(Buffer.concat(received).equals(Buffer.concat(sent))).toBe(true);
    });

    it('end() after a write the kernel has not taken yet still delivers every byte before the end of file', async () => {
      const { io, client, server } = await pair(kind);
      const big = Buffer.alloc(6 * 1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 253;
      io.write(big);
      io.write(Buffer.from('+BYE\r\n'));
      expect(io.pending).toBeGreaterThan(0);
      server.end(); // what closeAfterReply does (QUIT, CLIENT KILL after the reply)
      const parts: Buffer[] = [];
      client.on('data', (d: Buffer) => parts.push(d));
      await new Promise<void>((r) => {
        client.once('end', () => r());
        client.resume();
      });
      const got = Buffer.concat(parts);
      expect(got.length).toBe(big.length + 6);
      expect(got.subarray(0, big.length).equals(big)).toBe(true);
      expect(got.subarray(big.length).toString('latin1')).toBe('+BYE\r\n');
    });

    it('drained resolves when the socket closes with bytes still pending', async () => {
      const { io, client, server } = await pair(kind);
      io.write(Buffer.alloc(8 * 1024 * 1024, 1));
      const drained = io.drained(1);
      expect(drained).not.toBeNull();
      client.destroy();
      server.destroy();
      await drained;
      expect(server.destroyed).toBe(true);
    });

    it('writing to a connection the peer reset destroys the socket without throwing', async () => {
      const { io, client, server } = await pair(kind);
      let closed = false;
      server.on('close', () => (closed = true));
      client.resetAndDestroy();
      const chunk = Buffer.alloc(64 * 1024, 2);
      const deadline = Date.now() + 10_000;
      while (!closed && Date.now() < deadline) {
        if (!server.destroyed) io.write(chunk);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(closed).toBe(true);
    });
  });
});

const BIN = resolve('dist/cli/tredis.js');
const built = existsSync(BIN);
if (!built) console.warn('[skip] dist/cli/tredis.js not built (npm run build): skipping the stream-path bin test');

describe.skipIf(!built)('tredis on the stream path', () => {
  it('TREDIS_SOCKET_IO=stream: the bin logs the path and serves pipelined and large replies', async () => {
    const port = allocPort();
    const p = startProcess(process.execPath, [BIN, '--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
      env: { ...process.env, TREDIS_SOCKET_IO: 'stream' },
    });
    await waitForPort(port);
    // the line is logged right after the listeners open; the pipe may deliver it after the port answers
    await until(() => p.output().includes('Client sockets use net.Socket streams (TREDIS_SOCKET_IO=stream)'));
    const c = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await c.connect();
      const big = 'v'.repeat(3 * 1024 * 1024);
      expect(await c.set('big', big)).toBe('OK');
      const replies = await c.pipeline().get('big').incr('n').incr('n').get('big').exec();
      expect(replies).toEqual([[null, big], [null, 1], [null, 2], [null, big]]);
    } finally {
      c.disconnect();
    }
  });
});
