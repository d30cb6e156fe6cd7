/**
 * The pidfile (server.c createPidFile): written whole in one step, so a reader never finds it created but empty,
 * with nothing left beside it; a failure comes back as text for the start-up warning instead of throwing.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removePidfile, writePidfile } from '../../../src/node/daemon.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'tredis-pidfile-'));
  dirs.push(d);
  return d;
}

describe('pidfile', () => {
  it('holds the pid and a newline, replaces an old one, and leaves no temp file', () => {
    const d = dir();
    const path = join(d, 'tredis.pid');
    expect(writePidfile(path)).toBeNull();
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    expect(writePidfile(path)).toBeNull();
    expect(readdirSync(d)).toEqual(['tredis.pid']);
    removePidfile(path);
    expect(readdirSync(d)).toEqual([]);
  });

  it('a directory that does not exist is reported, not thrown', () => {
    const err = writePidfile(join(dir(), 'missing', 'tredis.pid'));
    expect(err).toMatch(/ENOENT|no such file/i);
  });
});
