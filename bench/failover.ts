/**
 * Failover benchmark: the same scenario with redis-sentinel 7.0.15 and with tsentinel, several trials each,
 * interleaved, in one run. Per trial: a real redis-server master with 2 replicas (repl-diskless-sync-delay 0),
 * 3 sentinels (quorum 2, down-after-milliseconds 1000, failover-timeout 10000) each in its own process, a writer
 * doing `SET k<i>` + `WAIT 1 50` every 2 ms; then kill -9 of the master. Measured from the kill:
 *   - new master reported: every sentinel's SENTINEL GET-MASTER-ADDR-BY-NAME returns a new address (polled every 5 ms)
 *   - first write ok:      a client that re-resolves through sentinel 0 and retries SET gets +OK from the new master
 *   - acked writes lost:   writes acknowledged by WAIT 1 (≥1 replica) before the kill, missing on the new master
 *   - old master rejoined: from restarting the killed master (as soon as all sentinels switched) until it reports
 *                          role:slave of the new master with master_link_status:up
 * Prints each trial, the medians, and the ratios tsentinel / redis-sentinel.
 *
 * Run (from the repository root; needs redis-server and redis-sentinel on PATH):
 *   npm run bench:build && node .tmp/bench/bench/failover.js [trials=5] [both|redis-sentinel|tsentinel] [redis-server|tredis|both]
 * The third argument picks the data nodes: real redis-server (default), tredis, or both in turn.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { allocPort } from '../test/helpers/ports.js';
import { binArgv, TREDIS_BIN, TSENTINEL_BIN } from './bins.js';
import { machineLine } from './machine.js';

type Kind = 'redis-sentinel' | 'tsentinel';
type NodeKind = 'redis-server' | 'tredis';
const TRIALS = Number(process.argv[2] ?? 5);
const ONLY = process.argv[3] === undefined || process.argv[3] === 'both' ? undefined : (process.argv[3] as Kind);
const NODE_KINDS: NodeKind[] = process.argv[4] === 'tredis' ? ['tredis'] : process.argv[4] === 'both' ? ['redis-server', 'tredis'] : ['redis-server'];
const DOWN_AFTER = 1000;
const root = mkdtempSync(join(tmpdir(), 'failover-bench-'));
const procs = new Set<ChildProcess>();

interface Trial {
  kind: Kind;
  nodes: NodeKind;
  reported: number;
  firstWrite: number;
  lost: number;
  acked: number;
  rejoin: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function start(cmd: string, args: string[], log: string): ChildProcess {
  const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = createWriteStream(log);
  p.stdout?.pipe(out);
  p.stderr?.pipe(out);
  procs.add(p);
  p.once('exit', () => procs.delete(p));
  return p;
}

async function waitPort(port: number, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((res) => {
      const s = connect({ port, host: '127.0.0.1' });
      s.once('connect', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`port ${port} not up`);
    await sleep(20);
  }
}

function client(port: number): Redis {
  const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 500, commandTimeout: 1000 });
  c.on('error', () => {});
  return c;
}

async function call(port: number, ...args: string[]): Promise<unknown> {
  const c = client(port);
  try {
    await c.connect();
    return await c.call(args[0]!, ...args.slice(1));
  } catch {
    return null;
  } finally {
    c.disconnect();
  }
}

async function until(cond: () => Promise<boolean>, ms: number, what: string, every = 20): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await sleep(every);
  }
}

function dataNode(nodes: NodeKind, dir: string, port: number, extra: string[]): ChildProcess {
  const conf = join(dir, `node-${port}.conf`);
  writeFileSync(conf, [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `dbfilename dump-${port}.rdb`, 'save ""', 'appendonly no', 'repl-diskless-sync-delay 0', ...extra, ''].join('\n'));
  return nodes === 'redis-server'
    ? start('redis-server', [conf], join(dir, `node-${port}.log`))
    : start(process.execPath, [...binArgv(TREDIS_BIN), conf], join(dir, `node-${port}.log`));
}

async function trial(kind: Kind, nodeKind: NodeKind, n: number): Promise<Trial> {
  const dir = join(root, `${kind}-${nodeKind}-${n}`);
  mkdirSync(dir, { recursive: true });
  const [mp, r1, r2] = [allocPort(), allocPort(), allocPort()];
  const nodes = new Map<number, ChildProcess>();
  nodes.set(mp, dataNode(nodeKind, dir, mp, []));
  await waitPort(mp);
  for (const r of [r1, r2]) {
    nodes.set(r, dataNode(nodeKind, dir, r, [`replicaof 127.0.0.1 ${mp}`]));
    await waitPort(r);
  }
  await until(async () => String(await call(mp, 'INFO', 'replication')).includes('connected_slaves:2'), 10_000, 'replicas');
  const sports: number[] = [];
  const sentinels: ChildProcess[] = [];
  for (let i = 0; i < 3; i++) {
    const port = allocPort();
    sports.push(port);
    const conf = join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [`port ${port}`, 'bind 127.0.0.1', `dir ${dir}`, `sentinel monitor mymaster 127.0.0.1 ${mp} 2`, `sentinel down-after-milliseconds mymaster ${DOWN_AFTER}`, 'sentinel failover-timeout mymaster 10000', ''].join('\n'),
    );
    sentinels.push(kind === 'redis-sentinel' ? start('redis-sentinel', [conf], `${conf}.log`) : start(process.execPath, [...binArgv(TSENTINEL_BIN), conf], `${conf}.log`));
    await waitPort(port);
  }
  await until(
    async () => {
      for (const p of sports) {
        const m = (await call(p, 'SENTINEL', 'master', 'mymaster')) as string[] | null;
        if (m === null) return false;
        const f = (k: string): number => Number(m[m.indexOf(k) + 1]);
        if (f('num-slaves') < 2 || f('num-other-sentinels') < 2) return false;
      }
      return true;
    },
    30_000,
    'discovery',
    50,
  );
  await sleep(1500);

  // writer: SET + WAIT 1 until the kill
  const w = client(mp);
  await w.connect();
  const acked: string[] = [];
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      try {
        await w.set(`k${i}`, String(i));
        const n = (await w.call('WAIT', '1', '50')) as number;
        if (n >= 1) acked.push(`k${i}`);
      } catch {
        break;
      }
      await sleep(2);
    }
  })();
  await sleep(500);

  const oldAddr = `127.0.0.1:${mp}`;
  const t0 = performance.now();
  if (process.env.KEEP_BENCH_DIR !== undefined) console.log(`${kind} trial ${n + 1}: kill at ${new Date().toISOString()}`);
  nodes.get(mp)!.kill('SIGKILL');
  writing = false;
  await writer.catch(() => {});
  w.disconnect();

  let reported = -1;
  let firstWrite = -1;
  let newPort = 0;
  // clients keep their sentinel connections open, as real ones do: polling does not pay a connect each time
  const conns = await Promise.all(
    sports.map(async (p) => {
      const c = client(p);
      await c.connect();
      return c;
    }),
  );
  const addrOf = async (c: Redis): Promise<string | null> => {
    try {
      const a = (await c.call('SENTINEL', 'get-master-addr-by-name', 'mymaster')) as string[];
      return `${a[0]}:${a[1]}`;
    } catch {
      return null;
    }
  };
  const reportedP = (async () => {
    await until(
      async () => {
        const all = await Promise.all(conns.map(addrOf));
        if (all.some((a) => a === null || a === oldAddr)) return false;
        if (!all.every((a) => a === all[0])) return false;
        newPort = Number(all[0]!.split(':')[1]);
        return true;
      },
      60_000,
      'new master reported',
      2,
    );
    reported = performance.now() - t0;
  })();
  const writeP = (async () => {
    const nodeConns = new Map<number, Redis>();
    await until(
      async () => {
        const a = await addrOf(conns[0]!);
        if (a === null || a === oldAddr) return false;
        const port = Number(a.split(':')[1]);
        let c = nodeConns.get(port);
        if (c === undefined) {
          c = client(port);
          nodeConns.set(port, c);
          await c.connect().catch(() => {});
        }
        try {
          return (await c.set('after', '1')) === 'OK';
        } catch {
          return false;
        }
      },
      60_000,
      'first write',
      2,
    );
    firstWrite = performance.now() - t0;
    for (const c of nodeConns.values()) c.disconnect();
  })();
  await Promise.all([reportedP, writeP]);
  for (const c of conns) c.disconnect();

  const keys = acked.slice();
  const c = client(newPort);
  await c.connect();
  let lost = 0;
  for (let i = 0; i < keys.length; i += 500) {
    const vals = await c.mget(...keys.slice(i, i + 500));
    lost += vals.filter((v) => v === null).length;
  }
  c.disconnect();

  // the old master comes back (as a master: its config file never learnt otherwise)
  nodes.set(mp, dataNode(nodeKind, dir, mp, []));
  await waitPort(mp);
  const tBack = performance.now();
  await until(
    async () => {
      const info = String(await call(mp, 'INFO', 'replication'));
      return info.includes('role:slave') && info.includes(`master_port:${newPort}`) && info.includes('master_link_status:up');
    },
    60_000,
    'old master rejoined',
    10,
  );
  const rejoin = performance.now() - tBack;

  for (const p of [...sentinels, ...nodes.values()]) p.kill('SIGKILL');
  await sleep(300);
  return { kind, nodes: nodeKind, reported, firstWrite, lost, acked: keys.length, rejoin };
}

/** How many times the trial's sentinels logged +tilt (a stalled process; the machine was overloaded). */
function tiltCount(dir: string): number {
  let n = 0;
  try {
    for (const f of readdirSync(dir)) if (f.startsWith('sentinel-') && f.endsWith('.log')) n += (readFileSync(join(dir, f), 'latin1').match(/\+tilt/g) ?? []).length;
  } catch {
    // no logs
  }
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const results: Trial[] = [];
console.log(machineLine());
try {
  for (const nodeKind of NODE_KINDS) {
    for (let n = 0; n < TRIALS; n++) {
      for (const kind of ['redis-sentinel', 'tsentinel'] as const) {
        if (ONLY !== undefined && kind !== ONLY) continue;
        const label = `${kind} / ${nodeKind}`.padEnd(27);
        let t: Trial;
        try {
          t = await trial(kind, nodeKind, n);
        } catch (e) {
          // a trial that does not complete is reported, not hidden; the medians are over completed trials
          const tilts = tiltCount(join(root, `${kind}-${nodeKind}-${n}`));
          console.log(`${label} trial ${n + 1}: FAILED (${e instanceof Error ? e.message : String(e)}; sentinel TILT entries: ${tilts})`);
          for (const p of procs) p.kill('SIGKILL');
          await sleep(500);
          continue;
        }
        results.push(t);
        const tilts = tiltCount(join(root, `${kind}-${nodeKind}-${n}`));
        console.log(
          `${label} trial ${n + 1}${tilts > 0 ? ` (TILT ×${tilts})` : ''}: new master reported ${t.reported.toFixed(0)} ms, first write ${t.firstWrite.toFixed(0)} ms, ` +
            `acked writes lost ${t.lost}/${t.acked}, old master rejoined ${t.rejoin.toFixed(0)} ms`,
        );
      }
    }
  }
  for (const nodeKind of NODE_KINDS) {
    const row = (k: Kind) => {
      const r = results.filter((x) => x.kind === k && x.nodes === nodeKind);
      return {
        n: r.length,
        reported: median(r.map((x) => x.reported)),
        firstWrite: median(r.map((x) => x.firstWrite)),
        lost: r.reduce((a, x) => a + x.lost, 0),
        acked: r.reduce((a, x) => a + x.acked, 0),
        rejoin: median(r.map((x) => x.rejoin)),
      };
    };
    const rs = row('redis-sentinel');
    const ts = row('tsentinel');
    const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? (a / b).toFixed(2) : 'n/a');
    console.log('');
    console.log(`| ${nodeKind} nodes, median (completed trials: redis-sentinel ${rs.n}, tsentinel ${ts.n}; down-after ${DOWN_AFTER} ms) | redis-sentinel | tsentinel | tsentinel / redis-sentinel |`);
    console.log('|---|---|---|---|');
    console.log(`| new master reported (ms after kill -9) | ${rs.reported.toFixed(0)} | ${ts.reported.toFixed(0)} | ${ratio(ts.reported, rs.reported)} |`);
    console.log(`| … beyond down-after (ms) | ${(rs.reported - DOWN_AFTER).toFixed(0)} | ${(ts.reported - DOWN_AFTER).toFixed(0)} | ${ratio(ts.reported - DOWN_AFTER, rs.reported - DOWN_AFTER)} |`);
    console.log(`| first write to the new master ok (ms) | ${rs.firstWrite.toFixed(0)} | ${ts.firstWrite.toFixed(0)} | ${ratio(ts.firstWrite, rs.firstWrite)} |`);
    console.log(`| WAIT-1-acknowledged writes lost (total) | ${rs.lost}/${rs.acked} | ${ts.lost}/${ts.acked} | |`);
    console.log(`| restarted old master replicating from the new one (ms) | ${rs.rejoin.toFixed(0)} | ${ts.rejoin.toFixed(0)} | ${ratio(ts.rejoin, rs.rejoin)} |`);
  }
  console.log(machineLine('end'));
} finally {
  for (const p of procs) p.kill('SIGKILL');
  if (process.env.KEEP_BENCH_DIR === undefined) rmSync(root, { recursive: true, force: true });
  else console.log(`logs kept in ${root}`);
}
