import { describe, expect, it } from 'vitest';
import { formatHello, parseHello } from '../../../../src/sentinel/protocol/hello.js';
import { classifyPing, parseMasterDownReply } from '../../../../src/sentinel/protocol/reply.js';
import { parseLongLong } from '../../../../src/sentinel/protocol/numbers.js';
import { formatSubject } from '../../../../src/sentinel/protocol/event-format.js';

const ID = 'e1d19d8c32c75a28bbf84a13e304b11a6d28213a';

describe('hello', () => {
  it('round-trips the 8-token payload', () => {
    const h = { ip: '127.0.0.1', port: 26379, runid: ID, currentEpoch: 3, masterName: 'mymaster', masterIp: '10.0.0.1', masterPort: 6379, masterConfigEpoch: 2 };
    const p = formatHello(h);
    expect(p).toBe(`127.0.0.1,26379,${ID},3,mymaster,10.0.0.1,6379,2`);
    expect(parseHello(p)).toEqual({ ok: true, hello: h });
  });

  it.each([
    ['7 tokens', `127.0.0.1,26379,${ID},3,mymaster,10.0.0.1,6379`],
    ['9 tokens', `127.0.0.1,26379,${ID},3,mymaster,10.0.0.1,6379,2,x`],
    ['bad port', `127.0.0.1,abc,${ID},3,mymaster,10.0.0.1,6379,2`],
    ['port 0', `127.0.0.1,0,${ID},3,mymaster,10.0.0.1,6379,2`],
    ['port too big', `127.0.0.1,70000,${ID},3,mymaster,10.0.0.1,6379,2`],
    ['short runid', `127.0.0.1,26379,abc,3,mymaster,10.0.0.1,6379,2`],
    ['bad epoch', `127.0.0.1,26379,${ID},x,mymaster,10.0.0.1,6379,2`],
    ['empty ip', `,26379,${ID},3,mymaster,10.0.0.1,6379,2`],
    ['empty', ''],
  ])('rejects %s', (_n, payload) => {
    expect(parseHello(payload).ok).toBe(false);
  });
});

describe('replies', () => {
  it('classifies PING replies like sentinelPingReplyCallback', () => {
    expect(classifyPing({ kind: 'string', value: 'PONG' })).toBe('pong');
    expect(classifyPing({ kind: 'error', message: 'LOADING Redis is loading the dataset in memory' })).toBe('loading');
    expect(classifyPing({ kind: 'error', message: 'MASTERDOWN Link with MASTER is down' })).toBe('masterdown');
    expect(classifyPing({ kind: 'error', message: 'BUSY Redis is busy running a script' })).toBe('busy');
    expect(classifyPing({ kind: 'error', message: 'NOAUTH Authentication required.' })).toBe('other');
    expect(classifyPing({ kind: 'int', value: 1 })).toBe('other');
    expect(classifyPing({ kind: 'closed' })).toBe('none');
  });

  it('parses is-master-down-by-addr replies and rejects other shapes', () => {
    const ok = { kind: 'array', items: [{ kind: 'int', value: 1 }, { kind: 'string', value: ID }, { kind: 'int', value: 7 }] } as const;
    expect(parseMasterDownReply(ok)).toEqual({ down: true, leader: ID, leaderEpoch: 7 });
    const star = { kind: 'array', items: [{ kind: 'int', value: 0 }, { kind: 'string', value: '*' }, { kind: 'int', value: 0 }] } as const;
    expect(parseMasterDownReply(star)).toEqual({ down: false, leader: null, leaderEpoch: 0 });
    expect(parseMasterDownReply({ kind: 'array', items: [{ kind: 'int', value: 1 }] })).toBeNull();
    expect(parseMasterDownReply({ kind: 'string', value: 'x' })).toBeNull();
    expect(
      parseMasterDownReply({ kind: 'array', items: [{ kind: 'string', value: '1' }, { kind: 'string', value: '*' }, { kind: 'int', value: 0 }] }),
    ).toBeNull();
  });
});

describe('numbers, %@', () => {
  it('parses integers like string2ll', () => {
    expect(parseLongLong('0')).toBe(0);
    expect(parseLongLong('-5')).toBe(-5);
    expect(parseLongLong('123')).toBe(123);
    for (const bad of ['', '+1', '01', ' 1', '1 ', '1.0', 'abc', '99999999999999999999']) expect(parseLongLong(bad)).toBeNull();
  });

  it('expands %@ for masters and for replicas/sentinels with the @ master suffix', () => {
    expect(formatSubject({ kind: 'master', name: 'mymaster', host: '127.0.0.1', port: 6379 })).toBe('master mymaster 127.0.0.1 6379');
    expect(
      formatSubject({ kind: 'slave', name: '127.0.0.1:6380', host: '127.0.0.1', port: 6380, master: { name: 'mymaster', host: '127.0.0.1', port: 6379 } }),
    ).toBe('slave 127.0.0.1:6380 127.0.0.1 6380 @ mymaster 127.0.0.1 6379');
  });
});
