/**
 * Persistence speed: SAVE, BGSAVE and load of N small string keys (default 1,000,000), tredis vs redis-server
 * 7.0.15 on the same data (redis-server's `DEBUG POPULATE N key 10`: "key:<i>" → "value:<i>" cut/padded to 10 bytes), plus the
 * longest event-loop pause while tredis's BGSAVE runs under a concurrent write load (target ≤ 50 ms).
 *
 * tredis is measured in-process (its persistence layer on a Keyspace); redis-server as a process timed by the
 * client (SAVE round trip, BGSAVE until rdb_bgsave_in_progress:0) and by its own log for loading
 * ("DB loaded from disk: <s> seconds"). Each side's RDB is also loaded by the other side as a cross-check.
 *
 *   npm run bench:build && node .tmp/bench/bench/persistence-rdb.js [N]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { systemClock } from '../src/common/clock.js';
import { Keyspace } from '../src/node/keyspace/keyspace.js';
import { Propagator } from '../src/node/propagation.js';
import { DEFAULT_PERSISTENCE_CONFIG, Persistence } from '../src/node/persistence/persistence.js';
import { loadRdbFileSync } from '../src/node/persistence/rdb-loader.js';

const N = Number(process.argv[2] ?? 1_000_000);
const PORT = 21000 + (process.pid % 500);

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.stdout.trim();
}

/** One redis-cli call (keeps the bench free of client-library effects). */
function cli(...args: string[]): string {
  return sh('redis-cli', ['-p', String(PORT), ...args]);
}

async function waitPong(timeoutMs = 120_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = createConnection({ port: PORT, host: '127.0.0.1' }, () => {
        s.write('PING\r\n');
      });
      s.once('data', (d) => {
        s.destroy();
        res(d.toString().startsWith('+PONG'));
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() - t0 > timeoutMs) throw new Error('redis-server did not answer');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function startRedis(dir: string, dbfilename: string): { proc: ChildProcess; log: string } {
  const log = join(dir, `redis-${Date.now()}.log`);
  const proc = spawn('redis-server', ['--port', String(PORT), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', dbfilename, '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes', '--logfile', log], {
    stdio: 'ignore',
  });
  return { proc, log };
}

async function stopRedis(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  await new Promise<void>((res) => {
    proc.once('exit', () => res());
    proc.kill('SIGKILL');
  });
}

function fmt(ms: number): string {
  return `${ms.toFixed(0).padStart(7)} ms`;
}

async function main(): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
    console.log('redis-server not installed: nothing to compare against');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tredis-bench-persist-'));
  const rows: [string, number, number][] = [];
  try {
    // ---------------- redis-server
    let r = startRedis(dir, 'redis.rdb');
    await waitPong();
    cli('DEBUG', 'POPULATE', String(N), 'key', '10');
    let t0 = performance.now();
    cli('SAVE');
    const redisSave = performance.now() - t0;
    t0 = performance.now();
    cli('BGSAVE');
    while (!cli('INFO', 'persistence').includes('rdb_bgsave_in_progress:0')) await new Promise((res) => setTimeout(res, 5));
    const redisBgsave = performance.now() - t0;
    await stopRedis(r.proc);
    r = startRedis(dir, 'redis.rdb');
    await waitPong();
    const m = /DB loaded from disk: ([0-9.]+) seconds/.exec(readFileSync(r.log, 'utf8'));
    const redisLoad = m !== null ? Number(m[1]) * 1000 : NaN;
    await stopRedis(r.proc);
    const redisSize = statSync(join(dir, 'redis.rdb')).size;

    // ---------------- tredis (in-process)
    const ks = new Keyspace({ databases: 16, clock: systemClock });
    const db0 = ks.db(0);
    // the same data DEBUG POPULATE makes: "value:<i>" cut or NUL-padded to 10 bytes
    for (let i = 0; i < N; i++) db0.dict.set(`key:${i}`, `value:${i}`.slice(0, 10).padEnd(10, '\0'));
    const p = new Persistence(
      { ...DEFAULT_PERSISTENCE_CONFIG, dir, dbfilename: 'tredis.rdb', savePoints: [] },
      {
        keyspace: ks,
        clock: systemClock,
        log: { notice: () => undefined, warning: (m2) => console.error(m2) },
        propagation: new Propagator(),
        cpuMicros: () => {
          const u = process.cpuUsage();
          return u.user + u.system;
        },
      },
    );
    t0 = performance.now();
    p.save();
    const ourSave = performance.now() - t0;

    // A concurrent write load (overwrites, deletes, new keys: 200 per event-loop turn) and an event-loop delay
    // monitor; first alone for a baseline (Map growth and GC pauses of a 1M-key heap happen without BGSAVE too),
    // then while BGSAVE runs.
    let writes = 0;
    const runLoad = async (until: () => boolean): Promise<number> => {
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      await new Promise<void>((resolve) => {
        const step = (): void => {
          if (until()) return resolve();
          for (let k = 0; k < 200; k++) {
            const i = (writes * 7919) % N;
            if (writes % 3 === 0) db0.set(`key:${i}`, `new:${writes}`);
            else if (writes % 3 === 1) db0.delete(`key:${i}`);
            else db0.set(`fresh:${writes}`, 'x');
            writes++;
          }
          setImmediate(step);
        };
        setImmediate(step);
      });
      h.disable();
      return h.max / 1e6;
    };
    const baseEnd = performance.now() + 1000;
    const baselinePause = await runLoad(() => performance.now() > baseEnd);
    const baselineWrites = writes;
    const keysAtBgsave = ks.totalKeys();
    t0 = performance.now();
    let finished = false;
    const done = p.startBgsave()!.then((ok) => {
      finished = true;
      return ok;
    });
    const maxPause = await runLoad(() => finished);
    const ok = await done;
    const ourBgsave = performance.now() - t0;
    if (!ok) throw new Error('tredis BGSAVE failed');

    t0 = performance.now();
    const loaded = loadRdbFileSync(join(dir, 'tredis.rdb'), { databases: 16, dropExpiredBefore: Date.now() });
    ks.replaceAll(loaded.dbs);
    const ourLoad = performance.now() - t0;
    const ourSize = statSync(join(dir, 'tredis.rdb')).size;
    if (loaded.keysLoaded !== keysAtBgsave) throw new Error(`tredis loaded ${loaded.keysLoaded} keys, expected ${keysAtBgsave}`);

    // cross-checks: each side loads the other's file
    const theirs = loadRdbFileSync(join(dir, 'redis.rdb'), { databases: 16, dropExpiredBefore: null });
    writeFileSync(join(dir, 'cross.rdb'), readFileSync(join(dir, 'tredis.rdb')));
    r = startRedis(dir, 'cross.rdb');
    await waitPong();
    const crossKeys = Number(cli('DBSIZE'));
    await stopRedis(r.proc);

    rows.push(['SAVE', ourSave, redisSave], ['BGSAVE', ourBgsave, redisBgsave], ['load at start-up', ourLoad, redisLoad]);
    console.log(`\nPersistence, ${N.toLocaleString('en-US')} keys "key:<i>" → "value:<i>" (node ${process.version}, load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} CPUs)\n`);
    console.log('operation          tredis      redis-server   ratio (tredis time / redis time)');
    for (const [name, ours, redis] of rows) {
      console.log(`${name.padEnd(18)} ${fmt(ours)}   ${fmt(redis)}      ${(ours / redis).toFixed(2)}×`);
    }
    console.log(`\nRDB size: tredis ${ourSize} bytes, redis-server ${redisSize} bytes`);
    console.log(
      `BGSAVE under load: ${writes - baselineWrites} concurrent writes; longest event-loop pause ${maxPause.toFixed(1)} ms ` +
        `(target ≤ 50 ms); longest BGSAVE slice ${p.rdb.lastBgsaveMaxSliceMs.toFixed(1)} ms wall, ` +
        `${p.rdb.lastBgsaveMaxSliceCpuMs.toFixed(1)} ms CPU; ` +
        `same load without BGSAVE: longest pause ${baselinePause.toFixed(1)} ms`,
    );
    console.log(`cross-check: tredis loaded redis's RDB (${theirs.keysLoaded} keys); redis-server loaded tredis's (${crossKeys} keys)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
