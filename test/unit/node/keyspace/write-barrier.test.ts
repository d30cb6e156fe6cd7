/**
 * The write-barrier contract (database.ts): every change to a key is preceded by a barrier call made while the
 * key's old value and TTL are still in place, and a command that changes nothing calls no barrier (the same
 * signal invalidates WATCH). Checked over every command of the fidelity scripts, plus targeted no-op cases.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/common/clock.js';
import { splitArgs } from '../../../../src/common/split-args.js';
import { ListValue } from '../../../../src/node/keyspace/list.js';
import type { Value } from '../../../../src/node/keyspace/types.js';
import { ZSetValue } from '../../../../src/node/keyspace/zset.js';
import { SCRIPTS } from '../../../integration/node-fidelity-scripts.js';

import { Harness } from '../harness.js';

function canon(v: Value | undefined, ttl: number | undefined): string {
  let body: unknown;
  if (v === undefined) body = null;
  else if (typeof v === 'string') body = ['s', v];
  else if (v instanceof Map) body = ['h', [...v].sort()];
  else if (v instanceof Set) body = ['set', [...v].sort()];
  else if (v instanceof ZSetValue) body = ['z', [...v]];
  else if (v instanceof ListValue) body = ['l', [...v]];
  else body = ['?'];
  return JSON.stringify([body, ttl ?? null]);
}

function snapshot(h: Harness): Map<string, string> {
  const out = new Map<string, string>();
  for (const db of h.ks.dbs) for (const [k, v] of db.dict) out.set(`${db.index}\0${k}`, canon(v, db.expires.get(k)));
  return out;
}

const WHOLE_DB = new Set(['FLUSHDB', 'FLUSHALL', 'SWAPDB']);

describe('write barrier', () => {
  for (const [name, steps] of Object.entries(SCRIPTS)) {
    it(`precedes every change: ${name}`, async () => {
      const h = new Harness({ clock: new ManualClock() });
      // first barrier per key per command, with the value seen at that moment
      let seen = new Map<string, string>();
      h.ks.addWriteListener((db, key) => {
        const id = `${db.index}\0${key}`;
        if (!seen.has(id)) seen.set(id, canon(db.dict.get(key), db.expires.get(key)));
      });
      const problems: string[] = [];
      for (const step of steps) {
        const argv = splitArgs(step.cmd)!;
        const before = snapshot(h);
        seen = new Map();
        if (WHOLE_DB.has(argv[0]!.toUpperCase())) {
          // whole-database commands install or exchange Map objects instead of mutating them: the old Maps
          // (what a running snapshot iterates) must be exactly as they were
          const oldMaps = h.ks.dbs.map((d) => ({ dict: d.dict, expires: d.expires, index: d.index }));
          await h.run(argv);
          for (const m of oldMaps) {
            for (const [k, v] of m.dict) {
              if (before.get(`${m.index}\0${k}`) !== canon(v, m.expires.get(k))) problems.push(`${step.cmd}: old Map of db ${m.index} mutated at ${k}`);
            }
          }
          continue;
        }
        await h.run(argv);
        const after = snapshot(h);
        for (const id of new Set([...before.keys(), ...after.keys()])) {
          if (before.get(id) === after.get(id)) continue;
          const at = seen.get(id);
          const old = before.get(id) ?? canon(undefined, undefined);
          if (at === undefined) problems.push(`${step.cmd}: ${JSON.stringify(id)} changed without a barrier`);
          else if (at !== old) problems.push(`${step.cmd}: barrier for ${JSON.stringify(id)} saw ${at}, expected ${old}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('is not called by commands that change nothing', async () => {
    const h = new Harness({ clock: new ManualClock() });
    await h.runAll([
      ['SADD', 's', 'a'],
      ['HSET', 'h', 'f', 'v'],
      ['ZADD', 'z', '1', 'a'],
      ['RPUSH', 'l', 'a'],
      ['SET', 'k', 'v'],
    ]);
    const calls: string[] = [];
    h.ks.addWriteListener((_db, key) => calls.push(key));
    const noops = [
      'SADD s a',
      'SREM s zz',
      'SMOVE s s2 zz',
      'HDEL h zz',
      'HSETNX h f x',
      'ZADD z 1 a',
      'ZADD z NX 5 a',
      'ZADD z XX 5 zz',
      'ZADD z GT 0 a',
      'ZREM z zz',
      'ZREMRANGEBYSCORE z 10 20',
      'ZREMRANGEBYRANK z 5 10',
      'LREM l 0 zz',
      'LINSERT l BEFORE zz x',
      'LPUSHX nokey a',
      'SET k x NX',
      'SET nokey x XX',
      'MSETNX k 1 other 2',
      'PERSIST k',
      'EXPIRE k 100 XX',
      'EXPIRE nokey 100',
      'GETEX k PERSIST',
      'RENAMENX k s',
      'MOVE nokey 1',
      'COPY k s',
      'DEL nokey',
      'INCR s',
      'APPEND s x',
      'SETRANGE k 0 ""',
      'GET k',
      'SPOP nokey',
      'SINTERSTORE nokey2 nokey',
    ];
    for (const c of noops) {
      calls.length = 0;
      await h.run(splitArgs(c)!);
      expect(calls, c).toEqual([]);
    }
  });
});
