/**
 * The server core's speed: a minimal server on the real core (listener, connections, dispatcher with its ACL,
 * pause and MULTI checks, commandstats, the core command families) plus a toy SET/GET on a Map, against a real
 * redis-server 7.0.15, both driven by redis-benchmark with the same options, unpipelined and with -P 16.
 * Targets: ≥ 0.75x redis-server unpipelined, ≥ 0.40x at -P 16 (-c 50). Each side runs alternately, a few
 * rounds, keeping its best, so background load hits both alike; the ratio is what to compare.
 *
 * Throughput on a shared machine swings with its load, so the CPU time each server spends per request (user +
 * system, from /proc for redis-server and process.cpuUsage() for ours) is printed as well: on a saturated
 * machine throughput follows it, and it moves much less with the load.
 *
 * Run (from the repository root; needs redis-server and redis-benchmark on PATH):
 *   npm run bench:build && node .tmp/bench/bench/server-core.js [requests=200000] [clients=50] [rounds=3]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { coreCommands } from '../src/server/commands/index.js';
import { RespServer } from '../src/server/server.js';
import { serverSettings } from '../src/server/settings.js';
import { toyCommands } from '../test/helpers/core-server.js';
import { allocPort } from '../test/helpers/ports.js';
import { machineLine } from './machine.js';

console.log(machineLine());

const REQUESTS = Number(process.argv[2] ?? 200_000);
const CLIENTS = Number(process.argv[3] ?? 50);
const ROUNDS = Number(process.argv[4] ?? 3);
const TESTS = 'ping_mbulk,set,get';

async function serve(): Promise<RespServer> {
  const server = new RespServer({
    logger: pino({ level: 'warn' }),
    settings: serverSettings({ bind: ['127.0.0.1'], port: 0 }),
    ephemeralPort: true,
  });
  const data = new Map<string, string>();
  server.register(
    ...coreCommands(server),
    // the same toy SET/GET on a Map the core's tests use
    ...toyCommands(server, data).filter((c) => c.name === 'set' || c.name === 'get'),
    {
      // redis-benchmark reads `save` and `appendonly` at start; an empty answer is fine
      name: 'config',
      arity: -2,
      flags: [],
      categories: [],
      subcommands: [{ name: 'get', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], categories: [], handler: (ctx) => ctx.reply.array(0) }],
    },
  );
  await server.listen();
  return server;
}

function parseCsv(stdout: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^"([A-Z_]+)","([\d.]+)"/.exec(line);
    if (m !== null) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/** redis-benchmark as a child process (asynchronously: our server shares this process's event loop). */
function benchmark(port: number, pipeline: number): Promise<Map<string, number>> {
  return new Promise((resolve, reject) => {
    const n = String(REQUESTS * (pipeline > 1 ? 4 : 1));
    const child = spawn('redis-benchmark', ['-h', '127.0.0.1', '-p', String(port), '-t', TESTS, '-n', n, '-c', String(CLIENTS), '-P', String(pipeline), '--csv']);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('exit', () => {
      const out = parseCsv(stdout);
      if (out.size === 0) reject(new Error('redis-benchmark gave no results'));
      else resolve(out);
    });
  });
}

/** utime + stime of a process in µs (/proc/<pid>/stat fields 14 and 15, in clock ticks). */
function procCpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / hz;
}

function ownCpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** One benchmark run and the CPU the server spent on it, per request. */
async function measured(port: number, pipeline: number, cpu: () => number): Promise<{ rps: Map<string, number>; cpuNs: number }> {
  const before = cpu();
  const rps = await benchmark(port, pipeline);
  const requests = REQUESTS * (pipeline > 1 ? 4 : 1) * rps.size;
  return { rps, cpuNs: ((cpu() - before) * 1000) / requests };
}

async function main(): Promise<void> {
  for (const bin of ['redis-server', 'redis-benchmark', 'redis-cli']) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0) {
      console.log(`${bin} is not installed: nothing to compare against`);
      return;
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'server-core-bench-'));
  const redisPort = allocPort();
  const redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const server = await serve();
  try {
    for (let i = 0; spawnSync('redis-cli', ['-p', String(redisPort), 'ping'], { encoding: 'utf8' }).stdout.trim() !== 'PONG'; i++) {
      if (i > 100) throw new Error('redis-server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`node ${process.version}; redis-benchmark -t ${TESTS} -c ${CLIENTS} -n ${REQUESTS} (x4 with -P 16); best of ${ROUNDS} alternating rounds`);
    for (const pipeline of [1, 16]) {
      const best = (a: Map<string, number> | undefined, b: Map<string, number>): Map<string, number> =>
        new Map([...b].map(([k, v]) => [k, Math.max(v, a?.get(k) ?? 0)]));
      let ours: Map<string, number> | undefined;
      let theirs: Map<string, number> | undefined;
      let ourCpu = Infinity;
      let theirCpu = Infinity;
      for (let round = 0; round < ROUNDS; round++) {
        const t = await measured(redisPort, pipeline, () => procCpuMicros(redis.pid!));
        theirs = best(theirs, t.rps);
        theirCpu = Math.min(theirCpu, t.cpuNs);
        const o = await measured(server.port, pipeline, ownCpuMicros);
        ours = best(ours, o.rps);
        ourCpu = Math.min(ourCpu, o.cpuNs);
      }
      for (const [test, rps] of theirs!) {
        const mine = ours!.get(test) ?? 0;
        console.log(
          `-P ${String(pipeline).padEnd(2)} ${test.padEnd(12)} redis-server ${rps.toFixed(0).padStart(9)} rps   server core ${mine
            .toFixed(0)
            .padStart(9)} rps   ratio ${(mine / rps).toFixed(2)}x`,
        );
      }
      console.log(
        `-P ${String(pipeline).padEnd(2)} CPU per request (all tests, best round): redis-server ${theirCpu.toFixed(0)} ns   server core ${ourCpu.toFixed(0)} ns   ratio ${(theirCpu / ourCpu).toFixed(2)}x`,
      );
    }
  } finally {
    await server.close();
    redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
