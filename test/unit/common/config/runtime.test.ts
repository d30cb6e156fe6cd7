import { describe, expect, it } from 'vitest';
import {
  configGet,
  configSet,
  configSetErrorReply,
  defineConfigTable,
  intDirective,
  prepareConfigSet,
} from '../../../../src/common/config/index.js';
import { DEFAULTS, table } from './fixture-table.js';

describe('configGet (CONFIG GET)', () => {
  const cfg = { ...structuredClone(DEFAULTS), port: 7000, maxmemory: 1024 };

  it('looks up exact names case-insensitively and answers under the name as typed', () => {
    expect(configGet(table, cfg, ['PORT'])).toEqual([['PORT', '7000']]);
    expect(configGet(table, cfg, ['nosuch'])).toEqual([]);
  });

  it('matches globs case-insensitively over names and aliases, each once', () => {
    expect(configGet(table, cfg, ['*of'])).toEqual([
      ['replicaof', ''],
      ['slaveof', ''],
    ]);
    expect(configGet(table, cfg, ['MAX*', 'maxmemory', 'max?emory'])).toEqual([['maxmemory', '1024']]);
    expect(configGet(table, cfg, ['save', 'port'])).toEqual([
      ['save', '3600 1 300 100 60 10000'],
      ['port', '7000'],
    ]);
  });

  it('does not expose directives without a getter (rename-command, sentinel members)', () => {
    const names = configGet(table, cfg, ['*']).map(([k]) => k);
    expect(names).not.toContain('rename-command');
    expect(names).not.toContain('monitor');
    expect(names).toContain('requirepass');
    expect(configGet(table, cfg, ['rename-command'])).toEqual([]);
  });

  it('hides hidden parameters from patterns but not from exact names', () => {
    const t = defineConfigTable<{ v: number }>([
      intDirective({ name: 'secret-knob', hidden: true, min: 0, max: 9, default: 1, read: (c) => c.v, write: () => {} }),
    ]);
    expect(configGet(t, { v: 3 }, ['*'])).toEqual([]);
    expect(configGet(t, { v: 3 }, ['secret-knob'])).toEqual([['secret-knob', '3']]);
  });
});

describe('prepareConfigSet / configSet (CONFIG SET, Redis 7.0 all-or-nothing)', () => {
  it('sets several parameters at once on a copy', () => {
    const r = prepareConfigSet(table, DEFAULTS, [
      ['maxmemory', '100mb'],
      ['save', '3600 1 300 100'],
      ['LOGLEVEL', 'debug'],
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({ maxmemory: 100 * 1024 * 1024, loglevel: 'debug' });
    expect(r.config.save).toEqual([
      [3600, 1],
      [300, 100],
    ]);
    expect(r.changed).toEqual(['maxmemory', 'save', 'loglevel']);
    expect(DEFAULTS.maxmemory).toBe(0);
  });

  it('changes nothing when any value is invalid, naming the parameter like Redis', () => {
    const r = prepareConfigSet(table, DEFAULTS, [
      ['save', '1 1'],
      ['maxmemory', '1x'],
    ]);
    expect(r).toEqual({ ok: false, error: { kind: 'invalid', name: 'maxmemory', reason: 'argument must be a memory value' } });
    if (r.ok) return;
    expect(configSetErrorReply(r.error)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
    );
  });

  it('reports the first problem among unknown, immutable and duplicate names', () => {
    const reply = (pairs: Array<[string, string]>): string => {
      const r = prepareConfigSet(table, DEFAULTS, pairs);
      return r.ok ? 'OK' : configSetErrorReply(r.error);
    };
    expect(reply([['nosuch', '1'], ['daemonize', 'yes']])).toBe("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    expect(reply([['daemonize', 'yes'], ['nosuch', '1']])).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
    );
    expect(reply([['maxmemory', '5'], ['MAXMEMORY', '6']])).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'MAXMEMORY') - duplicate parameter",
    );
    expect(reply([['rename-command', 'a b']])).toBe("ERR Unknown option or number of arguments for CONFIG SET - 'rename-command'");
  });

  it('splits multi-arg values on single spaces only (double spaces are invalid, as in Redis)', () => {
    expect(prepareConfigSet(table, DEFAULTS, [['save', '3600  1']]).ok).toBe(false);
    const r = prepareConfigSet(table, DEFAULTS, [['save', '']]);
    expect(r.ok && r.config.save).toEqual([]);
  });

  it('treats an alias and its canonical name as different parameters (no duplicate error; last wins)', () => {
    const t = defineConfigTable<{ p: number }>([
      intDirective({
        name: 'replica-priority',
        aliases: ['slave-priority'],
        min: 0,
        max: 1000,
        default: 100,
        mutable: true,
        read: (c) => c.p,
        write: (c, v) => {
          c.p = v;
        },
      }),
    ]);
    const r = prepareConfigSet(t, { p: 100 }, [
      ['SLAVE-priority', '5'],
      ['replica-priority', '6'],
    ]);
    expect(r.ok && r.config.p).toBe(6);
    const bad = prepareConfigSet(t, { p: 100 }, [['Slave-Priority', 'x']]);
    expect(bad.ok || configSetErrorReply(bad.error)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'slave-priority') - argument couldn't be parsed into an integer",
    );
  });

  it('runs each apply function once, and rolls the system back when one fails', async () => {
    const log: string[] = [];
    let failPort = false;
    interface C {
      port: number;
      maxclients: number;
      hz: number;
    }
    const listen = (c: C): string | undefined => {
      log.push(`listen ${c.port}`);
      return failPort && c.port === 1 ? 'Unable to listen on this port. Check server logs.' : undefined;
    };
    const limits = (c: C): string | undefined => {
      log.push(`limits ${c.maxclients}/${c.hz}`);
      return undefined;
    };
    const t = defineConfigTable<C>([
      intDirective({ name: 'maxclients', min: 1, max: 100000, default: 10000, mutable: true, apply: limits, read: (c) => c.maxclients, write: (c, v) => void (c.maxclients = v) }),
      intDirective({ name: 'hz', min: 1, max: 500, default: 10, mutable: true, apply: limits, read: (c) => c.hz, write: (c, v) => void (c.hz = v) }),
      intDirective({ name: 'port', min: 0, max: 65535, default: 6379, mutable: true, apply: listen, read: (c) => c.port, write: (c, v) => void (c.port = v) }),
    ]);
    const current: C = { port: 6379, maxclients: 10000, hz: 10 };

    const ok = await configSet(t, current, [
      ['maxclients', '50'],
      ['hz', '20'],
      ['port', '6380'],
    ]);
    expect(ok.ok && ok.config).toEqual({ port: 6380, maxclients: 50, hz: 20 });
    expect(log).toEqual(['limits 50/20', 'listen 6380']);

    log.length = 0;
    const unchanged = await configSet(t, current, [['port', '6379']]);
    expect(unchanged.ok && unchanged.changed).toEqual([]);
    expect(log).toEqual([]);

    failPort = true;
    const failed = await configSet(t, current, [
      ['hz', '30'],
      ['port', '1'],
    ]);
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(configSetErrorReply(failed.error)).toBe(
      "ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. Check server logs.",
    );
    // applied the new values, then re-applied the old ones
    expect(log).toEqual(['limits 10000/30', 'listen 1', 'limits 10000/10', 'listen 6379']);
    expect(current).toEqual({ port: 6379, maxclients: 10000, hz: 10 });
  });
});
