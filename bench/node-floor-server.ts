/**
 * A plain Node RESP server's floor: a bare `node:net` server that answers `+OK` to every request, with no
 * parsing, no dispatch and no data — only the public socket path (net.Socket streams, one write per read event).
 * bench/node-vs-redis.ts runs it beside redis-server and tredis at `-P 1`: it shows what a Node server written
 * against the public API reaches on the machine. tredis is not bound by it: it reads and writes on the libuv handle
 * (src/server/socket-io.ts) and writes once per loop turn, not once per read (src/server/connection.ts), so it
 * can spend less CPU per request than this server does.
 *
 * Requests are counted by their `*` (multibulk) bytes; redis-benchmark's keys and values contain none.
 * redis-benchmark reads one reply per request and does not check its type, so `+OK` serves every test.
 *
 *   node .tmp/bench/bench/node-floor-server.js <port>
 */
import { createServer } from 'node:net';

const OK = Buffer.from('+OK\r\n');
const port = Number(process.argv[2]);
createServer({ noDelay: true }, (s) => {
  s.on('data', (d: Buffer) => {
    let n = 0;
    for (let i = 0; i < d.length; i++) if (d[i] === 0x2a) n++;
    s.write(n === 1 ? OK : Buffer.alloc(OK.length * n, OK));
  });
  s.on('error', () => s.destroy());
}).listen(port, '127.0.0.1');
