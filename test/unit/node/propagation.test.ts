/**
 * Propagation rewrites (replication.md §2.9–2.10): what each write command hands to replicas and the AOF.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/clock.js';
import { splitArgs } from '../../../src/common/split-args.js';
import { Propagator, toCommandSequence, encodeCommand } from '../../../src/node/propagation.js';
import { Harness } from './harness.js';

const T0 = 1_700_000_000_000;

async function units(setup: string[], cmd: string, opts: { settings?: Record<string, boolean>; advance?: number } = {}) {
  const clock = new ManualClock(T0);
  const h = new Harness({ clock, settings: opts.settings });
  for (const s of setup) await h.run(splitArgs(s)!);
  if (opts.advance !== undefined) clock.advance(opts.advance);
  h.propagated.length = 0;
  await h.run(splitArgs(cmd)!);
  return h.propagated.map((u) => u.map((c) => [c.db, ...c.argv].join(' ')));
}

describe('propagation rewrites', () => {
  const cases: [string, string[], string, string[][]][] = [
    ['SET EX → SET PXAT', [], 'SET k v EX 100 NX', [[`0 SET k v PXAT ${T0 + 100_000}`]]],
    ['SET PX → SET PXAT', [], 'SET k v px 5', [[`0 SET k v PXAT ${T0 + 5}`]]],
    ['SET EXAT → SET PXAT', [], 'SET k v EXAT 1800000000', [['0 SET k v PXAT 1800000000000']]],
    ['SETEX → SET PXAT', [], 'SETEX k 10 v', [[`0 SET k v PXAT ${T0 + 10_000}`]]],
    ['PSETEX → SET PXAT', [], 'PSETEX k 10 v', [[`0 SET k v PXAT ${T0 + 10}`]]],
    ['SET … GET drops GET', ['SET k old'], 'SET k v GET get', [['0 SET k v']]],
    ['SET KEEPTTL verbatim', [], 'set k v KEEPTTL', [['0 set k v KEEPTTL']]],
    ['plain SET verbatim', [], 'set k v', [['0 set k v']]],
    ['GETSET → SET', [], 'GETSET k v', [['0 SET k v']]],
    ['GETEX EX → PEXPIREAT', ['SET k v'], 'GETEX k EX 10', [[`0 PEXPIREAT k ${T0 + 10_000}`]]],
    ['GETEX PXAT past → DEL', ['SET k v'], 'GETEX k PXAT 1', [['0 DEL k']]],
    ['GETEX PERSIST with a TTL → PERSIST', ['SET k v EX 10'], 'GETEX k PERSIST', [['0 PERSIST k']]],
    ['GETEX PERSIST without a TTL → nothing', ['SET k v'], 'GETEX k PERSIST', []],
    ['GETDEL → DEL', ['SET k v'], 'GETDEL k', [['0 DEL k']]],
    ['EXPIRE → PEXPIREAT, flag kept', ['SET k v'], 'EXPIRE k 100 NX', [[`0 PEXPIREAT k ${T0 + 100_000} NX`]]],
    ['EXPIREAT → PEXPIREAT', ['SET k v'], 'EXPIREAT k 1800000000', [['0 PEXPIREAT k 1800000000000']]],
    ['PEXPIREAT verbatim', ['SET k v'], 'pexpireat k 1800000000000', [['0 pexpireat k 1800000000000']]],
    ['EXPIRE in the past → DEL', ['SET k v'], 'EXPIRE k -1', [['0 DEL k']]],
    ['INCRBYFLOAT → SET KEEPTTL', ['SET k 1'], 'INCRBYFLOAT k 0.5', [['0 SET k 1.5 KEEPTTL']]],
    ['HINCRBYFLOAT → HSET', [], 'HINCRBYFLOAT h f 2.5', [['0 HSET h f 2.5']]],
    ['SPOP → SREM', ['SADD s a'], 'SPOP s', [['0 SREM s a']]],
    ['SPOP n ≥ size → DEL', ['SADD s a b'], 'SPOP s 5', [['0 DEL s']]],
    ['BLPOP served now → LPOP', ['RPUSH l a'], 'BLPOP l 0', [['0 LPOP l']]],
    ['BRPOP served now → RPOP', ['RPUSH l a'], 'BRPOP nokey l 0', [['0 RPOP l']]],
    ['BLMOVE → LMOVE', ['RPUSH l a'], 'BLMOVE l d left RIGHT 0', [['0 LMOVE l d left RIGHT']]],
    ['BRPOPLPUSH → RPOPLPUSH', ['RPUSH l a'], 'BRPOPLPUSH l d 0', [['0 RPOPLPUSH l d']]],
    ['LMPOP → LPOP count popped', ['RPUSH l a b'], 'LMPOP 1 l LEFT COUNT 5', [['0 LPOP l 2']]],
    ['BLMPOP → RPOP count', ['RPUSH l a b'], 'BLMPOP 0 1 l RIGHT', [['0 RPOP l 1']]],
    ['BZPOPMIN → ZPOPMIN', ['ZADD z 1 a'], 'BZPOPMIN z 0', [['0 ZPOPMIN z']]],
    ['ZMPOP → ZPOPMAX count', ['ZADD z 1 a 2 b'], 'ZMPOP 1 z MAX COUNT 9', [['0 ZPOPMAX z 2']]],
    ['FLUSHALL forced even when empty', [], 'FLUSHALL', [['0 FLUSHALL']]],
    ['FLUSHDB forced', [], 'FLUSHDB', [['0 FLUSHDB']]],
    ['read command → nothing', ['SET k v'], 'GET k', []],
    ['write that changed nothing → nothing', ['SADD s a'], 'SADD s a', []],
    ['INCR verbatim', [], 'INCR c', [['0 INCR c']]],
  ];
  for (const [name, setup, cmd, want] of cases) {
    it(name, async () => {
      expect(await units(setup, cmd)).toEqual(want);
    });
  }

  it('SPOP with a count: one SREM per member in one unit (wrapped by consumers)', async () => {
    const got = await units(['SADD s a b c'], 'SPOP s 2');
    expect(got.length).toBe(1);
    expect(got[0]!.length).toBe(2);
    for (const c of got[0]!) expect(c).toMatch(/^0 SREM s [abc]$/);
  });

  it('lazyfree settings turn DEL into UNLINK', async () => {
    expect(await units(['SET k v'], 'GETDEL k', { settings: { lazyfreeLazyUserDel: true } })).toEqual([['0 UNLINK k']]);
    expect(await units(['SET k v'], 'EXPIRE k 0', { settings: { lazyfreeLazyExpire: true } })).toEqual([['0 UNLINK k']]);
  });

  it('lazy expiry: a read propagates a lone DEL, a write DEL then itself in one unit', async () => {
    expect(await units(['SET e v PX 10'], 'GET e', { advance: 20 })).toEqual([['0 DEL e']]);
    expect(await units(['SET e v PX 10'], 'set e new', { advance: 20 })).toEqual([['0 DEL e', '0 set e new']]);
    expect(await units(['SET L x PX 10', 'DEL L', 'RPUSH L a', 'PEXPIRE L 10'], 'lpush L b', { advance: 20 })).toEqual([
      ['0 DEL L', '0 lpush L b'],
    ]);
  });

  it('a blocked BLPOP served later propagates LPOP after the pusher', async () => {
    const h = new Harness({ clock: new ManualClock(T0) });
    const waiter = { ...h.session, id: 2 };
    const blocked = h.run(['BLPOP', 'q', '0'], waiter);
    h.propagated.length = 0;
    await h.run(['RPUSH', 'q', 'x', 'y']);
    expect(await blocked).toBe('*2\r\n$1\r\nq\r\n$1\r\nx\r\n');
    expect(h.propagated.map((u) => u.map((c) => c.argv.join(' ')))).toEqual([['RPUSH q x y'], ['LPOP q']]);
  });

  it('the active expire cycle propagates each deletion as its own unit', async () => {
    const clock = new ManualClock(T0);
    const h = new Harness({ clock });
    await h.runAll([['SET', 'a', '1', 'PX', '5'], ['SET', 'b', '1', 'PX', '5']]);
    clock.advance(10);
    h.propagated.length = 0;
    h.core.activeExpire.run('slow', 10);
    expect(h.propagated.map((u) => u.map((c) => c.argv.join(' '))).sort()).toEqual([['DEL a'], ['DEL b']]);
  });

  it('commands carry the client db', async () => {
    const h = new Harness();
    await h.run(['SELECT', '5']);
    h.session.db = 5;
    h.propagated.length = 0;
    await h.run(['SET', 'k', 'v']);
    expect(h.propagated[0]![0]!.db).toBe(5);
  });
});

describe('toCommandSequence', () => {
  it('inserts SELECT on db change and wraps multi-op units, MULTI in the first op db', () => {
    const unit = [
      { db: 3, argv: ['DEL', 'e'] },
      { db: 3, argv: ['set', 'e', 'v'] },
    ];
    const r = toCommandSequence(unit, 0);
    expect(r.argvs).toEqual([['SELECT', '3'], ['MULTI'], ['DEL', 'e'], ['set', 'e', 'v'], ['EXEC']]);
    expect(r.selectedDb).toBe(3);
    const single = toCommandSequence([{ db: 3, argv: ['INCR', 'x'] }], 3);
    expect(single.argvs).toEqual([['INCR', 'x']]);
  });

  it('encodes RESP multibulk with byte lengths', () => {
    expect(encodeCommand(['SET', 'k\xff', '']).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$2\r\nk\xff\r\n$0\r\n\r\n');
  });

  it('nests units: only the outermost hands the unit to consumers', () => {
    const p = new Propagator();
    const got: string[][] = [];
    p.addConsumer({ propagate: (u) => got.push(u.map((c) => c.argv.join(' '))) });
    p.beginUnit();
    p.beginCommand(0, ['MULTI']);
    p.endCommand(false);
    p.beginUnit();
    p.beginCommand(0, ['SET', 'a', '1']);
    p.endCommand(true);
    p.endUnit();
    p.beginUnit();
    p.beginCommand(0, ['SPOP', 's']);
    p.rewrite(['SREM', 's', 'x']);
    p.endCommand(true);
    p.endUnit();
    expect(got).toEqual([]);
    p.endUnit();
    expect(got).toEqual([['SET a 1', 'SREM s x']]);
  });
});
