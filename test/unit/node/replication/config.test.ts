import { describe, expect, it } from 'vitest';
import { applyConfigLines, configGet, defineConfigTable, parseConfigText, prepareConfigSet } from '../../../../src/common/config/index.js';
import { managedFromTable } from '../../../../src/common/config/rewrite.js';
import { DEFAULT_REPLICATION_CONFIG, replicationDirectives, type HasReplication } from '../../../../src/node/replication/config.js';

const table = defineConfigTable<HasReplication>(replicationDirectives<HasReplication>());
const defaults = (): HasReplication => ({ replication: structuredClone(DEFAULT_REPLICATION_CONFIG) });

function load(text: string): ReturnType<typeof applyConfigLines<HasReplication>> {
  return applyConfigLines(table, parseConfigText(text, 'redis.conf').lines, defaults());
}

describe('replication directives', () => {
  it('loads replicaof/slaveof and the slave-* aliases', () => {
    const r = load('slaveof 10.0.0.1 6380\nslave-priority 7\nrepl-backlog-size 32mb\nmin-slaves-to-write 1\nreplica-announce-ip 1.2.3.4\n');
    expect(r.errors).toEqual([]);
    expect(r.config.replication.replicaof).toEqual({ host: '10.0.0.1', port: 6380 });
    expect(r.config.replication.replicaPriority).toBe(7);
    expect(r.config.replication.replBacklogSize).toBe(32 * 1024 * 1024);
    expect(r.config.replication.minReplicasToWrite).toBe(1);
    expect(r.config.replication.replicaAnnounceIp).toBe('1.2.3.4');
    expect(load('replicaof 10.0.0.1 6380\nreplicaof no one\n').config.replication.replicaof).toBeNull();
  });

  it('rejects a bad master port like redis-server', () => {
    expect(load('replicaof localhost 99999\n').errors.map((i: { message: string }) => i.message)).toContain('Invalid master port');
    expect(load('replicaof localhost 12ab\n').errors.map((i: { message: string }) => i.message)).toContain('Invalid master port');
  });

  it('CONFIG GET shows replicaof as "host port" (or empty) under both names, and it is immutable', () => {
    const cfg = defaults();
    expect(configGet(table, cfg, ['replicaof'])).toEqual([['replicaof', '']]);
    cfg.replication.replicaof = { host: '127.0.0.1', port: 9 };
    expect(configGet(table, cfg, ['slaveof'])).toEqual([['slaveof', '127.0.0.1 9']]);
    const set = prepareConfigSet(table, cfg, [['replicaof', '127.0.0.1 10']]);
    expect(set.ok).toBe(false);
    expect(configGet(table, cfg, ['shutdown-timeout', 'repl-backlog-size'])).toEqual(
      expect.arrayContaining([
        ['shutdown-timeout', '10'],
        ['repl-backlog-size', '1048576'],
      ]),
    );
  });

  it('CONFIG REWRITE writes the current master, and removes the line on a master', () => {
    const cfg = defaults();
    cfg.replication.replicaof = { host: '127.0.0.1', port: 6379 };
    const managed = managedFromTable(table, cfg);
    const m = managed.find((x) => x.key === 'replicaof');
    expect(m).toEqual({ key: 'replicaof', lines: ['replicaof 127.0.0.1 6379'], force: true });
    cfg.replication.replicaof = null;
    expect(managedFromTable(table, cfg).find((x) => x.key === 'replicaof')?.lines).toEqual([]);
  });
});
