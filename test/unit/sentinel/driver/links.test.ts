import { describe, expect, it } from 'vitest';
import { errorToReply, toReply } from '../../../../src/sentinel/driver/links.js';

describe('reply conversion', () => {
  it('maps what ioredis resolves with onto the core Reply shape, bytes as latin1 strings', () => {
    expect(toReply(Buffer.from([0x50, 0xff]))).toEqual({ kind: 'string', value: 'P\u00ff' });
    expect(toReply('PONG')).toEqual({ kind: 'string', value: 'PONG' });
    expect(toReply(3)).toEqual({ kind: 'int', value: 3 });
    expect(toReply(null)).toEqual({ kind: 'nil' });
    expect(toReply([1, Buffer.from('*'), [null]])).toEqual({
      kind: 'array',
      items: [{ kind: 'int', value: 1 }, { kind: 'string', value: '*' }, { kind: 'array', items: [{ kind: 'nil' }] }],
    });
    expect(toReply({ weird: true })).toEqual({ kind: 'nil' });
  });

  it('a server error is an error reply; anything else that rejects means the connection is gone', () => {
    const re = new Error('LOADING Redis is loading');
    re.name = 'ReplyError';
    expect(errorToReply(re)).toEqual({ kind: 'error', message: 'LOADING Redis is loading' });
    expect(errorToReply(new Error('Connection is closed.'))).toEqual({ kind: 'closed' });
    expect(errorToReply('boom')).toEqual({ kind: 'closed' });
  });
});
