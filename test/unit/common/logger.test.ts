import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/clock.js';
import { configSet, defineConfigTable } from '../../../src/common/config/index.js';
import { checkLogFile, DEFAULT_LOGGING, loggingDirectives, type LoggingSettings } from '../../../src/common/logger-config.js';
import { formatLogTime } from '../../../src/common/logger-format.js';
import { createLogger, installReopenOnSighup, type CreateLoggerOptions } from '../../../src/common/logger.js';

const T = Date.UTC(2026, 10, 21, 9, 24, 49, 95); // 21 Nov 2026 09:24:49.095 UTC

function capture(opts: Partial<CreateLoggerOptions> = {}) {
  const lines: string[] = [];
  const handle = createLogger({
    role: 'sentinel',
    pid: 1,
    clock: new ManualClock(T),
    timeZone: 'utc',
    sink: { write: (l) => lines.push(l) },
    ...opts,
  });
  return { ...handle, lines };
}

describe('legacy format (Redis log lines)', () => {
  it('prints pid:role date level msg exactly like serverLogRaw', () => {
    const { logger, lines } = capture({ format: 'legacy' });
    logger.warn('+sdown master mymaster 127.0.0.1 6379');
    logger.info({ event: '+slave' }, '+slave slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379');
    expect(lines).toEqual([
      '1:X 21 Nov 2026 09:24:49.095 # +sdown master mymaster 127.0.0.1 6379\n',
      '1:X 21 Nov 2026 09:24:49.095 * +slave slave 10.0.0.2:6379 10.0.0.2 6379 @ mymaster 10.0.0.1 6379\n',
    ]);
  });

  it('maps Redis levels and filters by loglevel', () => {
    const { logger, lines, setLevel } = capture({ format: 'legacy', level: 'notice' });
    logger.trace('d');
    logger.debug('v');
    logger.info('n');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((l) => l.slice(29))).toEqual(['* n\n', '# w\n', '# e\n']);
    lines.length = 0;
    setLevel('debug');
    logger.trace('d');
    logger.debug('v');
    expect(lines.map((l) => l.slice(29))).toEqual(['. d\n', '- v\n']);
    lines.length = 0;
    setLevel('nothing');
    logger.error('e');
    expect(lines).toEqual([]);
  });

  it('follows role changes at runtime, in child loggers too (replica promoted to master)', () => {
    const { logger, lines, setRole } = capture({ format: 'legacy', role: 'replica', pid: 4242 });
    const child = logger.child({ link: 'master' });
    child.info('MASTER <-> REPLICA sync: Finished with success');
    setRole('master');
    child.info('Setting secondary replication ID');
    expect(lines.map((l) => l.slice(0, 7))).toEqual(['4242:S ', '4242:M ']);
  });

  it('uses local time by default, like Redis', () => {
    expect(formatLogTime(T, 'local')).toBe(
      `${String(new Date(T).getDate()).padStart(2, '0')} Nov 2026 ${String(new Date(T).getHours()).padStart(2, '0')}:${String(new Date(T).getMinutes()).padStart(2, '0')}:49.095`,
    );
    expect(formatLogTime(Date.UTC(2026, 0, 5, 3, 4, 5, 6), 'utc')).toBe('05 Jan 2026 03:04:05.006');
  });

  it('appends an error message when one is logged', () => {
    const { logger, lines } = capture({ format: 'legacy' });
    logger.warn({ err: new Error('ECONNREFUSED') }, 'Error condition on socket for SYNC');
    logger.warn(new Error('bare'));
    expect(lines.map((l) => l.slice(31))).toEqual(['Error condition on socket for SYNC: ECONNREFUSED\n', 'bare\n']);
  });
});

describe('logfmt format (Valkey)', () => {
  it('prints Valkey fields and filters quotes and newlines', () => {
    const { logger, lines } = capture({ format: 'logfmt', level: 'debug' });
    logger.warn('+switch-master mymaster 10.0.0.1 6379 10.0.0.2 6379');
    logger.debug('said "hi"\nthere');
    logger.trace('dbg');
    expect(lines).toEqual([
      'pid=1 role=sentinel timestamp="21 Nov 2026 09:24:49.095" level=warning message="+switch-master mymaster 10.0.0.1 6379 10.0.0.2 6379"\n',
      `pid=1 role=sentinel timestamp="21 Nov 2026 09:24:49.095" level=info message="said 'hi' there"\n`,
      'pid=1 role=sentinel timestamp="21 Nov 2026 09:24:49.095" level=debug message="dbg"\n',
    ]);
  });

  it('names roles the Valkey way', () => {
    const { logger, lines, setRole } = capture({ format: 'logfmt', role: 'master' });
    logger.info('a');
    setRole('child');
    logger.info('b');
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['role=primary', 'role=RDB/AOF']);
  });
});

describe('json format', () => {
  it('keeps the Redis text in msg and structure alongside', () => {
    const { logger, lines } = capture({ format: 'json', bindings: { sentinelId: 'abcd' } });
    logger.child({ master: 'mymaster' }).warn({ event: '+odown', quorum: '2/2' }, '+odown master mymaster 10.0.0.1 6379 #quorum 2/2');
    expect(lines).toHaveLength(1);
    const o = JSON.parse(lines[0]!);
    expect(o).toMatchObject({
      level: 40,
      time: '2026-11-21T09:24:49.095Z',
      pid: 1,
      role: 'sentinel',
      sentinelId: 'abcd',
      master: 'mymaster',
      event: '+odown',
      msg: '+odown master mymaster 10.0.0.1 6379 #quorum 2/2',
    });
    expect(typeof o.hostname).toBe('string');
  });

  it('redacts secrets wherever they appear', () => {
    const { logger, lines } = capture({ format: 'json', redact: ['token'] });
    logger.info(
      {
        requirepass: 'a',
        password: 'b',
        token: 'x',
        config: { 'auth-pass': 'c', masterauth: 'd', 'sentinel-pass': 'e', users: { password: 'f' } },
        'sentinel-pass': 'g',
      },
      'config loaded',
    );
    const text = lines[0]!;
    for (const secret of ['"a"', '"b"', '"c"', '"d"', '"e"', '"f"', '"g"', '"x"']) expect(text).not.toContain(secret);
    expect(JSON.parse(text).config['auth-pass']).toBe('******');
  });

  it('auto picks pretty on a TTY and json otherwise', () => {
    expect(capture({ isTTY: true }).format).toBe('pretty');
    expect(capture({ isTTY: false }).format).toBe('json');
  });
});

describe('pretty format', () => {
  it('prints a human line with the message and level, without pid/hostname', () => {
    const { logger, lines } = capture({ format: 'pretty', isTTY: false });
    logger.warn('+sdown master mymaster 127.0.0.1 6379');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('WARN');
    expect(lines[0]).toContain('+sdown master mymaster 127.0.0.1 6379');
    expect(lines[0]).not.toContain('hostname');
    expect(lines[0]).not.toMatch(/\x1b\[/); // no colour when not a TTY
  });
});

describe('odd input never throws', () => {
  for (const format of ['json', 'legacy', 'logfmt', 'pretty'] as const) {
    it(`${format}: byte strings, circular objects, bigint, undefined`, () => {
      const { logger, lines } = capture({ format, level: 'debug' });
      const circular: Record<string, unknown> = { a: 1 };
      circular['self'] = circular;
      expect(() => {
        logger.info('key \xff\xfe\x00 bytes \ud800 lone surrogate');
        logger.info({ circular, n: 10n, s: Symbol('x'), f: () => 1 }, 'objects');
        logger.info(undefined as unknown as string);
        logger.info({ msg: 42 } as unknown as string);
        logger.warn(new Error('boom'));
      }).not.toThrow();
      expect(lines.length).toBe(5);
      expect(lines[0]).toContain('bytes');
    });
  }
});

describe('log files', () => {
  let dir = '';
  afterEach(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
    dir = '';
  });

  it('appends to the file and reopens it after logrotate (SIGHUP)', () => {
    dir = mkdtempSync(join(tmpdir(), 'tsentinel-log-'));
    const file = join(dir, 'sentinel.log');
    const h = createLogger({ role: 'sentinel', pid: 7, format: 'legacy', logfile: file, clock: new ManualClock(T), timeZone: 'utc' });
    const uninstall = installReopenOnSighup(h);
    try {
      h.logger.warn('first');
      renameSync(file, `${file}.1`); // logrotate moves the file
      h.logger.warn('second'); // still goes to the moved file until reopened
      process.emit('SIGHUP', 'SIGHUP');
      h.logger.warn('third');
    } finally {
      uninstall();
      h.close();
    }
    expect(readFileSync(`${file}.1`, 'utf8')).toBe(
      '7:X 21 Nov 2026 09:24:49.095 # first\n7:X 21 Nov 2026 09:24:49.095 # second\n',
    );
    expect(readFileSync(file, 'utf8')).toBe('7:X 21 Nov 2026 09:24:49.095 # third\n');
  });

  it('reports write failures to onError instead of throwing', () => {
    dir = mkdtempSync(join(tmpdir(), 'tsentinel-log-'));
    const sub = join(dir, 'logs');
    mkdirSync(sub);
    const file = join(sub, 'x.log');
    const errors: Error[] = [];
    const h = createLogger({ role: 'master', format: 'json', logfile: file, onError: (e) => errors.push(e) });
    h.logger.info('ok');
    rmSync(sub, { recursive: true, force: true });
    expect(() => {
      h.reopen(); // ENOENT: the directory is gone
      h.logger.info('lost');
    }).not.toThrow();
    expect(errors.length).toBeGreaterThan(0);
    h.close();
  });

  it('checkLogFile mirrors config.c', () => {
    expect(checkLogFile('')).toBeUndefined();
    expect(checkLogFile('/nonexistent-dir/x.log')).toBe("Can't open the log file: No such file or directory");
  });
});

describe('logging directives', () => {
  it('load and CONFIG SET loglevel, calling the apply hook', async () => {
    interface C {
      logging: LoggingSettings;
    }
    const applied: string[] = [];
    const table = defineConfigTable<C>(
      loggingDirectives<C>({
        applyLevel: (c) => {
          applied.push(c.logging.loglevel);
          return undefined;
        },
      }),
    );
    const base: C = { logging: { ...DEFAULT_LOGGING } };
    const r = await configSet(table, base, [['loglevel', 'VERBOSE']]);
    expect(r.ok && r.config.logging.loglevel).toBe('verbose');
    expect(applied).toEqual(['verbose']);
    const imm = await configSet(table, base, [['logfile', '/tmp/x']]);
    expect(imm.ok).toBe(false);
  });

  it("loglevel takes Redis 7.0's values; 7.2's `nothing` only when the daemon opts in", async () => {
    interface C {
      logging: LoggingSettings;
    }
    const base: C = { logging: { ...DEFAULT_LOGGING } };
    const strict = await configSet(defineConfigTable<C>(loggingDirectives<C>()), base, [['loglevel', 'nothing']]);
    expect(strict).toEqual({
      ok: false,
      error: { kind: 'invalid', name: 'loglevel', reason: 'argument(s) must be one of the following: debug, verbose, notice, warning' },
    });
    const opted = await configSet(defineConfigTable<C>(loggingDirectives<C>({ allowNothing: true })), base, [['loglevel', 'NOTHING']]);
    expect(opted.ok && opted.config.logging.loglevel).toBe('nothing');
  });
});
