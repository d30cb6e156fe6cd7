/**
 * RESP codec throughput: the RequestParser on a large pipelined request stream (1M SET commands of mixed sizes, fed
 * in 64 KB chunks as a socket delivers them), the RespWriter encoding replies, and our RespDecoder side by side with
 * ioredis 6's own reply decoder on the equivalent reply stream (1M bulk strings), printing the ratio.
 *
 * Run (from the repository root; Node 20 has no type stripping, so compile first):
 *   npm run bench:build && node .tmp/bench/bench/resp-parse.js [commands=1000000] [runs=5]
 */
import { Decoder as IoredisDecoder } from 'ioredis/built/resp/decoder.js';
import { seededRandom } from '../src/common/random.js';
import { RequestParser, RespDecoder, RespWriter } from '../src/resp/index.js';
import { machineLine } from './machine.js';

console.log(machineLine());

const COMMANDS = Number(process.argv[2] ?? 1_000_000);
const RUNS = Number(process.argv[3] ?? 5);
const CHUNK = 64 * 1024;

function valueSize(r: ReturnType<typeof seededRandom>): number {
  const p = r.int(100);
  if (p < 80) return 3 + r.int(62); // small values
  if (p < 99) return 64 + r.int(448);
  return 512 + r.int(7680); // an occasional large one
}

/** The request stream and the GET-reply stream for the same values, each as one Buffer. */
function buildStreams(): { requests: Buffer; replies: Buffer; values: number } {
  const r = seededRandom(12345);
  const req = new RespWriter(1 << 20);
  const rep = new RespWriter(1 << 20);
  const reqParts: Buffer[] = [];
  const repParts: Buffer[] = [];
  let values = 0;
  for (let i = 0; i < COMMANDS; i++) {
    const n = valueSize(r);
    const v = String.fromCharCode(97 + (i % 26)).repeat(n);
    values += n;
    req.bulkArray(['SET', `key:${i}`, v]);
    rep.bulk(v);
    if (req.length > 1 << 20) reqParts.push(req.take()!);
    if (rep.length > 1 << 20) repParts.push(rep.take()!);
  }
  reqParts.push(req.take()!);
  repParts.push(rep.take()!);
  return { requests: Buffer.concat(reqParts), replies: Buffer.concat(repParts), values };
}

function chunks(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += CHUNK) out.push(b.subarray(i, i + CHUNK));
  return out;
}

/** Median seconds of `runs` timed runs after one warm-up; `f` returns an item count checked against `expect`. */
function time(label: string, runs: number, expect: number, f: () => number): number {
  f();
  const secs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const n = f();
    secs.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (n !== expect) throw new Error(`${label}: got ${n} items, expected ${expect}`);
  }
  secs.sort((a, b) => a - b);
  return secs[Math.floor(secs.length / 2)]!;
}

function report(label: string, bytes: number, items: number, s: number): void {
  const mb = bytes / 1e6 / s;
  console.log(`${label.padEnd(44)} ${mb.toFixed(0).padStart(6)} MB/s ${(items / s / 1e6).toFixed(2).padStart(6)} M items/s  (${(s * 1000).toFixed(0)} ms)`);
}

const { requests, replies, values } = buildStreams();
const reqChunks = chunks(requests);
const repChunks = chunks(replies);
console.log(`node ${process.version}; ${COMMANDS} SET commands, ${(requests.length / 1e6).toFixed(1)} MB of requests ` +
  `(${(values / COMMANDS).toFixed(0)} B mean value), ${(replies.length / 1e6).toFixed(1)} MB of replies; ${CHUNK / 1024} KB chunks; median of ${RUNS}`);

const parse = time('parse', RUNS, COMMANDS, () => {
  const p = new RequestParser();
  let n = 0;
  for (const c of reqChunks) {
    p.feed(c);
    while (p.next() !== null) n++;
  }
  return n;
});
report('RequestParser (pipelined SET stream)', requests.length, COMMANDS, parse);

const serve = time('serve', RUNS, COMMANDS, () => {
  // the codec's share of serving: parse each command and write its +OK, one take() per chunk
  const p = new RequestParser();
  const w = new RespWriter();
  let n = 0;
  for (const c of reqChunks) {
    p.feed(c);
    while (p.next() !== null) {
      w.ok();
      n++;
    }
    w.take();
  }
  return n;
});
report('RequestParser + RespWriter +OK per command', requests.length, COMMANDS, serve);
console.log(`  → ${((serve * 1e9) / COMMANDS).toFixed(0)} ns of codec work per SET command`);

// the values to write, made up front so the writer is timed alone (a pool of strings of the same size mix)
const pool = ((): string[] => {
  const r = seededRandom(12345);
  return Array.from({ length: 4096 }, () => 'a'.repeat(valueSize(r)));
})();
const poolBytes = Array.from({ length: COMMANDS }, (_, i) => pool[i % pool.length]!.length + 3 + String(pool[i % pool.length]!.length).length + 2).reduce((a, b) => a + b, 0);
const write = time('write', RUNS, COMMANDS, () => {
  const w = new RespWriter();
  let n = 0;
  for (let i = 0; i < COMMANDS; i++) {
    w.bulk(pool[i % pool.length]!);
    if (w.length > CHUNK) w.take();
    n++;
  }
  w.take();
  return n;
});
report('RespWriter (bulk replies, same size mix)', poolBytes, COMMANDS, write);

function decodeOurs(buffers: boolean): () => number {
  return () => {
    const d = buffers ? new RespDecoder<Buffer>({ buffers: true }) : new RespDecoder();
    let n = 0;
    for (const c of repChunks) {
      d.feed(c);
      while (d.next() !== undefined) n++;
    }
    return n;
  };
}

function decodeIoredis(mapping: Record<number, unknown>): () => number {
  return () => {
    let n = 0;
    const d = new IoredisDecoder({
      onReply: () => n++,
      onErrorReply: () => n++,
      onPush: () => n++,
      getTypeMapping: () => mapping,
    });
    for (const c of repChunks) d.write(c);
    return n;
  };
}

/** Alternates the two (the machine may be shared: both see the same background load) and compares medians. */
function compare(mode: string, ours: () => number, theirs: () => number): void {
  const a: number[] = [];
  const b: number[] = [];
  ours();
  theirs();
  for (let i = 0; i < RUNS; i++) {
    a.push(time(`ours ${mode}`, 1, COMMANDS, ours));
    b.push(time(`ioredis ${mode}`, 1, COMMANDS, theirs));
  }
  const med = (x: number[]): number => x.sort((p, q) => p - q)[Math.floor(x.length / 2)]!;
  report(`RespDecoder, ${mode}`, replies.length, COMMANDS, med(a));
  report(`ioredis 6 Decoder, ${mode}`, replies.length, COMMANDS, med(b));
  console.log(`  → ratio RespDecoder / ioredis (throughput, ${mode}): ${(med(b) / med(a)).toFixed(2)}x`);
}

compare('byte strings', decodeOurs(false), decodeIoredis({}));
compare('Buffers', decodeOurs(true), decodeIoredis({ 36: Buffer }));
