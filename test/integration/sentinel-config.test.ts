/**
 * sentinel.conf loading as the daemon does it: the shipped example, Redis's own grammar (server directives,
 * data-node directives ignored), errors with file and line, the writable-file rule, and persistence.
 */
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/common/random.js';
import { loadSentinel, SentinelConfigError } from '../../src/sentinel/config/load.js';
import { rewriteSentinelConfigText } from '../../src/sentinel/config/rewrite.js';
import { allocPort } from '../helpers/ports.js';
import { has, startRedisSentinel, stopAll, tempDir } from '../helpers/processes.js';

const opts = { now: 0, random: seededRandom(9), resolve: async (h: string) => (h === 'redis-0.test' ? '10.1.2.3' : null) };

describe('sentinel.conf loading', () => {
  const cleanups: (() => void)[] = [];
  afterEach(async () => {
    for (const f of cleanups.splice(0)) f();
    await stopAll();
  });
  const tmp = (): string => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    return t.dir;
  };

  it('the shipped conf/sentinel.conf loads', async () => {
    const dir = tmp();
    const file = join(dir, 'sentinel.conf');
    copyFileSync('conf/sentinel.conf', file);
    const l = await loadSentinel({ file }, opts);
    expect([...l.core.state.masters.keys()]).toEqual(['mymaster']);
    expect(l.config.server.port).toBe(26379);
    expect(l.generatedId).toBe(true);
  });

  it.skipIf(!has('redis-sentinel'))('the shipped conf/sentinel.conf is also accepted by redis-sentinel 7.0.15', async () => {
    if (!has('redis-sentinel')) console.warn('[skip] redis-sentinel not installed');
    const dir = tmp();
    const port = allocPort();
    const body = readFileSync('conf/sentinel.conf', 'latin1').replace(/^port 26379$/m, '').replace(/^dir \/tmp$/m, '');
    const p = await startRedisSentinel(port, dir, body.split('\n'));
    expect(p.output()).not.toMatch(/FATAL CONFIG FILE ERROR/);
  });

  it('server directives, data-node directives (ignored) and sentinel lines in any order', async () => {
    const dir = tmp();
    const file = join(dir, 's.conf');
    writeFileSync(
      file,
      [
        'sentinel known-replica m 10.0.0.2 6379',
        'port 26400',
        'bind 127.0.0.1 ::1',
        'repl-diskless-sync-delay 0',
        'enable-debug-command yes',
        'maxmemory 1gb',
        'requirepass pw',
        'user default on nopass ~* &* +@all',
        'protected-mode no',
        'SENTINEL monitor m 10.0.0.1 6379 2',
        'sentinel resolve-hostnames yes',
        'sentinel monitor h redis-0.test 6379 1',
        '',
      ].join('\n'),
    );
    const l = await loadSentinel({ file }, opts);
    expect(l.config.server.port).toBe(26400);
    expect(l.config.server.bind).toEqual(['127.0.0.1', '::1']);
    expect(l.config.ignored.map((i) => i.name)).toEqual(['repl-diskless-sync-delay', 'enable-debug-command', 'maxmemory']);
    expect(l.core.state.config.requirePass).toBe('pw');
    expect(l.core.state.masters.get('m')!.replicas.size).toBe(1);
    expect(l.core.state.masters.get('h')!.addr).toEqual({ host: 'redis-0.test', ip: '10.1.2.3', port: 6379 });
  });

  it.each([
    ['bogus-directive yes', 3, 'Bad directive or wrong number of arguments'],
    ['sentinel bogus', 3, 'Unrecognized sentinel configuration statement.'],
    ['sentinel down-after-milliseconds other 10', 3, 'No such master with specified name.'],
    ['port 99999', 3, 'argument must be between 0 and 65535 inclusive'],
  ])('%s → file:line and the reference text', async (line, lineNo, msg) => {
    const dir = tmp();
    const file = join(dir, 's.conf');
    writeFileSync(file, ['port 26379', 'sentinel monitor m 10.0.0.1 6379 2', line, ''].join('\n'));
    const e = await loadSentinel({ file, fileDisplay: 's.conf' }, opts).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SentinelConfigError);
    const ce = e as SentinelConfigError;
    expect(ce.report).toContain(`s.conf:${lineNo}: ${msg}`);
    expect(ce.report).toContain(`>>> '${line}'`);
  });

  it('refuses a missing config file', async () => {
    const dir = tmp();
    const e = await loadSentinel({ file: join(dir, 'nope.conf') }, opts).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SentinelConfigError);
    expect((e as SentinelConfigError).report).toMatch(/is not writable: No such file or directory\. Exiting\.\.\./);
  });

  it('refuses a read-only config file (when not running as root)', async () => {
    if (process.getuid?.() === 0) {
      console.warn('[skip] running as root: access(W_OK) succeeds on read-only files');
      return;
    }
    const dir = tmp();
    const file = join(dir, 'ro.conf');
    writeFileSync(file, 'sentinel monitor m 10.0.0.1 6379 2\n');
    chmodSync(file, 0o444);
    const e = await loadSentinel({ file }, opts).catch((x: unknown) => x);
    expect((e as SentinelConfigError).report).toMatch(/is not writable: Permission denied/);
  });

  it('state lines are rewritten into the file and read back identically', async () => {
    const dir = tmp();
    const file = join(dir, 's.conf');
    writeFileSync(file, '# mine\nport 26379\nsentinel monitor m 10.0.0.1 6379 2\n');
    const l = await loadSentinel({ file }, opts);
    const text = rewriteSentinelConfigText(readFileSync(file, 'latin1'), l.core.state);
    writeFileSync(file, text);
    expect(text.startsWith('# mine\nport 26379\nsentinel monitor m 10.0.0.1 6379 2\n')).toBe(true);
    expect(text).toContain(`sentinel myid ${l.core.state.myid}`);
    const again = await loadSentinel({ file }, opts);
    expect(again.core.state.myid).toBe(l.core.state.myid);
    expect(again.generatedId).toBe(false);
  });
});

describe('check-config target', () => {
  it('reports sentinel-level errors with file and line, and passes a good file', async () => {
    const { sentinelCheckTarget } = await import('../../src/sentinel/config/check.js');
    const { checkConfigFile } = await import('../../src/cli/commands/check-config.js');
    const t = tempDir();
    try {
      const good = join(t.dir, 'good.conf');
      writeFileSync(good, 'port 26379\nsentinel monitor m 10.0.0.1 6379 2\nsentinel down-after-milliseconds m 5000\n');
      expect(checkConfigFile(good, sentinelCheckTarget())).toEqual([]);
      const bad = join(t.dir, 'bad.conf');
      writeFileSync(bad, 'port 26379\nsentinel down-after-milliseconds m 5000\nsentinel monitor x 10.0.0.1 6379 2\n');
      const issues = checkConfigFile(bad, sentinelCheckTarget());
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ line: 2, message: 'No such master with specified name.', text: 'sentinel down-after-milliseconds m 5000' });
    } finally {
      t.cleanup();
    }
  });
});
