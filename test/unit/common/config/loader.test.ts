import { describe, expect, it } from 'vitest';
import {
  applyConfigLines,
  defineConfigTable,
  formatConfigReport,
  loadConfig,
  parseConfigText,
  type ConfigFs,
} from '../../../../src/common/config/index.js';
import { DEFAULTS, table, type TestConfig } from './fixture-table.js';

const ID = 'a'.repeat(40);

function load(text: string, file = 'node.conf') {
  const parsed = parseConfigText(text, file);
  expect(parsed.errors).toEqual([]);
  return applyConfigLines(table, parsed.lines, DEFAULTS);
}

describe('applyConfigLines', () => {
  it('applies typed values case-insensitively; later lines win', () => {
    const r = load('PORT 7000\nmaxmemory 100MB\nloglevel WARNING\nport 7001\nappendonly YES\nrequirepass ""\n');
    expect(r.errors).toEqual([]);
    expect(r.config).toMatchObject({ port: 7001, maxmemory: 100 * 1024 * 1024, loglevel: 'warning', appendonly: true });
    expect(r.config.requirepass).toBeNull();
  });

  it('never modifies the defaults object', () => {
    const before = structuredClone(DEFAULTS);
    load('port 1\nsave 10 1\nrename-command a b\n');
    expect(DEFAULTS).toEqual(before);
  });

  it('accepts aliases (slaveof → replicaof)', () => {
    expect(load('slaveof 10.0.0.1 6380\n').config.replicaof).toEqual({ host: '10.0.0.1', port: 6380 });
  });

  it('accumulates repeatable directives: the first save line drops the default schedule', () => {
    expect(load('save 900 1\nsave 300 10\n').config.save).toEqual([
      [900, 1],
      [300, 10],
    ]);
    expect(load('save ""\n').config.save).toEqual([]);
    expect(load('port 1\n').config.save).toEqual(DEFAULTS.save);
  });

  it('splits a single argument of a multi-arg directive (`--save "900 1"`, `--bind "a b"`)', () => {
    const r = load('save "900 1 60 5"\nbind "127.0.0.1 ::1"\n');
    expect(r.errors).toEqual([]);
    expect(r.config.save).toEqual([
      [900, 1],
      [60, 5],
    ]);
    expect(r.config.bind).toEqual(['127.0.0.1', '::1']);
  });

  it('collects every error with file, line, text and Redis message', () => {
    const r = load(
      [
        'port 7000',
        'replcaof 127.0.0.1 6379', // typo
        'port 70000',
        'port abc',
        'maxmemory 1x',
        'loglevel loud',
        'appendonly maybe',
        'port 1 2',
        'rename-command only-one',
        'rename-command nosuchcmd x',
        'save 0 1',
      ].join('\n'),
    );
    expect(r.errors.map((e) => [e.line, e.text, e.message])).toEqual([
      [2, 'replcaof 127.0.0.1 6379', 'Bad directive or wrong number of arguments'],
      [3, 'port 70000', 'argument must be between 0 and 65535 inclusive'],
      [4, 'port abc', "argument couldn't be parsed into an integer"],
      [5, 'maxmemory 1x', 'argument must be a memory value'],
      [6, 'loglevel loud', 'argument(s) must be one of the following: debug, verbose, notice, warning'],
      [7, 'appendonly maybe', "argument must be 'yes' or 'no'"],
      [8, 'port 1 2', 'wrong number of arguments'],
      [9, 'rename-command only-one', 'Bad directive or wrong number of arguments'],
      [10, 'rename-command nosuchcmd x', 'No such command in rename-command'],
      [11, 'save 0 1', 'Invalid save parameters'],
    ]);
    expect(r.errors.every((e) => e.file === 'node.conf')).toBe(true);
  });

  it('applies phases in order but reports errors in source order (sentinel load order)', () => {
    const r = load(
      [
        'sentinel down-after-milliseconds mymaster 5000',
        'sentinel known-slave mymaster 10.0.0.2 6379',
        'sentinel monitor mymaster 10.0.0.1 6379 2',
        'SENTINEL myid ' + ID,
        'sentinel down-after-milliseconds other 1000',
        'sentinel monitor bad 10.0.0.9 6379 0',
      ].join('\n'),
      'sentinel.conf',
    );
    expect(r.config.trace).toEqual(['myid', 'monitor mymaster', 'monitor bad', 'down-after mymaster', 'down-after other']);
    expect(r.config.masters[0]).toMatchObject({ name: 'mymaster', downAfter: 5000, knownReplicas: ['10.0.0.2:6379'] });
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [5, 'No such master with specified name.'],
      [6, 'Quorum must be 1 or greater.'],
    ]);
  });

  it('gives the family message for an unknown member or a wrong count; skips a bare `sentinel`', () => {
    const r = load('sentinel\nsentinel monitr m 1.2.3.4 6379 2\nsentinel monitor m 1.2.3.4 6379\nsentinel\n');
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'Unrecognized sentinel configuration statement.'],
      [3, 'Unrecognized sentinel configuration statement.'],
    ]);
  });

  it('turns a throwing setter into an error on its line instead of a crash', () => {
    const t = defineConfigTable<{ x: number }>([
      {
        name: 'boom',
        args: 0,
        set() {
          throw new Error('kaput');
        },
      },
    ]);
    const r = applyConfigLines(t, parseConfigText('boom\n', 'f').lines, { x: 0 });
    expect(r.errors).toEqual([{ file: 'f', line: 1, text: 'boom', message: 'kaput' }]);
  });
});

describe('defineConfigTable', () => {
  it('rejects duplicate or non-lowercase names at definition time', () => {
    const d = (name: string, aliases?: string[]) => ({ name, ...(aliases ? { aliases } : {}), args: 0, set: () => undefined });
    expect(() => defineConfigTable([d('a'), d('b', ['a'])])).toThrow(/duplicate name 'a'/);
    expect(() => defineConfigTable([d('Port')])).toThrow(/lowercase/);
  });

  it('computes rewrite keys for lines (alias → canonical, family → family member)', () => {
    expect(table.keyOf(['SLAVEOF', 'h', '1'])).toBe('replicaof');
    expect(table.keyOf(['sentinel', 'KNOWN-SLAVE', 'm', 'h', '1'])).toBe('sentinel known-replica m'); // rewriteKeyArgs: 1
    expect(table.keyOf(['SENTINEL', 'monitor', 'm', 'h', '1', '2'])).toBe('sentinel monitor');
    expect(table.keyOf(['sentinel'])).toBeUndefined();
    expect(table.keyOf(['nope'])).toBeUndefined();
  });
});

describe('loadConfig + formatConfigReport', () => {
  it('reports every problem from file, stdin and argv, Redis-style, without a stack trace', () => {
    const fs: ConfigFs = {
      readFile: (p) => {
        if (p === '/srv/conf/node.conf') return 'port 7000\n\nreplcaof 127.0.0.1 6379\nsave 1\n';
        throw Object.assign(new Error('x'), { code: 'ENOENT' });
      },
      realpath: (p) => p,
      readdir: () => [],
    };
    const r = loadConfig<TestConfig>(
      table,
      DEFAULTS,
      { file: '/srv/conf/node.conf', fileDisplay: 'conf/node.conf', stdin: 'loglevel nope\n', options: 'port "x"' },
      { fs },
    );
    expect(formatConfigReport('tredis 0.1.0', r.errors)).toBe(
      [
        '',
        '*** FATAL CONFIG FILE ERROR (tredis 0.1.0) ***',
        'conf/node.conf:3: Bad directive or wrong number of arguments',
        ">>> 'replcaof 127.0.0.1 6379'",
        'conf/node.conf:4: Invalid save parameters',
        ">>> 'save 1'",
        '(stdin):1: argument(s) must be one of the following: debug, verbose, notice, warning',
        ">>> 'loglevel nope'",
        "(command line):1: argument couldn't be parsed into an integer",
        `>>> 'port "x"'`,
        '',
      ].join('\n'),
    );
  });

  it('shows non-UTF-8 bytes and control characters safely', () => {
    const out = formatConfigReport('t', [{ file: 'f', line: 1, text: 'bad \xff\x1b[2J', message: 'm' }]);
    expect(out).toContain(">>> 'bad \ufffd\\x1b[2J'");
  });
});
