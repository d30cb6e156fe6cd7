import { describe, expect, it } from 'vitest';
import {
  flagsOf,
  formatAddress,
  intField,
  pairsToRecord,
  parseInfo,
  parseInfoCache,
  recordsOf,
  replicaLinesOf,
} from '../../../src/ops/sentinel-replies.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'redis-7.0.15', 'info');

describe('instance records', () => {
  it('reads the flat RESP2 array of SENTINEL MASTER, numbers as bulk strings', () => {
    const rec = pairsToRecord(['name', 'mymaster', 'ip', '127.0.0.1', 'port', '6379', 'flags', 'master,s_down', 'quorum', '2']);
    expect(rec).toEqual({ name: 'mymaster', ip: '127.0.0.1', port: '6379', flags: 'master,s_down', quorum: '2' });
    expect(intField(rec, 'port')).toBe(6379);
    expect(intField(rec, 'quorum')).toBe(2);
    expect(intField(rec, 'name')).toBeUndefined();
    expect(intField(rec, 'missing')).toBeUndefined();
    expect(flagsOf(rec)).toEqual(['master', 's_down']);
  });

  it('accepts a RESP3 map already turned into an object, and negative integers', () => {
    const rec = pairsToRecord({ name: 'm', 'master-link-down-time': '-1000', port: 7000 });
    expect(rec).toEqual({ name: 'm', 'master-link-down-time': '-1000', port: '7000' });
    expect(intField(rec, 'master-link-down-time')).toBe(-1000);
  });

  it('never throws on garbage', () => {
    expect(pairsToRecord(null)).toEqual({});
    expect(pairsToRecord('OK')).toEqual({});
    expect(pairsToRecord(['odd'])).toEqual({});
    expect(pairsToRecord([1, 'x', 'k', null])).toEqual({ k: '' });
    expect(recordsOf('nope')).toEqual([]);
    expect(recordsOf([['a', '1'], 'junk'])).toEqual([{ a: '1' }, {}]);
    expect(flagsOf({})).toEqual([]);
  });

  it('brackets IPv6 addresses', () => {
    expect(formatAddress('127.0.0.1', 6379)).toBe('127.0.0.1:6379');
    expect(formatAddress('::1', '6379')).toBe('[::1]:6379');
    expect(formatAddress('redis-1.example', 6379)).toBe('redis-1.example:6379');
  });
});

describe('INFO', () => {
  it('parses the captured Redis 7.0.15 master INFO replication with its replica lines', () => {
    const text = readFileSync(join(FIX, 'master-info-replication.txt'), 'latin1');
    const info = parseInfo(text);
    expect(info.get('role')).toBe('master');
    const lines = replicaLinesOf(info);
    expect(lines.length).toBe(Number(info.get('connected_slaves')));
    for (const l of lines) {
      expect(l.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(Number.isInteger(l.port)).toBe(true);
      expect(l.state).toBe('online');
      expect(Number.isFinite(l.offset)).toBe(true);
      expect(Number.isFinite(l.lagSeconds)).toBe(true);
    }
  });

  it('parses a replica INFO (LF or CRLF, headers skipped, values with colons kept whole)', () => {
    const info = parseInfo('# Replication\r\nrole:slave\r\nmaster_host:::1\r\nmaster_link_status:up\n\nslave_read_only:1');
    expect(info.get('role')).toBe('slave');
    expect(info.get('master_host')).toBe('::1');
    expect(info.get('slave_read_only')).toBe('1');
    expect(info.has('# Replication')).toBe(false);
    expect(replicaLinesOf(info)).toEqual([]);
  });

  it('reads SENTINEL INFO-CACHE (master entry first, null infos skipped)', () => {
    const reply = ['mymaster', [[120, '# Replication\r\nrole:master\r\nmaster_repl_offset:42\r\n'], [80, null]], 'other', []];
    const cache = parseInfoCache(reply);
    expect(cache.get('mymaster')).toEqual(['# Replication\r\nrole:master\r\nmaster_repl_offset:42\r\n']);
    expect(cache.get('other')).toEqual([]);
    expect(parseInfoCache(null).size).toBe(0);
  });
});
