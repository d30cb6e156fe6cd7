import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/common/clock.js';
import { seededRandom, type Random } from '../../../../src/common/random.js';
import { cloneValue, type Database } from '../../../../src/node/keyspace/database.js';
import { Keyspace } from '../../../../src/node/keyspace/keyspace.js';
import { ListValue } from '../../../../src/node/keyspace/list.js';
import type { Value } from '../../../../src/node/keyspace/types.js';
import { ZSetValue } from '../../../../src/node/keyspace/zset.js';
import { ChunkPool } from '../../../../src/node/persistence/chunk-pool.js';
import { DEFAULT_ENCODING_LIMITS } from '../../../../src/node/persistence/rdb-constants.js';
import { RdbParser } from '../../../../src/node/persistence/rdb-parser.js';
import { Snapshot, SnapshotAborted, type SnapshotOptions, type SnapshotSink } from '../../../../src/node/persistence/snapshot.js';
import { canonicalFromMaps } from './fixture-data.js';

const DBS = 4;

function randomValue(r: Random, i: number): Value {
  switch (r.int(5)) {
    case 0:
      return r.int(3) === 0 ? String(r.int(100000)) : `v${i}-${'x'.repeat(r.int(40))}`;
    case 1:
      return ListValue.from(Array.from({ length: 1 + r.int(20) }, (_, k) => `e${k}`));
    case 2:
      return new Map(Array.from({ length: 1 + r.int(10) }, (_, k) => [`f${k}`, `v${r.int(1000)}`] as [string, string]));
    case 3:
      return new Set(Array.from({ length: 1 + r.int(10) }, () => String(r.int(50))));
    default:
      return ZSetValue.from(Array.from({ length: 1 + r.int(10) }, (_, k) => [`m${k}`, r.int(100) / 4] as [string, number]));
  }
}

/** A snapshot on a ManualClock, which never moves: with sliceMs 0 every slice ends after 32 keys, and the
 *  test's yieldFn runs between slices. */
function manualSlices(clock: ManualClock, compression: boolean): SnapshotOptions {
  return { compression, checksum: true, limits: DEFAULT_ENCODING_LIMITS, aux: { ctime: 1, usedMem: 1 }, clock, sliceMs: 0 };
}

function populate(ks: Keyspace, r: Random, keys: number): void {
  for (let i = 0; i < keys; i++) {
    const db = ks.db(r.int(DBS));
    const key = `k${i}`;
    db.set(key, randomValue(r, i));
    if (r.int(4) === 0) db.setExpire(key, 4_000_000_000_000 + r.int(1000));
  }
}

function cloneDataset(ks: Keyspace): { dict: Map<string, Value>; expires: Map<string, number> }[] {
  return ks.dbs.map((d) => ({
    dict: new Map([...d.dict].map(([k, v]) => [k, cloneValue(v)] as [string, Value])),
    expires: new Map(d.expires),
  }));
}

/** One random write through the Database API (so the write barrier runs, as for real commands). */
function randomWrite(ks: Keyspace, r: Random, n: number): void {
  const db: Database = ks.db(r.int(DBS));
  const keys = [...db.dict.keys()];
  const existing = keys.length > 0 ? keys[r.int(keys.length)]! : `new${n}`;
  switch (r.int(14)) {
    case 0:
    case 1:
      db.set(existing, randomValue(r, n));
      break;
    case 2:
      db.set(`new${n}`, randomValue(r, n));
      break;
    case 3:
      db.delete(existing);
      break;
    case 4:
      if (db.dict.has(existing)) db.setExpire(existing, 4_100_000_000_000 + n);
      break;
    case 5:
      db.persist(existing);
      break;
    case 6: {
      // in-place change of an aggregate, announced first as the contract requires
      const v = db.dict.get(existing);
      if (v === undefined || typeof v === 'string') break;
      db.beforeWrite(existing);
      if (v instanceof Map) v.set(`nf${n}`, 'x');
      else if (v instanceof Set) v.add(`nm${n}`);
      else if (v instanceof ZSetValue) v.add(`nz${n}`, n);
      else (v as ListValue).pushHead(`nh${n}`);
      break;
    }
    case 7: {
      // delete then re-create the same key (it moves to the end of the Map, ahead of the iterator)
      db.delete(existing);
      db.set(existing, `recreated${n}`);
      break;
    }
    case 8: {
      // rename: both keys are written
      const dst = `renamed${n}`;
      const v = db.dict.get(existing);
      if (v === undefined) break;
      const ttl = db.getExpire(existing);
      db.delete(existing);
      db.set(dst, v);
      if (ttl !== undefined) db.setExpire(dst, ttl);
      break;
    }
    case 9:
      if (r.int(6) === 0) ks.flushDb(db.index);
      break;
    case 10:
      if (r.int(6) === 0) ks.swapDb(r.int(DBS), r.int(DBS));
      break;
    case 11:
      if (r.int(20) === 0) ks.flushAll();
      break;
    case 12:
      if (r.int(20) === 0) ks.replaceAll([{ dict: new Map([['replaced', 'x']]), expires: new Map() }]);
      break;
    default:
      // expire a key lazily: give it a past TTL, then read it
      if (db.dict.has(existing)) {
        db.setExpire(existing, 1);
        db.lookupRead(existing);
      }
  }
}

function collectSink(): SnapshotSink & { chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  return { chunks, write: (c) => chunks.push(c), backpressure: () => null };
}

/**
 * A sink like FileSink: it holds each chunk (a view of a pool chunk) until its write "completes" a few slices later,
 * copies it out then and gives it back to the pool. If the encoder refilled a chunk still held, the copy would show it.
 */
function recyclingSink(r: Random): SnapshotSink & { chunks: Buffer[]; complete(all: boolean): void; pool: ChunkPool } {
  const pool = new ChunkPool(256, 2);
  const inFlight: Buffer[] = [];
  const chunks: Buffer[] = [];
  return {
    chunks,
    pool,
    chunkPool: pool,
    write: (c) => inFlight.push(c),
    backpressure: () => null,
    complete(all: boolean) {
      const n = all ? inFlight.length : r.int(inFlight.length + 1);
      for (const c of inFlight.splice(0, n)) {
        chunks.push(Buffer.from(c));
        pool.give(c);
      }
    },
  };
}

function load(data: Buffer): { dict: Map<string, Value>; expires: Map<string, number> }[] {
  const out = Array.from({ length: DBS }, () => ({ dict: new Map<string, Value>(), expires: new Map<string, number>() }));
  const p = new RdbParser(
    {
      entry(db, key, value, expireAt) {
        const d = out[db]!;
        if (d.dict.has(key)) throw new Error(`duplicate key ${key} in db ${db}`);
        d.dict.set(key, value);
        if (expireAt !== undefined) d.expires.set(key, expireAt);
      },
    },
    { databases: DBS },
  );
  p.push(data);
  p.end();
  return out;
}

describe('Snapshot: point-in-time while writes continue', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`the saved RDB equals the dataset at the start (seed ${seed})`, async () => {
      const r = seededRandom(seed);
      const clock = new ManualClock();
      const ks = new Keyspace({ databases: DBS, clock });
      populate(ks, r, 600);
      const expected = canonicalFromMaps(cloneDataset(ks));
      const sink = collectSink();
      let n = 0;
      const snap = new Snapshot(ks, sink, {
        ...manualSlices(clock, true),
        yieldFn: async () => {
          const writes = r.int(30);
          for (let i = 0; i < writes; i++) randomWrite(ks, r, n++);
        },
      });
      const written = await snap.run();
      const loaded = load(Buffer.concat(sink.chunks));
      expect(canonicalFromMaps(loaded)).toEqual(expected);
      expect(written).toBe(expected.size);
      expect(n).toBeGreaterThan(100); // writes really interleaved with the slices
      // the barrier is gone once the snapshot completed
      expect(ks.barrier).toBeNull();
    });
  }

  for (const seed of [11, 12, 13]) {
    it(`the RDB is intact and point-in-time when the sink gives its chunks back for reuse (seed ${seed})`, async () => {
      const r = seededRandom(seed);
      const clock = new ManualClock();
      const ks = new Keyspace({ databases: DBS, clock });
      populate(ks, r, 600);
      const expected = canonicalFromMaps(cloneDataset(ks));
      const sink = recyclingSink(r);
      let n = 0;
      const snap = new Snapshot(ks, sink, {
        ...manualSlices(clock, true),
        yieldFn: async () => {
          sink.complete(false);
          const writes = r.int(30);
          for (let i = 0; i < writes; i++) randomWrite(ks, r, n++);
        },
      });
      await snap.run();
      sink.complete(true);
      const loaded = load(Buffer.concat(sink.chunks));
      expect(canonicalFromMaps(loaded)).toEqual(expected);
      expect(sink.pool.freeCount).toBeGreaterThan(0); // chunks really came back
    });
  }

  // Writes start only after thousands of keys were written unindexed, so the index catches up over several slices
  // (INDEX_BATCH keys each) while writes go on: the barrier holds entries it cannot decide yet, and each is kept
  // (key not written by the iterator) or dropped (already written) once the index is complete.
  for (const seed of [21, 22, 23]) {
    it(`the RDB is point-in-time when the first write comes after a long quiet stretch (seed ${seed})`, async () => {
      const r = seededRandom(seed);
      const clock = new ManualClock();
      const ks = new Keyspace({ databases: DBS, clock });
      for (let i = 0; i < 20_000; i++) ks.db(i % 5 === 0 ? 1 : 0).set(`q${i}`, i % 7 === 0 ? ListValue.from([`a${i}`, `b${i}`]) : `v${i}`);
      const expected = canonicalFromMaps(cloneDataset(ks));
      const sink = collectSink();
      let slices = 0;
      let n = 0;
      const snap = new Snapshot(ks, sink, {
        // 32 keys per slice: the first write comes after ~350 × 32 keys, 2-3 index batches behind
        ...manualSlices(clock, false),
        yieldFn: async () => {
          if (++slices < 350 + r.int(50)) return;
          const writes = r.int(60);
          for (let i = 0; i < writes; i++) randomWrite(ks, r, n++);
        },
      });
      const written = await snap.run();
      const loaded = load(Buffer.concat(sink.chunks));
      expect(canonicalFromMaps(loaded)).toEqual(expected);
      expect(written).toBe(expected.size);
      expect(n).toBeGreaterThan(1000);
    });
  }

  // Each snapshot draws its visited-key storage from a process-wide pool and gives it back emptied: the later
  // snapshots of a run of BGSAVEs (and one after an abort) work on storage an earlier one filled.
  it('back-to-back snapshots, one of them aborted, on reused visited-key storage are each point-in-time', async () => {
    const r = seededRandom(31);
    const clock = new ManualClock();
    const ks = new Keyspace({ databases: DBS, clock });
    let n = 0;
    for (let round = 0; round < 4; round++) {
      // the random writes include FLUSHDB/FLUSHALL: refill, so every round has thousands of keys to write
      populate(ks, r, 3000);
      const expected = canonicalFromMaps(cloneDataset(ks));
      const sink = collectSink();
      let slices = 0;
      const snap: Snapshot = new Snapshot(ks, sink, {
        ...manualSlices(clock, round % 2 === 0),
        yieldFn: async () => {
          if (round === 1 && ++slices === 20) snap.abort();
          const writes = r.int(30);
          for (let i = 0; i < writes; i++) randomWrite(ks, r, n++);
        },
      });
      if (round === 1) {
        await expect(snap.run()).rejects.toBeInstanceOf(SnapshotAborted);
        continue;
      }
      const written = await snap.run();
      expect(canonicalFromMaps(load(Buffer.concat(sink.chunks)))).toEqual(expected);
      expect(written).toBe(expected.size);
    }
    expect(n).toBeGreaterThan(1000);
  });

  it('abort() removes the barrier and rejects run()', async () => {
    const clock = new ManualClock();
    const ks = new Keyspace({ databases: DBS, clock });
    populate(ks, seededRandom(9), 200);
    const snap = new Snapshot(ks, collectSink(), {
      ...manualSlices(clock, false),
      yieldFn: async () => snap.abort(),
    });
    await expect(snap.run()).rejects.toBeInstanceOf(SnapshotAborted);
    expect(ks.barrier).toBeNull();
  });

  it('waits while the sink reports backpressure, and keeps capturing writes meanwhile', async () => {
    const clock = new ManualClock();
    const ks = new Keyspace({ databases: 1, clock });
    for (let i = 0; i < 100; i++) ks.db(0).set(`k${i}`, `v${i}`);
    let release: () => void = () => undefined;
    let blocked = true;
    const chunks: Buffer[] = [];
    const sink: SnapshotSink = {
      write: (c) => chunks.push(c),
      backpressure: () => (blocked ? new Promise<void>((res) => (release = res)) : null),
    };
    const snap = new Snapshot(ks, sink, manualSlices(clock, false));
    const done = snap.run();
    await new Promise((res) => setImmediate(res));
    // blocked: overwrite every key; the snapshot must still save the old values
    for (let i = 0; i < 100; i++) ks.db(0).set(`k${i}`, `changed${i}`);
    blocked = false;
    release();
    await done;
    const loaded = load(Buffer.concat(chunks));
    expect(loaded[0]!.dict.get('k7')).toBe('v7');
    expect(loaded[0]!.dict.size).toBe(100);
  });
});
