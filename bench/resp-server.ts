/**
 * The codec's ceiling as a server: a minimal in-process server (sockets → RequestParser → a Map for SET/GET →
 * RespWriter → one write per read) against a real redis-server 7.0.15, both driven by redis-benchmark with the same
 * options, unpipelined and with -P 16. The ratio is an upper bound for tredis, whose dispatcher, ACLs, keyspace and
 * stats add their own cost on top; if the codec alone is far from the targets (0.75x unpipelined, 0.40x at -P 16),
 * no server built on it can reach them.
 *
 * Run (from the repository root; needs redis-server and redis-benchmark on PATH):
 *   npm run bench:build && node .tmp/bench/bench/resp-server.js [requests=200000] [clients=50]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestParser, RespWriter } from '../src/resp/index.js';
import { allocPort } from '../test/helpers/ports.js';
import { machineLine } from './machine.js';

console.log(machineLine());

const REQUESTS = Number(process.argv[2] ?? 200_000);
const CLIENTS = Number(process.argv[3] ?? 50);
const TESTS = 'ping,set,get';

function serve(): Promise<{ server: Server; port: number }> {
  const data = new Map<string, string>();
  const server = createServer((sock: Socket) => {
    sock.setNoDelay(true);
    const parser = new RequestParser();
    const w = new RespWriter();
    sock.on('data', (chunk: Buffer) => {
      parser.feed(chunk);
      for (let args = parser.next(); args !== null; args = parser.next()) {
        const name = args[0]?.toLowerCase();
        if (name === 'ping') w.simple('PONG');
        else if (name === 'set' && args.length === 3) {
          data.set(args[1]!, args[2]!);
          w.ok();
        } else if (name === 'get' && args.length === 2) {
          const v = data.get(args[1]!);
          if (v === undefined) w.nil();
          else w.bulk(v);
        } else if (name === 'config') w.array(0);
        else if (name !== undefined) w.error(`ERR unknown command '${args[0]}'`);
      }
      if (parser.error !== null) {
        w.error(parser.error.reply);
        const last = w.take();
        if (last !== null) sock.write(last);
        sock.end();
        return;
      }
      const out = w.take();
      if (out !== null) sock.write(out);
    });
    sock.on('error', () => sock.destroy());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}

/** redis-benchmark --csv → requests per second by test name. */
function benchmark(port: number, pipeline: number): Map<string, number> {
  const r = spawnSync('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-t', TESTS, '-n', String(REQUESTS * (pipeline > 1 ? 4 : 1)),
    '-c', String(CLIENTS), '-P', String(pipeline), '--csv'], { encoding: 'utf8' });
  const out = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    const m = /^"([A-Z_]+)","([\d.]+)"/.exec(line);
    if (m !== null) out.set(m[1]!, Number(m[2]));
  }
  if (out.size === 0) throw new Error(`redis-benchmark gave no results: ${r.stderr}`);
  return out;
}

async function main(): Promise<void> {
  for (const bin of ['redis-server', 'redis-benchmark']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) {
      console.log(`${bin} is not installed: nothing to compare against`);
      return;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'tsentinel-bench-'));
  const redisPort = allocPort();
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const { server, port } = await serve();
  try {
    for (let i = 0; spawnSync('redis-cli', ['-p', String(redisPort), 'ping'], { encoding: 'utf8' }).stdout.trim() !== 'PONG'; i++) {
      if (i > 100) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`node ${process.version}; redis-benchmark -t ${TESTS} -c ${CLIENTS}; -n ${REQUESTS} (x4 with -P 16)`);
    for (const pipeline of [1, 16]) {
      // run the two alternately, twice, and keep each side's best, so background load hits both alike
      const best = (a: Map<string, number> | undefined, b: Map<string, number>): Map<string, number> =>
        new Map([...b].map(([k, v]) => [k, Math.max(v, a?.get(k) ?? 0)]));
      let ours: Map<string, number> | undefined;
      let theirs: Map<string, number> | undefined;
      for (let round = 0; round < 2; round++) {
        theirs = best(theirs, benchmark(redisPort, pipeline));
        // our server runs in this process: redis-benchmark must run asynchronously so the event loop can serve
        ours = best(ours, await benchmarkAsync(port, pipeline));
      }
      for (const [test, rps] of theirs!) {
        const mine = ours!.get(test) ?? 0;
        console.log(`-P ${String(pipeline).padEnd(2)} ${test.padEnd(12)} redis-server ${rps.toFixed(0).padStart(9)} rps   codec server ${mine.toFixed(0).padStart(9)} rps   ratio ${(mine / rps).toFixed(2)}x`);
      }
    }
  } finally {
    server.close();
    redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchmarkAsync(port: number, pipeline: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-t', TESTS, '-n', String(REQUESTS * (pipeline > 1 ? 4 : 1)),
      '-c', String(CLIENTS), '-P', String(pipeline), '--csv']);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const out = new Map<string, number>();
      for (const line of stdout.split('\n')) {
        const m = /^"([A-Z_]+)","([\d.]+)"/.exec(line);
        if (m !== null) out.set(m[1]!, Number(m[2]));
      }
      resolve(out);
    });
  });
}

await main();
