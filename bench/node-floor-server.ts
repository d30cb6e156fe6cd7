/**
 * The floor under any Node RESP server: a bare `node:net` server that answers `+OK` to every request, with no
 * parsing, no dispatch and no data — only the socket path every Node server shares (one read and one write per
 * event, as tredis). bench/node-vs-redis.ts runs it beside redis-server and tredis at `-P 1`: what it reaches is
 * the most any Node server can reach on the machine, so tredis's ratio can be read against it.
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
