import { describe, expect, it } from 'vitest';
import { formatEventJson, formatEventLine, isWarningEvent, parseEvent } from '../../../src/ops/events.js';

const T = Date.UTC(2026, 10, 21, 10, 0, 0, 123);

describe('parseEvent', () => {
  it('reads a master event with its detail', () => {
    expect(parseEvent('+odown', 'master mymaster 127.0.0.1 6379 #quorum 2/2', T)).toEqual({
      time: T,
      event: '+odown',
      message: 'master mymaster 127.0.0.1 6379 #quorum 2/2',
      instance: { type: 'master', name: 'mymaster', ip: '127.0.0.1', port: 6379 },
      master: 'mymaster',
      detail: '#quorum 2/2',
    });
  });

  it('reads a replica event with the @ master suffix (sentinel.c %@ expansion)', () => {
    const ev = parseEvent('+sdown', 'slave 127.0.0.1:16379 127.0.0.1 16379 @ mymaster 127.0.0.1 16381', T);
    expect(ev.instance).toEqual({ type: 'slave', name: '127.0.0.1:16379', ip: '127.0.0.1', port: 16379 });
    expect(ev.master).toBe('mymaster');
    expect(ev.detail).toBeUndefined();
  });

  it('reads a sentinel event with hostnames (announce-hostnames)', () => {
    const ev = parseEvent(
      '+config-update-from',
      'sentinel e1d19d8c0000000000000000000000000000beef s-1.svc 26379 @ mymaster node-0.svc 6379',
      T,
    );
    expect(ev.instance).toEqual({ type: 'sentinel', name: 'e1d19d8c0000000000000000000000000000beef', ip: 's-1.svc', port: 26379 });
    expect(ev.master).toBe('mymaster');
  });

  it('reads +switch-master as old and new addresses', () => {
    const ev = parseEvent('+switch-master', 'mymaster 10.0.0.1 6379 10.0.0.2 6380', T);
    expect(ev).toMatchObject({ master: 'mymaster', from: { ip: '10.0.0.1', port: 6379 }, to: { ip: '10.0.0.2', port: 6380 } });
    expect(ev.instance).toBeUndefined();
  });

  it('leaves payloads without %@ unstructured', () => {
    for (const [ch, msg] of [
      ['+new-epoch', '7'],
      ['+vote-for-leader', 'e1d19d8c 7'],
      ['+tilt', '#tilt mode entered'],
      ['+switch-master', 'broken'],
      ['+sdown', 'master only-three tokens'],
    ] as const) {
      const ev = parseEvent(ch, msg, T);
      expect(ev).toEqual({ time: T, event: ch, message: msg });
    }
  });
});

describe('formatting', () => {
  it('one plain line per event without colour', () => {
    const line = formatEventLine(parseEvent('+sdown', 'master m 127.0.0.1 6379', T), false);
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.123 \+sdown master m 127\.0\.0\.1 6379$/);
  });

  it('colours warnings on a terminal, leaves notices plain', () => {
    expect(formatEventLine(parseEvent('+sdown', 'master m 1.2.3.4 1', T), true)).toContain('\x1b[33m+sdown');
    expect(formatEventLine(parseEvent('+odown', 'master m 1.2.3.4 1 #quorum 2/2', T), true)).toContain('\x1b[31m');
    expect(formatEventLine(parseEvent('+switch-master', 'm 1.2.3.4 1 1.2.3.5 1', T), true)).toContain('\x1b[32m');
    expect(formatEventLine(parseEvent('+slave', 'slave a:1 a 1 @ m 1.2.3.4 1', T), true)).not.toContain('\x1b[');
    expect(isWarningEvent('+slave')).toBe(false);
    expect(isWarningEvent('+try-failover')).toBe(true);
  });

  it('JSON lines have a fixed key order and nulls for absent parts', () => {
    expect(formatEventJson(parseEvent('+new-epoch', '3', T))).toBe(
      '{"time":"2026-11-21T10:00:00.123Z","event":"+new-epoch","message":"3","master":null,"instance":null,"detail":null}',
    );
    const sw = JSON.parse(formatEventJson(parseEvent('+switch-master', 'm 1.2.3.4 1 1.2.3.5 2', T))) as Record<string, unknown>;
    expect(Object.keys(sw)).toEqual(['time', 'event', 'message', 'master', 'instance', 'detail', 'from', 'to']);
    expect(sw['to']).toEqual({ ip: '1.2.3.5', port: 2 });
  });
});
