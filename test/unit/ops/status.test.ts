/**
 * status-model + status-render over replies captured from a real Redis 7.0.15 sentinel (test/fixtures), served
 * through the one-method SentinelCall port.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../src/ops/events.js';
import { collectStatus, masterHealth, quorumCheckOf, type SentinelCall } from '../../../src/ops/status-model.js';
import { formatAge, formatBytes, renderStatus, statusToJson, table, terminalFrame } from '../../../src/ops/status-render.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'redis-7.0.15', 'info');

/** Minimal RESP2 reply reader for the captured .resp2.bin files. */
function decodeResp2(buf: Buffer): unknown {
  let at = 0;
  const line = (): string => {
    const end = buf.indexOf('\r\n', at);
    const s = buf.toString('latin1', at, end);
    at = end + 2;
    return s;
  };
  const read = (): unknown => {
    const head = line();
    const t = head[0];
    const rest = head.slice(1);
    if (t === '+') return rest;
    if (t === '-') return new Error(rest);
    if (t === ':') return Number(rest);
    if (t === '$') {
      const n = Number(rest);
      if (n < 0) return null;
      const s = buf.toString('latin1', at, at + n);
      at += n + 2;
      return s;
    }
    if (t === '*') {
      const n = Number(rest);
      return n < 0 ? null : Array.from({ length: n }, read);
    }
    throw new Error(`bad RESP type ${t}`);
  };
  return read();
}

const fixture = (name: string): unknown => decodeResp2(readFileSync(join(FIX, `${name}.resp2.bin`)));

function fixtureCall(overrides: Record<string, unknown> = {}): SentinelCall {
  return async (...args) => {
    const key = args.join(' ').toUpperCase();
    if (key in overrides) {
      const v = overrides[key];
      if (v instanceof Error) throw v;
      return v;
    }
    switch (key) {
      case 'SENTINEL MASTERS':
        return [fixture('sentinel-master')];
      case 'SENTINEL SLAVES MYMASTER':
        return fixture('sentinel-replicas');
      case 'SENTINEL SENTINELS MYMASTER':
        return fixture('sentinel-sentinels');
      case 'SENTINEL CKQUORUM MYMASTER':
        return 'OK 3 usable Sentinels. Quorum and failover authorization can be reached';
      case 'SENTINEL MYID':
        return '0123456789abcdef0123456789abcdef01234567';
      case 'INFO':
        return fixture('sentinel-info');
      case 'SENTINEL INFO-CACHE MYMASTER':
        return ['mymaster', [[100, readFileSync(join(FIX, 'master-info.txt'), 'latin1')]]];
      default:
        throw new Error(`ERR unknown subcommand '${key}'`);
    }
  };
}

const T = Date.UTC(2026, 10, 21, 9, 30, 0);

describe('collectStatus over captured replies', () => {
  it('shapes master, replicas, sentinels, epochs and quorum', async () => {
    const snap = await collectStatus(fixtureCall(), '127.0.0.1:26379', T);
    expect(snap.sentinel).toEqual({ address: '127.0.0.1:26379', id: '0123456789abcdef0123456789abcdef01234567', version: '7.0.15', tilt: false });
    const [m] = snap.masters;
    expect(m).toMatchObject({ name: 'mymaster', ip: '127.0.0.1', health: 'ok', configEpoch: 0, quorum: 2, sentinelCount: 3 });
    expect(m?.quorumCheck).toEqual({ ok: true, usable: 3, message: 'OK 3 usable Sentinels. Quorum and failover authorization can be reached' });
    expect(m?.replicas).toHaveLength(2);
    for (const r of m?.replicas ?? []) {
      expect(r.flags).toContain('slave');
      expect(r.priority).toBe(100);
      expect(r.link).toBe('ok');
      expect(typeof r.offset).toBe('number');
    }
    expect(m?.sentinels).toHaveLength(2);
    for (const s of m?.sentinels ?? []) {
      expect(s.id).toMatch(/^[0-9a-f]{40}$/);
      expect(typeof s.lastHelloMs).toBe('number');
    }
    // replication lag comes from the master's INFO (captured master-info.txt) when its replicas match by address
    expect(m?.replicationOffset).toBeGreaterThan(0);
  });

  it('keeps going when optional commands fail, and reports NOQUORUM', async () => {
    const snap = await collectStatus(
      fixtureCall({
        'SENTINEL INFO-CACHE MYMASTER': new Error('ERR unknown subcommand'),
        'SENTINEL MYID': new Error('ERR unknown subcommand'),
        'SENTINEL CKQUORUM MYMASTER': new Error('NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master'),
      }),
      'h:1',
      T,
    );
    expect(snap.sentinel.id).toBeUndefined();
    expect(snap.masters[0]?.replicationOffset).toBeUndefined();
    expect(snap.masters[0]?.replicas.every((r) => r.lagBytes === undefined)).toBe(true);
    expect(snap.masters[0]?.quorumCheck).toMatchObject({ ok: false, usable: 1 });
  });

  it('rejects when the server is not a sentinel', async () => {
    await expect(collectStatus(fixtureCall({ 'SENTINEL MASTERS': new Error("ERR unknown command 'SENTINEL'") }), 'h:1', T)).rejects.toThrow(
      /unknown command/,
    );
  });
});

describe('renderStatus', () => {
  it('renders a glanceable view with aligned tables and no colour codes when asked', async () => {
    const snap = await collectStatus(fixtureCall(), '127.0.0.1:26379', T);
    const text = renderStatus(snap, { color: false });
    const lines = text.split('\n');
    expect(lines[0]).toBe('sentinel 127.0.0.1:26379 · id 01234567 · version 7.0.15 · 1 master · 2026-11-21 09:30:00Z');
    expect(text).toMatch(/^master mymaster {2}127\.0\.0\.1:\d+ {2}ok {2}epoch 0$/m);
    expect(text).toMatch(/^ {2}quorum 2 of 3 sentinels: OK, 3 usable {3}down-after 30\.0s {2}failover-timeout 3m00s {2}parallel-syncs 1$/m);
    const header = lines.findIndex((l) => l.trim().startsWith('ADDRESS  '));
    const col = lines[header]?.indexOf('LINK');
    expect(lines[header + 1]?.slice(col).startsWith('up')).toBe(true);
    expect(lines[header + 2]?.slice(col).startsWith('up')).toBe(true);
    expect(text).not.toContain('\x1b[');
    expect(text).not.toContain('recent events');
  });

  it('highlights trouble: ODOWN, failover state, a down replica, no quorum, TILT, priority 0', async () => {
    const master = fixture('sentinel-master') as string[];
    const flagsAt = master.indexOf('flags') + 1;
    const failing = [...master];
    failing[flagsAt] = 'master,s_down,o_down,failover_in_progress';
    failing.splice(flagsAt + 1, 0, 'failover-state', 'wait_promotion');
    const replicas = (fixture('sentinel-replicas') as string[][]).map((r) => [...r]);
    const r0 = replicas[0] ?? [];
    r0[r0.indexOf('flags') + 1] = 'slave,s_down,disconnected';
    r0[r0.indexOf('slave-priority') + 1] = '0';
    const info = String(fixture('sentinel-info')).replace('sentinel_tilt:0', 'sentinel_tilt:1');
    const snap = await collectStatus(
      fixtureCall({
        'SENTINEL MASTERS': [failing],
        'SENTINEL SLAVES MYMASTER': replicas,
        INFO: info,
        'SENTINEL CKQUORUM MYMASTER': new Error('NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master'),
      }),
      'h:1',
      T,
    );
    const text = renderStatus(snap, { color: false });
    expect(text).toContain(' · TILT · ');
    expect(text).toMatch(/master mymaster .* ODOWN {2}epoch 0 {2}FAILOVER wait_promotion/);
    expect(text).toContain('NO QUORUM, 1 usable Sentinels.');
    expect(text).toMatch(/0 \(never\).*slave,s_down,disconnected/);
    const coloured = renderStatus(snap, { color: true });
    expect(coloured).toContain('\x1b[31mODOWN\x1b[0m');
  });

  it('lists recent events, newest last, capped', async () => {
    const snap = await collectStatus(fixtureCall(), 'h:1', T);
    const events = Array.from({ length: 15 }, (_, i) => parseEvent('+new-epoch', String(i), T + i));
    const text = renderStatus(snap, { color: false, events, maxEvents: 3 });
    expect(text).toMatch(/recent events\n {2}\S+ \+new-epoch 12\n {2}\S+ \+new-epoch 13\n {2}\S+ \+new-epoch 14\n/);
    expect(renderStatus(snap, { color: false, events: [] })).toContain('recent events: none yet');
  });
});

describe('statusToJson', () => {
  it('has a schema id, ISO time and nulls instead of missing keys', async () => {
    const snap = await collectStatus(fixtureCall({ 'SENTINEL MYID': new Error('ERR') }), 'h:1', T);
    const doc = JSON.parse(statusToJson(snap, [parseEvent('+new-epoch', '1', T)])) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['schema', 'time', 'sentinel', 'masters', 'events']);
    expect(doc['schema']).toBe('tsentinel.status/v1');
    expect(doc['time']).toBe('2026-11-21T09:30:00.000Z');
    expect((doc['sentinel'] as Record<string, unknown>)['id']).toBeNull();
    const m = (doc['masters'] as Record<string, unknown>[])[0] ?? {};
    expect(m['failoverState']).toBeNull();
    expect(Object.keys(m)).toContain('replicas');
  });
});

describe('helpers', () => {
  it('formats ages, bytes and health', () => {
    expect([formatAge(undefined), formatAge(-1), formatAge(850), formatAge(4200), formatAge(185_000), formatAge(7_800_000)]).toEqual([
      '-', '-', '850ms', '4.2s', '3m05s', '2h10m',
    ]);
    expect([formatBytes(undefined), formatBytes(512), formatBytes(1536), formatBytes(3 * 1024 * 1024)]).toEqual(['-', '512 B', '1.5 KiB', '3.0 MiB']);
    expect(masterHealth(['master', 's_down'])).toBe('sdown');
    expect(masterHealth(['master', 's_down', 'o_down'])).toBe('odown');
    expect(quorumCheckOf('weird')).toEqual({ ok: false, message: 'weird', usable: undefined });
  });

  it('aligns columns ignoring colour codes', () => {
    expect(table([['A', 'B', 'C'], ['\x1b[31mlong\x1b[0m', 'x', 'y']], '')).toEqual(['A     B  C', '\x1b[31mlong\x1b[0m  x  y']);
  });

  it('redraws a terminal frame in place: home, each line cleared to its end, rest of screen cleared', () => {
    expect(terminalFrame('a\nbb\n')).toBe('\x1b[Ha\x1b[K\nbb\x1b[K\n\x1b[J');
    expect(terminalFrame('x')).toBe('\x1b[Hx\x1b[K\n\x1b[J');
  });
});
