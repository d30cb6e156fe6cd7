import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../src/common/clock.js';
import { Keyspace } from '../../../../src/node/keyspace/keyspace.js';
import { ListValue } from '../../../../src/node/keyspace/list.js';
import { FileSink } from '../../../../src/node/persistence/file-sink.js';
import { DEFAULT_ENCODING_LIMITS } from '../../../../src/node/persistence/rdb-constants.js';
import { RdbEncoder } from '../../../../src/node/persistence/rdb-encoder.js';
import { writeDataset } from '../../../../src/node/persistence/rdb-writer.js';
import { Snapshot } from '../../../../src/node/persistence/snapshot.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('FileSink', () => {
  it('writes a snapshot byte for byte as the synchronous writer does, reusing its written chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tredis-filesink-'));
    dirs.push(dir);
    const clock = new ManualClock();
    const ks = new Keyspace({ databases: 2, clock });
    for (let i = 0; i < 30_000; i++) {
      const db = ks.db(i % 3 === 0 ? 1 : 0);
      db.set(`key:${i}`, i % 11 === 0 ? ListValue.from([`a${i}`, 'b'.repeat(i % 300)]) : `value-${i}-${'x'.repeat(i % 50)}`);
    }
    const aux = { ctime: 1_700_000_000, usedMem: 1234 };
    const expected: Buffer[] = [];
    writeDataset(new RdbEncoder((c) => expected.push(c), { compression: true, checksum: true }), ks.dbs, aux, DEFAULT_ENCODING_LIMITS);

    const sink = new FileSink(join(dir, 'temp.rdb'));
    let slices = 0;
    const snap = new Snapshot(ks, sink, {
      compression: true,
      checksum: true,
      limits: DEFAULT_ENCODING_LIMITS,
      aux,
      clock,
      // a few hundred keys per slice (the manual clock never moves: each slice ends on its key budget)
      sliceMs: 0,
      yieldFn: () => new Promise((res) => (++slices % 8 === 0 ? setTimeout(res, 1) : setImmediate(res))),
    });
    await snap.run();
    await sink.commit(join(dir, 'dump.rdb'));
    expect(readFileSync(join(dir, 'dump.rdb')).equals(Buffer.concat(expected))).toBe(true);
    // the writes completed while the snapshot ran gave their chunks back
    expect(sink.chunkPool.freeCount).toBeGreaterThan(0);
  });
});
