/**
 * tredis vs redis-server 7.0.15 under redis-benchmark, in one run with the same settings (no persistence,
 * default config): SET, GET, INCR, LPUSH, HSET, ZADD with -c 50 at -P 1 and -P 16, each test run against both
 * servers back to back (interleaved, so machine-load drift hits both), best of `rounds`. Also prints the CPU time
 * (user + system, from /proc) each server spent per request, median over the rounds: it moves far less with the
 * machine's load than throughput does. At -P 1 a third server runs interleaved with both: bench/node-floor-server.ts, a
 * bare node:net server answering +OK with no parsing through the public stream API (what a plain Node server reaches). Then memory: 1M small string keys (`key:<i>` → 8-byte value) loaded into
 * each server with pipelined SETs; compares INFO used_memory and RSS. tredis is the real bin (dist/cli/tredis.js).
 *
 * Run (from the repository root; needs redis-server and redis-benchmark on PATH):
 *   npm run bench:build && node .tmp/bench/bench/node-vs-redis.js [requests=300000] [rounds=2] [memKeys=1000000]
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { binArgv, TREDIS_BIN } from './bins.js';

const requests = Number(process.argv[2] ?? 300_000);
const rounds = Number(process.argv[3] ?? 2);
const memKeys = Number(process.argv[4] ?? 1_000_000);
const TESTS = ['set', 'get', 'incr', 'lpush', 'hset', 'zadd'];
// Ports below 32768, derived from the pid so parallel runs do not collide (never the ephemeral range).
const base = 20_000 + (process.pid % 500) * 10;

function sh(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 600_000 }, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = connect({ port, host: '127.0.0.1' }, () => (s.destroy(), r(true)));
      s.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} never opened`);
}

async function cli(port: number, ...args: string[]): Promise<string> {
  return sh('redis-cli', ['-p', String(port), ...args]);
}

async function bench(port: number, test: string, pipeline: number): Promise<number> {
  const out = await sh('redis-benchmark', ['-p', String(port), '-c', '50', '-n', String(requests), '-P', String(pipeline), '-t', test, '-r', '100000', '--csv']);
  const row = out.split('\n').find((l) => l.startsWith(`"${test.toUpperCase()}`));
  if (row === undefined) throw new Error(`no csv row for ${test}: ${out}`);
  return Number(row.split(',')[1]!.replace(/"/g, ''));
}

/** Load n keys `key:<i>` = 8-byte values with pipelined SETs over one connection. */
function load(port: number, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ port, host: '127.0.0.1' });
    let acked = 0;
    let sent = 0;
    const BATCH = 5000;
    const sendBatch = (): void => {
      const parts: string[] = [];
      for (let i = 0; i < BATCH && sent < n; i++, sent++) {
        const k = `key:${sent}`;
        parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$8\r\nvalue-00\r\n`);
      }
      s.write(parts.join(''));
    };
    s.on('data', (d: Buffer) => {
      for (let i = 0; i < d.length; i++) if (d[i] === 0x0a) acked++;
      if (acked === sent && sent < n) sendBatch();
      if (acked >= n) {
        s.destroy();
        resolve();
      }
    });
    s.on('error', reject);
    s.on('connect', sendBatch);
  });
}

function field(info: string, name: string): number {
  const m = new RegExp(`\\r\\n${name}:(\\d+)`).exec(info);
  return m ? Number(m[1]) : NaN;
}

/** utime + stime of a process in clock ticks (/proc/<pid>/stat fields 14 and 15; 100 ticks per second on Linux). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const loadAvg = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'tredis-bench-'));
const procs: ChildProcess[] = [];

/** redis-server on `rport` and the tredis bin (as users run it) on `rport + 1`, with the same settings. */
async function startPair(rport: number): Promise<{ redis: ChildProcess; tredis: ChildProcess; rport: number; tport: number }> {
  const redis = spawn('redis-server', ['--port', String(rport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  procs.push(redis);
  await waitPort(rport);
  const tport = rport + 1;
  const tredis = spawn(process.execPath, [...binArgv(TREDIS_BIN), '--port', String(tport), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  procs.push(tredis);
  await waitPort(tport);
  return { redis, tredis, rport, tport };
}

try {
  const { redis, tredis, rport, tport } = await startPair(base);
  const fport = base + 2;
  const floor = spawn(process.execPath, [join(import.meta.dirname, 'node-floor-server.js'), String(fport)], { stdio: ['ignore', 'ignore', 'inherit'] });
  procs.push(floor);
  await waitPort(fport);

  // warm-up: let V8 compile tredis's hot paths (and fill Redis's allocator caches) before anything is timed
  for (const pipeline of [1, 16]) {
    for (const t of TESTS) {
      await sh('redis-benchmark', ['-p', String(rport), '-c', '50', '-n', '30000', '-P', String(pipeline), '-t', t, '-r', '100000', '-q']);
      await sh('redis-benchmark', ['-p', String(tport), '-c', '50', '-n', '30000', '-P', String(pipeline), '-t', t, '-r', '100000', '-q']);
      if (pipeline === 1) await sh('redis-benchmark', ['-p', String(fport), '-c', '50', '-n', '30000', '-t', t, '-r', '100000', '-q']);
    }
  }
  console.log(`redis-benchmark -c 50 -n ${requests} -r 100000, best of ${rounds} after a warm-up, node ${process.version}, load average ${loadAvg()}`);
  console.log('test      P   redis ops/s   tredis ops/s   ratio   CPU µs/request redis / tredis   ratio   (P1: node floor ops/s ratio, CPU µs)');
  const ratios: Record<string, number[]> = { '1': [], '16': [] };
  const floorRatios: number[] = [];
  const cpuRatios: Record<string, number[]> = { '1': [], '16': [] };
  const timed = async (pid: number, port: number, t: string, pipeline: number): Promise<[number, number]> => {
    const c0 = cpuTicks(pid);
    const ops = await bench(port, t, pipeline);
    return [ops, ((cpuTicks(pid) - c0) * 10_000) / requests];
  };
  for (const pipeline of [1, 16]) {
    for (const t of TESTS) {
      let r = 0;
      let tr = 0;
      let fl = 0;
      const rc: number[] = [];
      const tc: number[] = [];
      const fc: number[] = [];
      for (let i = 0; i < rounds; i++) {
        await cli(rport, 'FLUSHALL');
        const [ro, rcpu] = await timed(redis.pid!, rport, t, pipeline);
        await cli(tport, 'FLUSHALL');
        const [to, tcpu] = await timed(tredis.pid!, tport, t, pipeline);
        if (pipeline === 1) {
          const [fo, fcpu] = await timed(floor.pid!, fport, t, pipeline);
          fl = Math.max(fl, fo);
          fc.push(fcpu);
        }
        r = Math.max(r, ro);
        tr = Math.max(tr, to);
        rc.push(rcpu);
        tc.push(tcpu);
      }
      ratios[String(pipeline)]!.push(tr / r);
      cpuRatios[String(pipeline)]!.push(median(rc) / median(tc));
      if (pipeline === 1) floorRatios.push(fl / r);
      console.log(
        `${t.toUpperCase().padEnd(8)} ${String(pipeline).padStart(2)}  ${r.toFixed(0).padStart(12)}  ${tr.toFixed(0).padStart(13)}   ${(tr / r).toFixed(2)}` +
          `   ${median(rc).toFixed(1).padStart(13)} / ${median(tc).toFixed(1).padEnd(13)}   ${(median(rc) / median(tc)).toFixed(2)}` +
          (pipeline === 1 ? `   ${fl.toFixed(0).padStart(7)} ${(fl / r).toFixed(2)} ${median(fc).toFixed(1)}` : ''),
      );
    }
  }
  const gm = (xs: number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
  console.log(`geometric mean ratio: P1 ${gm(ratios['1']!).toFixed(2)}  P16 ${gm(ratios['16']!).toFixed(2)}`);
  console.log(`node floor (bare node:net server, stream API) geometric mean ratio at P1: ${gm(floorRatios).toFixed(2)}`);
  console.log(`geometric mean CPU ratio (redis CPU / tredis CPU per request): P1 ${gm(cpuRatios['1']!).toFixed(2)}  P16 ${gm(cpuRatios['16']!).toFixed(2)}`);
  console.log(`load average at the end ${loadAvg()}`);

  if (memKeys > 0) {
    // fresh processes: the throughput servers' heaps hold the tests' garbage until V8's next major GC, which
    // would count in the baseline below (it once made tredis's dataset look 4x smaller than it is)
    for (const p of procs) p.kill('SIGKILL');
    const m = await startPair(base + 3);
    const [rport, tport] = [m.rport, m.tport];
    const r0 = field(await cli(rport, 'INFO', 'memory'), 'used_memory');
    const t0 = field(await cli(tport, 'INFO', 'memory'), 'used_memory');
    await load(rport, memKeys);
    await load(tport, memKeys);
    // let tredis settle (a major GC turns garbage from the load into free heap)
    await new Promise((r) => setTimeout(r, 3000));
    const ri = await cli(rport, 'INFO', 'memory');
    const ti = await cli(tport, 'INFO', 'memory');
    const rdb = Number(/keys=(\d+)/.exec(await cli(rport, 'INFO', 'keyspace'))?.[1]);
    const tdb = Number(/keys=(\d+)/.exec(await cli(tport, 'INFO', 'keyspace'))?.[1]);
    const ru = field(ri, 'used_memory');
    const tu = field(ti, 'used_memory');
    const rr = field(ri, 'used_memory_rss');
    const trss = field(ti, 'used_memory_rss');
    const mb = (b: number): string => (b / 1048576).toFixed(1) + ' MB';
    console.log(`\nmemory, ${memKeys} keys (redis ${rdb}, tredis ${tdb}):`);
    console.log(`  used_memory       redis ${mb(ru)}  tredis ${mb(tu)}  ratio ${(tu / ru).toFixed(2)}`);
    console.log(`  dataset (Δ used)  redis ${mb(ru - r0)}  tredis ${mb(tu - t0)}  ratio ${((tu - t0) / (ru - r0)).toFixed(2)}`);
    console.log(`  rss               redis ${mb(rr)}  tredis ${mb(trss)}  ratio ${(trss / rr).toFixed(2)}`);
  }
} finally {
  for (const p of procs) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
