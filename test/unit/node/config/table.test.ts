import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configGet, configSet, configSetErrorReply, loadConfig } from '../../../../src/common/config/index.js';
import { defaultNodeConfig } from '../../../../src/node/config/node-config.js';
import { nodeConfigTable } from '../../../../src/node/config/table.js';

function load(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tredis-conf-'));
  const file = join(dir, 'node.conf');
  writeFileSync(file, text);
  try {
    return loadConfig(nodeConfigTable(), defaultNodeConfig(), { file });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('tredis config table', () => {
  it('loads the redis.conf that ships with Redis 7.0 (every directive known)', () => {
    const path = '/etc/redis/redis.conf';
    if (!existsSync(path)) {
      console.warn('[skip] /etc/redis/redis.conf not present');
      return;
    }
    const r = loadConfig(nodeConfigTable(), defaultNodeConfig(), { file: path });
    expect(r.errors).toEqual([]);
  });

  it('loads the example conf/node.conf shipped with tredis', () => {
    const r = loadConfig(nodeConfigTable(), defaultNodeConfig(), { file: 'conf/node.conf' });
    expect(r.errors).toEqual([]);
    expect(r.config.server.port).toBe(6379);
    expect(r.config.persistence.savePoints.length).toBe(3);
  });

  it('maps the seed directives onto the right parts', () => {
    const r = load(
      [
        'port 7000',
        'bind 127.0.0.1 ::1',
        'daemonize yes',
        'pidfile /tmp/x.pid',
        'loglevel warning',
        'logfile ""',
        'dir /var/lib/tredis',
        'dbfilename node.rdb',
        'save 900 1',
        'save 60 100',
        'rdbcompression no',
        'rdbchecksum no',
        'appendonly yes',
        'appendfilename "a.aof"',
        'appendfsync always',
        'databases 4',
        'protected-mode no',
        'requirepass s3cret',
        'masterauth m',
        'masteruser u',
        'replicaof 10.0.0.1 6380',
        'repl-backlog-size 2mb',
        'replica-read-only no',
        'replica-serve-stale-data no',
        'repl-ping-replica-period 5',
        'maxclients 100',
        'timeout 30',
        'min-replicas-to-write 1',
        'min-replicas-max-lag 5',
        'replica-priority 0',
        'maxmemory 100mb',
        'maxmemory-policy allkeys-lru',
        'hash-max-ziplist-entries 64',
        'client-output-buffer-limit replica 128mb 32mb 30',
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    const c = r.config;
    expect(c.server.port).toBe(7000);
    expect(c.server.bind).toEqual(['127.0.0.1', '::1']);
    expect(c.node.daemonize).toBe(true);
    expect(c.node.pidfile).toBe('/tmp/x.pid');
    expect(c.logging.loglevel).toBe('warning');
    expect(c.persistence.dir).toBe('/var/lib/tredis');
    expect(c.persistence.dbfilename).toBe('node.rdb');
    expect(c.persistence.savePoints.length).toBe(2);
    expect(c.persistence.appendonly).toBe(true);
    expect(c.persistence.appendfsync).toBe('always');
    expect(c.node.databases).toBe(4);
    expect(c.server.protectedMode).toBe(false);
    expect(c.server.requirepass).toBe('s3cret');
    expect(c.replication.replicaof).toEqual({ host: '10.0.0.1', port: 6380 });
    expect(c.replication.replBacklogSize).toBe(2 * 1024 * 1024);
    expect(c.replication.replicaReadOnly).toBe(false);
    expect(c.replication.replicaPriority).toBe(0);
    expect(c.server.maxclients).toBe(100);
    expect(c.node.maxmemory).toBe(100 * 1024 * 1024);
    expect(c.node.maxmemoryPolicy).toBe('allkeys-lru');
    expect(c.node.hashMaxListpackEntries).toBe(64);
    expect(c.server.clientOutputBufferLimit.replica).toEqual({ hardBytes: 128 * 1024 * 1024, softBytes: 32 * 1024 * 1024, softSeconds: 30 });
  });

  it('rejects unknown directives and bad values naming file and line', () => {
    const r = load('port 7000\nreplcaof 127.0.0.1 6379\nmaxmemory-policy sometimes\n');
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'Bad directive or wrong number of arguments'],
      [3, 'argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction'],
    ]);
    expect(r.errors[0]!.file).toMatch(/node\.conf$/);
  });

  it('enum texts are 7.0.15\'s and loglevel has no `nothing` (7.2), on load and CONFIG SET alike', async () => {
    const r = load('loglevel nothing\nappendfsync sometimes\n');
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [1, 'argument(s) must be one of the following: debug, verbose, notice, warning'],
      [2, 'argument(s) must be one of the following: everysec, always, no'],
    ]);
    const set = await configSet(nodeConfigTable(), defaultNodeConfig(), [['loglevel', 'nothing']]);
    expect(set.ok ? 'accepted' : configSetErrorReply(set.error)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning",
    );
  });

  it('CONFIG GET shows Redis defaults; CONFIG SET follows mutability', async () => {
    const t = nodeConfigTable();
    const c = defaultNodeConfig();
    expect(configGet(t, c, ['maxmemory-policy', 'hash-max-listpack-entries', 'appendonly', 'lua-time-limit'])).toEqual([
      ['maxmemory-policy', 'noeviction'],
      ['hash-max-listpack-entries', '512'],
      ['appendonly', 'no'],
      ['lua-time-limit', '5000'],
    ]);
    const ok = await configSet(t, c, [['maxmemory', '10mb'], ['timeout', '5']]);
    expect(ok.ok).toBe(true);
    if (ok.ok) expect([ok.config.node.maxmemory, ok.config.server.timeout]).toEqual([10 * 1024 * 1024, 5]);
    const bad = await configSet(t, c, [['databases', '3']]);
    expect(bad.ok).toBe(false);
  });
});
