import { describe, expect, it } from 'vitest';
import { applyConfigLines, configGet, defineConfigTable, parseConfigText, prepareConfigSet } from '../../../../src/common/config/index.js';
import { managedFromTable } from '../../../../src/common/config/rewrite.js';
import { DEFAULT_PERSISTENCE_CONFIG } from '../../../../src/node/persistence/config.js';
import { persistenceDirectives, type HasPersistence } from '../../../../src/node/persistence/directives.js';

const table = defineConfigTable<HasPersistence>(persistenceDirectives<HasPersistence>());
const defaults = (): HasPersistence => ({ persistence: structuredClone(DEFAULT_PERSISTENCE_CONFIG) });
const load = (text: string) => applyConfigLines(table, parseConfigText(text, 'redis.conf').lines, defaults());
const messages = (text: string): string[] => load(text).errors.map((i: { message: string }) => i.message);

describe('persistence directives (observed on redis-server 7.0.15)', () => {
  it('save: the first line replaces the defaults, later lines add, "" clears, several pairs per line', () => {
    expect(load('save 900 1\nsave 300 10\n').config.persistence.savePoints).toEqual([
      { seconds: 900, changes: 1 },
      { seconds: 300, changes: 10 },
    ]);
    expect(load('save 900 1 300 10\n').config.persistence.savePoints).toHaveLength(2);
    expect(load('save ""\n').config.persistence.savePoints).toEqual([]);
    expect(load('').config.persistence.savePoints).toHaveLength(3);
    expect(messages('save 1\n')).toEqual(['Invalid save parameters']);
    expect(messages('save 1 a\n')).toEqual(['Invalid save parameters']);
  });

  it('rejects what redis-server rejects, with its texts', () => {
    expect(messages('appendfilename a/b\n')).toEqual(["appendfilename can't be a path, just a filename"]);
    expect(messages('appenddirname x/y\n')).toEqual(["appenddirname can't be a path, just a dirname"]);
    expect(messages("appendfilename ''\n")).toEqual(["appendfilename can't be empty"]);
    expect(messages('dbfilename a/b\n')).toEqual(["dbfilename can't be a path, just a filename"]);
    expect(messages('appendfsync bad\n')).toEqual(['argument(s) must be one of the following: everysec, always, no']);
    expect(messages('auto-aof-rewrite-percentage -1\n')).toEqual(['argument must be between 0 and 2147483647 inclusive']);
    expect(messages('rdbcompression maybe\n')).toEqual(["argument must be 'yes' or 'no'"]);
  });

  it('accepts the persistence lines of a stock redis.conf', () => {
    const stock = [
      'save 3600 1 300 100 60 10000',
      'stop-writes-on-bgsave-error yes',
      'rdbcompression yes',
      'rdbchecksum yes',
      'dbfilename dump.rdb',
      'rdb-del-sync-files no',
      'appendonly no',
      'appendfilename "appendonly.aof"',
      'appenddirname "appendonlydir"',
      'appendfsync everysec',
      'no-appendfsync-on-rewrite no',
      'auto-aof-rewrite-percentage 100',
      'auto-aof-rewrite-min-size 64mb',
      'aof-load-truncated yes',
      'aof-use-rdb-preamble yes',
      'aof-timestamp-enabled no',
      'rdb-save-incremental-fsync yes',
      'aof-rewrite-incremental-fsync yes',
    ].join('\n');
    const r = load(stock);
    expect(r.errors).toEqual([]);
    expect(r.config.persistence).toEqual(DEFAULT_PERSISTENCE_CONFIG);
  });

  it('CONFIG GET / SET as redis-server', () => {
    const cfg = defaults();
    expect(configGet(table, cfg, ['save'])).toEqual([['save', '3600 1 300 100 60 10000']]);
    expect(configGet(table, cfg, ['auto-aof-rewrite-min-size'])).toEqual([['auto-aof-rewrite-min-size', '67108864']]);
    const bad = prepareConfigSet(table, cfg, [['save', '100']]);
    expect(bad.ok).toBe(false);
    expect(bad.ok === false && bad.error).toMatchObject({ kind: 'invalid', name: 'save', reason: 'Invalid save parameters' });
    const prot = prepareConfigSet(table, cfg, [['dbfilename', 'x.rdb']]);
    expect(prot.ok === false && prot.error).toMatchObject({ reason: "can't set protected config" });
    expect(prepareConfigSet(table, cfg, [['appendfilename', 'a.aof']]).ok).toBe(false);
    const ok = prepareConfigSet(table, cfg, [['save', '3600 1 300 100'], ['appendfsync', 'ALWAYS']]);
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.config.persistence.savePoints).toHaveLength(2);
      expect(ok.config.persistence.appendfsync).toBe('always');
    }
    const clear = prepareConfigSet(table, cfg, [['save', '']]);
    expect(clear.ok && clear.config.persistence.savePoints).toEqual([]);
  });

  it('CONFIG REWRITE: one line per save point, `save ""` when none', () => {
    const cfg = defaults();
    cfg.persistence.savePoints = [
      { seconds: 3600, changes: 1 },
      { seconds: 300, changes: 100 },
    ];
    expect(managedFromTable(table, cfg).find((m) => m.key === 'save')).toEqual({ key: 'save', lines: ['save 3600 1', 'save 300 100'], force: true });
    cfg.persistence.savePoints = [];
    expect(managedFromTable(table, cfg).find((m) => m.key === 'save')?.lines).toEqual(['save ""']);
  });
});
