import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RdbError } from '../../../../src/node/persistence/errors.js';
import { canonicalFromJson, canonicalFromMaps, fixtureRdb, loadFixtureJson, RDB_FIXTURES } from './fixture-data.js';
import { harnessesPerTest } from './harness.js';

const harness = harnessesPerTest();

describe('RDB load at start-up', () => {
  it('loads a redis-server RDB (strings.rdb) into the keyspace', () => {
    const t = harness();
    copyFileSync(join(RDB_FIXTURES, 'strings.rdb'), join(t.dir, 'dump.rdb'));
    const r = t.p.loadAtStartup({ apply: () => undefined });
    expect(r.source).toBe('rdb');
    expect(canonicalFromMaps(t.h.ks.dbs)).toEqual(canonicalFromJson(loadFixtureJson('strings')));
    expect(t.p.infoSection()).toContain('rdb_last_load_keys_loaded:28');
  });

  it('drops keys already expired when loading as a master, and counts them', () => {
    const t = harness();
    copyFileSync(join(RDB_FIXTURES, 'strings.rdb'), join(t.dir, 'dump.rdb'));
    t.clock.jumpWall(7_300_000_000_000 - t.clock.now()); // past every fixture expiry (2100/2200)
    t.p.loadAtStartup({ apply: () => undefined });
    expect(t.h.ks.db(0).size).toBe(24);
    expect(t.p.infoSection()).toContain('rdb_last_load_keys_expired:4');
  });

  for (const bad of ['truncated', 'badcrc', 'badmagic']) {
    it(`${bad}.rdb: throws, installs nothing, leaves the file byte-identical`, () => {
      const t = harness();
      t.h.ks.db(0).set('existing', 'kept');
      const path = join(t.dir, 'dump.rdb');
      copyFileSync(join(RDB_FIXTURES, `${bad}.rdb`), path);
      const before = readFileSync(path);
      expect(() => t.p.loadAtStartup({ apply: () => undefined })).toThrow(RdbError);
      expect([...t.h.ks.db(0).dict.keys()]).toEqual(['existing']);
      expect(readFileSync(path).equals(before)).toBe(true);
    });
  }
});

describe('SAVE, BGSAVE and save points', () => {
  it('SAVE then a fresh node loads the same dataset (all types, several dbs, TTLs)', () => {
    const t = harness();
    copyFileSync(join(RDB_FIXTURES, 'multidb.rdb'), join(t.dir, 'dump.rdb'));
    t.p.loadAtStartup({ apply: () => undefined });
    // add the large-types fixture into db 1 by loading it separately
    const t2 = harness();
    copyFileSync(join(RDB_FIXTURES, 'types-large.rdb'), join(t2.dir, 'dump.rdb'));
    t2.p.loadAtStartup({ apply: () => undefined });
    for (const [k, v] of t2.h.ks.db(0).dict) t.h.ks.db(1).set(k, v);
    for (const [k, e] of t2.h.ks.db(0).expires) t.h.ks.db(1).setExpire(k, e);
    const expected = canonicalFromMaps(t.h.ks.dbs);
    t.p.save();
    const t3 = harness({}, t.dir);
    t3.p.loadAtStartup({ apply: () => undefined });
    expect(canonicalFromMaps(t3.h.ks.dbs)).toEqual(expected);
  });

  it('BGSAVE saves the dataset as of its start while writes continue, then resets dirty by the saved amount', async () => {
    const t = harness();
    const db = t.h.ks.db(0);
    for (let i = 0; i < 5000; i++) db.set(`k${i}`, `v${i}`);
    t.h.ks.dirty = 5000;
    const expected = canonicalFromMaps(t.h.ks.dbs);
    const done = t.p.startBgsave()!;
    // writes after the start: overwrite, delete, create
    for (let i = 0; i < 5000; i += 7) db.set(`k${i}`, 'changed');
    for (let i = 1; i < 5000; i += 11) db.delete(`k${i}`);
    db.set('new', 'x');
    t.h.ks.dirty += 3;
    expect(await done).toBe(true);
    expect(t.h.ks.dirty).toBe(3);
    const t2 = harness({}, t.dir);
    t2.p.loadAtStartup({ apply: () => undefined });
    expect(canonicalFromMaps(t2.h.ks.dbs)).toEqual(expected);
    expect(existsSync(join(t.dir, `temp-${process.pid}.rdb`))).toBe(false);
  });

  it('a failed BGSAVE reports err, keeps dirty, and MISCONF blocks writes while save points exist', async () => {
    const t = harness({ savePoints: [{ seconds: 1, changes: 1 }], dbfilename: 'no/such/dir/dump.rdb' });
    t.h.ks.db(0).set('a', '1');
    t.h.ks.dirty = 1;
    expect(await t.p.startBgsave()).toBe(false);
    expect(t.p.infoSection()).toContain('rdb_last_bgsave_status:err');
    expect(t.h.ks.dirty).toBe(1);
    expect(t.p.writeDenied()).toMatch(/^MISCONF Redis is configured to save RDB snapshots/);
    expect(await t.h.run(['SAVE'])).toBe('-ERR\r\n');
  });

  it('cron starts a BGSAVE when a save point is due, respecting the retry delay after a failure', async () => {
    const t = harness({ savePoints: [{ seconds: 10, changes: 2 }] });
    t.h.ks.db(0).set('a', '1');
    t.h.ks.dirty = 2;
    t.clock.advance(10_000);
    t.p.cron();
    expect(t.p.bgsaveInProgress).toBe(false); // 10 s is not > 10 s
    t.clock.advance(1000);
    t.p.cron();
    expect(t.p.bgsaveInProgress).toBe(true);
    expect(await t.p.bgsaveDone()).toBe(true);
    expect(t.h.ks.dirty).toBe(0);
    expect(existsSync(join(t.dir, 'dump.rdb'))).toBe(true);
  });

  it('shutdown saves when save points exist, not with NOSAVE, and always with SAVE', async () => {
    const t = harness({ savePoints: [{ seconds: 3600, changes: 1 }] });
    t.h.ks.db(0).set('a', '1');
    expect(await t.p.shutdown({ nosave: true })).toBeNull();
    expect(existsSync(join(t.dir, 'dump.rdb'))).toBe(false);
    expect(await t.p.shutdown({})).toBeNull();
    expect(existsSync(join(t.dir, 'dump.rdb'))).toBe(true);
    const t2 = harness({ savePoints: [] });
    t2.h.ks.db(0).set('b', '2');
    expect(await t2.p.shutdown({})).toBeNull();
    expect(existsSync(join(t2.dir, 'dump.rdb'))).toBe(false);
    expect(await t2.p.shutdown({ save: true })).toBeNull();
    expect(existsSync(join(t2.dir, 'dump.rdb'))).toBe(true);
    const t3 = harness({ savePoints: [{ seconds: 1, changes: 1 }], dbfilename: 'missing/dir/dump.rdb' });
    expect(await t3.p.shutdown({})).toBe('ERR Errors trying to SHUTDOWN. Check logs.');
    expect(await t3.p.shutdown({ force: true })).toBeNull();
  });

  it('DEBUG RELOAD saves and reloads the same dataset', () => {
    const t = harness();
    const data = fixtureRdb('types-small');
    writeFileSync(join(t.dir, 'dump.rdb'), data);
    t.p.loadAtStartup({ apply: () => undefined });
    const before = canonicalFromMaps(t.h.ks.dbs);
    const dict = t.h.ks.db(0).dict;
    expect(t.p.debugReload()).toBeNull();
    expect(t.h.ks.db(0).dict).not.toBe(dict);
    expect(canonicalFromMaps(t.h.ks.dbs)).toEqual(before);
    // NOSAVE reloads the file as it is: a key added since is gone; MERGE keeps it
    t.h.ks.db(0).set('extra', 'x');
    expect(t.p.debugReload({ nosave: true, merge: true })).toBeNull();
    expect(t.h.ks.db(0).dict.get('extra')).toBe('x');
    expect(t.p.debugReload({ nosave: true })).toBeNull();
    expect(t.h.ks.db(0).dict.has('extra')).toBe(false);
    expect(canonicalFromMaps(t.h.ks.dbs)).toEqual(before);
    writeFileSync(join(t.dir, 'dump.rdb'), data.subarray(0, 100));
    expect(t.p.debugReload({ nosave: true })).toBe('ERR Error trying to load the RDB dump');
    expect(canonicalFromMaps(t.h.ks.dbs)).toEqual(before);
  });
});

describe('INFO persistence', () => {
  it('has the 7.0.15 fields in order, AOF fields only when enabled', () => {
    const t = harness();
    const fixture = readFileSync('test/fixtures/redis-7.0.15/info/master-info.txt', 'latin1');
    const section = /# Persistence\r\n([\s\S]*?)\r\n\r\n/.exec(fixture)![1]!;
    const names = (s: string): string[] => s.split('\r\n').filter((l) => l.includes(':')).map((l) => l.split(':')[0]!);
    const ours = t.p.infoSection();
    expect(ours.startsWith('# Persistence\r\n')).toBe(true);
    expect(names(ours)).toEqual(names(section));
  });
});
