import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileWriteError } from '../../../../src/common/atomic-write.js';
import {
  checkSentinelConfigFile,
  checkWritable,
  rewriteConfigFile,
  rewriteWithTable,
} from '../../../../src/common/config/index.js';
import { DEFAULTS, table } from './fixture-table.js';

const errno = (code: string) => () => {
  throw Object.assign(new Error(code), { code });
};

describe('checkSentinelConfigFile (sentinel.c sentinelCheckConfigFile)', () => {
  it('requires a config file', () => {
    expect(checkSentinelConfigFile(undefined, () => {})).toBe('Sentinel needs config file on disk to save state. Exiting...');
  });

  it('requires it to be writable, with strerror text', () => {
    expect(checkSentinelConfigFile('/etc/s.conf', errno('EACCES'))).toBe(
      'Sentinel config file /etc/s.conf is not writable: Permission denied. Exiting...',
    );
    expect(checkSentinelConfigFile('/etc/s.conf', errno('EROFS'))).toBe(
      'Sentinel config file /etc/s.conf is not writable: Read-only file system. Exiting...',
    );
    expect(checkSentinelConfigFile('/etc/s.conf', () => {})).toBeUndefined();
    expect(checkWritable('/nonexistent-dir/x.conf')).toBe('No such file or directory');
  });
});

describe('rewriteConfigFile', () => {
  let dir = '';
  afterEach(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  it('rewrites a real file in place, keeping comments, with no temp file left', () => {
    dir = mkdtempSync(join(tmpdir(), 'tsentinel-cf-'));
    const file = join(dir, 'node.conf');
    writeFileSync(file, '# my node\nport 6379\nsave ""\n');
    const cfg = { ...structuredClone(DEFAULTS), port: 7000, save: [] };
    const r = rewriteConfigFile(file, (old) => rewriteWithTable(table, cfg, old));
    expect(r.mode).toBe('rename');
    expect(readFileSync(file, 'utf8')).toBe('# my node\nport 7000\nsave ""\n\n');
    expect(readdirSync(dir)).toEqual(['node.conf']);
  });

  it('treats a missing file as empty (CONFIG REWRITE creates it)', () => {
    dir = mkdtempSync(join(tmpdir(), 'tsentinel-cf-'));
    const file = join(dir, 'new.conf');
    rewriteConfigFile(file, (old) => `${old}port 1\n`);
    expect(readFileSync(file, 'utf8')).toBe('port 1\n');
  });

  it('throws a FileWriteError when the old file cannot be read', () => {
    expect(() => rewriteConfigFile('/x/y.conf', () => '', { readText: errno('EACCES') })).toThrow(FileWriteError);
  });
});
