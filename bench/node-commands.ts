/**
 * tredis's command layer alone (no sockets, no server core): ns per command through the execution wrapper and
 * the handler, for the commands redis-benchmark uses, with a propagation consumer attached as in a real node.
 * Finds costs in the keyspace/commands layer that the end-to-end benchmark (node-vs-redis.ts) blurs.
 *
 * Run (from the repository root):
 *   npm run bench:build && node .tmp/bench/bench/node-commands.js [ops=300000]
 */
import { systemClock } from '../src/common/clock.js';
import { systemRandom } from '../src/common/random.js';
import { RespWriter } from '../src/resp/writer.js';
import type { CommandContext, Session } from '../src/server/types.js';
import { NodeCore } from '../src/node/core.js';
import { machineLine } from './machine.js';

console.log(machineLine());

const N = Number(process.argv[2] ?? 300_000);
const core = new NodeCore({ clock: systemClock, random: systemRandom });
core.prop.addConsumer({ propagate: () => {} });
const specs = new Map(core.exec.wrapAll(core.commands()).map((s) => [s.name, s]));
const session = { id: 1, db: 0, proto: 2 } as unknown as Session;
const w = new RespWriter();

const cmds: [string, (i: number) => string[]][] = [
  ['set', (i) => ['SET', `key:${i % 100000}`, 'xxx']],
  ['get', (i) => ['GET', `key:${i % 100000}`]],
  ['incr', (i) => ['INCR', `counter:${i % 100000}`]],
  ['lpush', () => ['LPUSH', 'mylist', 'xxx']],
  ['rpop', () => ['RPOP', 'mylist']],
  ['hset', (i) => ['HSET', 'myhash', `element:${i % 100000}`, 'xxx']],
  ['sadd', (i) => ['SADD', 'myset', `element:${i % 100000}`]],
  ['zadd', (i) => ['ZADD', 'myzset', String(i % 1000), `element:${i % 100000}`]],
];
for (const [name, mk] of cmds) {
  const spec = specs.get(name)!;
  const ctx: CommandContext = { session, reply: w, command: spec };
  const argvs = Array.from({ length: N }, (_, i) => mk(i));
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      void spec.handler!(ctx, argvs[i]!);
      if ((i & 63) === 0) w.take();
    }
    w.take();
    const ns = ((performance.now() - t0) * 1e6) / N;
    if (round === 2) console.log(`${name.padEnd(6)} ${ns.toFixed(0).padStart(6)} ns/op`);
  }
}
