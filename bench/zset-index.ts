/**
 * The sorted-set index alone (src/node/keyspace/zset.ts), no command layer: ns per operation for the pattern
 * `redis-benchmark -t zadd -r 100000` sends (`ZADD myzset <rand> element:<rand>`: one set growing to ~100k members,
 * random integer scores, most calls updating an existing member's score), plus ZRANK and ZRANGE by rank on the
 * result. Member strings are fresh per call, as the request parser makes them. Prints the median of the rounds.
 *
 * Run (from the repository root):
 *   npm run bench:build && node .tmp/bench/bench/zset-index.js [ops=500000] [rounds=7]
 */
import { loadavg } from 'node:os';
import { seededRandom } from '../src/common/random.js';
import { ZSetValue } from '../src/node/keyspace/zset.js';

const OPS = Number(process.argv[2] ?? 500_000);
const ROUNDS = Number(process.argv[3] ?? 7);
const RANGE = 100_000;

// seeded, so every run sees the same sequence
const random = seededRandom(12345);
const rnd = (n: number): number => random.int(n);
const pad = (i: number): string => String(i).padStart(12, '0');
// flat, distinct string objects, as the request parser makes them (latin1Slice of the input buffer); template
// literals would give cons strings, which V8 hashes and compares on a slower path
const wire = Buffer.from(Array.from({ length: OPS }, () => `element:${pad(rnd(RANGE))}`).join(''), 'latin1');
const MLEN = 'element:'.length + 12;
const members = Array.from({ length: OPS }, (_, i) => wire.latin1Slice(i * MLEN, (i + 1) * MLEN));
const scores = Array.from({ length: OPS }, () => rnd(RANGE));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const zadd: number[] = [];
const zrank: number[] = [];
const zrange: number[] = [];
let size = 0;
for (let r = 0; r < ROUNDS; r++) {
  const z = new ZSetValue();
  let t = performance.now();
  for (let i = 0; i < OPS; i++) {
    // what ZADD does: read the current score, then insert or move the member
    const m = members[i]!;
    const cur = z.score(m);
    if (cur !== scores[i]) z.addKnown(m, scores[i]!, cur);
  }
  zadd.push(((performance.now() - t) * 1e6) / OPS);
  size = z.size;
  t = performance.now();
  let sum = 0;
  for (let i = 0; i < OPS; i++) sum += z.rank(members[i]!) ?? 0;
  zrank.push(((performance.now() - t) * 1e6) / OPS);
  t = performance.now();
  for (let i = 0; i < OPS / 10; i++) sum += z.rangeByRank(scores[i]! % size, (scores[i]! % size) + 9).length;
  zrange.push(((performance.now() - t) * 1e6) / (OPS / 10));
  if (sum < 0) console.log(sum);
}
console.log(`zset index, ${OPS} ops per round, ${ROUNDS} rounds, final size ${size}, node ${process.version}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`  ZADD (score + addKnown)  median ${median(zadd).toFixed(0)} ns/op  (rounds: ${zadd.map((x) => x.toFixed(0)).join(' ')})`);
console.log(`  ZRANK                    median ${median(zrank).toFixed(0)} ns/op`);
console.log(`  ZRANGE by rank, 10 items median ${median(zrange).toFixed(0)} ns/op`);
