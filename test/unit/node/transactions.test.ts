import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/clock.js';
import { fakeSession, Harness } from './harness.js';

const NIL_ARRAY = '*-1\r\n';


async function txAfter(setup: (h: Harness, other: ReturnType<typeof fakeSession>) => Promise<void>, clock = new ManualClock()) {
  const h = new Harness({ clock });
  const a = fakeSession(1);
  const b = fakeSession(2);
  await h.run(['SET', 'k', 'v'], b);
  await h.run(['WATCH', 'k'], a);
  await setup(h, b);
  await h.run(['MULTI'], a);
  await h.run(['SET', 'k', 'mine'], a);
  const r = await h.run(['EXEC'], a);
  return { h, r };
}

describe('WATCH / MULTI / EXEC', () => {
  it('another client changing a watched key aborts EXEC with a null array', async () => {
    const { r, h } = await txAfter(async (h, b) => {
      await h.run(['APPEND', 'k', 'x'], b);
    });
    expect(r).toBe(NIL_ARRAY);
    expect(await h.run(['GET', 'k'])).toBe('$2\r\nvx\r\n');
  });

  it('an untouched watch lets EXEC run', async () => {
    const { r } = await txAfter(async (h, b) => {
      await h.run(['SET', 'unrelated', '1'], b);
      await h.run(['SADD', 'x', 'm'], b);
    });
    expect(r).toBe('*1\r\n+OK\r\n');
  });

  it('a write that changes nothing does not abort (SADD of an existing member)', async () => {
    const h = new Harness();
    const a = fakeSession(1);
    const b = fakeSession(2);
    await h.run(['SADD', 's', 'm'], b);
    await h.run(['WATCH', 's'], a);
    await h.run(['SADD', 's', 'm'], b);
    await h.run(['MULTI'], a);
    await h.run(['SCARD', 's'], a);
    expect(await h.run(['EXEC'], a)).toBe('*1\r\n:1\r\n');
  });

  it('FLUSHALL, FLUSHDB and SWAPDB touch watched keys that exist', async () => {
    for (const cmd of [['FLUSHALL'], ['FLUSHDB'], ['SWAPDB', '0', '1']]) {
      const { r } = await txAfter(async (h, b) => {
        await h.run(cmd, b);
      });
      expect(r, cmd.join(' ')).toBe(NIL_ARRAY);
    }
    // flushing another db leaves the watch alone
    const { r } = await txAfter(async (h, b) => {
      b.db = 1;
      await h.run(['FLUSHDB'], b);
    });
    expect(r).toBe('*1\r\n+OK\r\n');
  });

  it('a watched key that expires before EXEC aborts it; one already expired at WATCH time does not', async () => {
    const clock = new ManualClock();
    const { r } = await txAfter(async (h, b) => {
      await h.run(['PEXPIRE', 'k', '100'], b); // a change in itself
    }, clock);
    expect(r).toBe(NIL_ARRAY);

    const h = new Harness({ clock });
    const a = fakeSession(1);
    await h.run(['SET', 'k', 'v', 'PX', '100']);
    await h.run(['WATCH', 'k'], a);
    clock.advance(200);
    await h.run(['MULTI'], a);
    await h.run(['GET', 'k'], a);
    expect(await h.run(['EXEC'], a)).toBe(NIL_ARRAY);

    const h2 = new Harness({ clock });
    await h2.run(['SET', 'k', 'v', 'PX', '100']);
    clock.advance(200);
    await h2.run(['WATCH', 'k'], a);
    await h2.run(['GET', 'k']); // lazy deletion of the already-expired key: logically no change
    await h2.run(['MULTI'], a);
    await h2.run(['GET', 'k'], a);
    expect(await h2.run(['EXEC'], a)).toBe('*1\r\n$-1\r\n');
  });

  it('EXEC propagates the queued writes as one unit, without EXEC itself', async () => {
    const h = new Harness();
    await h.run(['MULTI']);
    await h.run(['SET', 'a', '1']);
    await h.run(['GET', 'a']);
    await h.run(['INCR', 'a']);
    h.propagated.length = 0;
    expect(await h.run(['EXEC'])).toBe('*3\r\n+OK\r\n$1\r\n1\r\n:2\r\n');
    expect(h.propagated.map((u) => u.map((c) => c.argv.join(' ')))).toEqual([['SET a 1', 'INCR a']]);
  });

  it('after EXEC or DISCARD the watches are gone', async () => {
    const h = new Harness();
    const a = fakeSession(1);
    const b = fakeSession(2);
    await h.run(['WATCH', 'k'], a);
    await h.run(['MULTI'], a);
    await h.run(['DISCARD'], a);
    await h.run(['SET', 'k', 'x'], b);
    await h.run(['MULTI'], a);
    await h.run(['GET', 'k'], a);
    expect(await h.run(['EXEC'], a)).toBe('*1\r\n$1\r\nx\r\n');
    expect(h.core.watch.watchedKeys).toBe(0);
  });
});
