import { describe, expect, it } from 'vitest';
import {
  handshakeStep,
  parsePsyncReply,
  psyncCommand,
  startHandshake,
  type HandshakeConfig,
  type HandshakeState,
  type HandshakeStep,
} from '../../../../src/node/replication/replica/handshake.js';
import { fixture } from './fixtures.js';

const base: HandshakeConfig = {
  listeningPort: 23391,
  announceIp: null,
  masterUser: null,
  masterAuth: null,
  cached: null,
  failover: false,
};

/** Run the machine against a list of reply lines, collecting everything it sends. */
function run(cfg: HandshakeConfig, replies: string[]): { sent: Buffer[]; states: HandshakeState[]; last: HandshakeStep | null } {
  const s = startHandshake();
  const sent = [...s.send];
  const states: HandshakeState[] = [s.state];
  let state = s.state;
  let last: HandshakeStep | null = null;
  for (const line of replies) {
    last = handshakeStep(state, line, cfg);
    if (last.kind === 'next') {
      sent.push(...last.send);
      state = last.state;
      states.push(state);
    } else if (last.kind === 'done') {
      sent.push(...last.send);
      break;
    } else if (last.kind === 'abort') break;
  }
  return { sent, states, last };
}

describe('replica handshake', () => {
  it('sends exactly what a real 7.0.15 replica sends (fixture replica-handshake-sent.bin)', () => {
    const { sent, last } = run(base, ['+PONG', '+OK', '+OK', '+FULLRESYNC ' + 'a'.repeat(40) + ' 0']);
    expect(Buffer.concat(sent).equals(fixture('stream/replica-handshake-sent.bin'))).toBe(true);
    expect(last).toEqual({ kind: 'done', outcome: { kind: 'full', replid: 'a'.repeat(40), offset: 0 }, send: [] });
  });

  it('waits for PING, writes AUTH/REPLCONFs back to back, and sends PSYNC only after the capa reply', () => {
    const cfg: HandshakeConfig = { ...base, masterUser: 'repluser', masterAuth: 'secretpw', announceIp: '127.0.0.9', listeningPort: 31021 };
    const s = startHandshake();
    expect(s.send.map((b) => b.toString())).toEqual(['*1\r\n$4\r\nPING\r\n']);
    const afterPing = handshakeStep('receive-ping-reply', '-NOAUTH Authentication required.', cfg);
    expect(afterPing.kind).toBe('next');
    if (afterPing.kind !== 'next') return;
    expect(afterPing.state).toBe('receive-auth-reply');
    expect(Buffer.concat(afterPing.send).toString()).toBe(
      '*3\r\n$4\r\nAUTH\r\n$8\r\nrepluser\r\n$8\r\nsecretpw\r\n' +
        '*3\r\n$8\r\nREPLCONF\r\n$14\r\nlistening-port\r\n$5\r\n31021\r\n' +
        '*3\r\n$8\r\nREPLCONF\r\n$10\r\nip-address\r\n$9\r\n127.0.0.9\r\n' +
        '*5\r\n$8\r\nREPLCONF\r\n$4\r\ncapa\r\n$3\r\neof\r\n$4\r\ncapa\r\n$6\r\npsync2\r\n',
    );
    const { states, sent } = run(cfg, ['+PONG', '+OK', '-ERR unknown option', '-ERR nope', '+OK']);
    expect(states).toEqual([
      'receive-ping-reply',
      'receive-auth-reply',
      'receive-port-reply',
      'receive-ip-reply',
      'receive-capa-reply',
      'receive-psync-reply',
    ]);
    // PSYNC is the last thing sent, alone, after the fifth reply
    expect(sent.at(-1)!.toString()).toBe('*3\r\n$5\r\nPSYNC\r\n$1\r\n?\r\n$2\r\n-1\r\n');
  });

  it('AUTH with only masterauth sends one argument', () => {
    const { sent } = run({ ...base, masterAuth: 'pw' }, ['+PONG']);
    expect(sent[1]!.toString()).toBe('*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n');
  });

  it('aborts on an AUTH error and on a PING error other than NOAUTH/NOPERM/operation not permitted', () => {
    expect(handshakeStep('receive-auth-reply', '-WRONGPASS invalid username-password pair', { ...base, masterAuth: 'x' }).kind).toBe('abort');
    expect(handshakeStep('receive-ping-reply', '-LOADING Redis is loading the dataset in memory', base).kind).toBe('abort');
    expect(handshakeStep('receive-ping-reply', '-NOPERM this user has no permissions', base).kind).toBe('next');
    expect(handshakeStep('receive-ping-reply', '-ERR operation not permitted', base).kind).toBe('next');
  });

  it('PSYNC uses the cached master (offset + 1) and the FAILOVER argument when handing over', () => {
    const cached = { replid: 'a'.repeat(40), offset: 1155 };
    expect(psyncCommand({ ...base, cached }).toString()).toBe(`*3\r\n$5\r\nPSYNC\r\n$40\r\n${'a'.repeat(40)}\r\n$4\r\n1156\r\n`);
    expect(psyncCommand({ ...base, cached, failover: true }).toString()).toBe(
      `*4\r\n$5\r\nPSYNC\r\n$40\r\n${'a'.repeat(40)}\r\n$4\r\n1156\r\n$8\r\nFAILOVER\r\n`,
    );
  });

  it('skips keepalive newlines before the PSYNC answer', () => {
    expect(handshakeStep('receive-psync-reply', '', base)).toEqual({ kind: 'wait' });
  });

  it('parses every PSYNC answer as 7.0 does', () => {
    const a = 'a'.repeat(40);
    expect(parsePsyncReply(`+FULLRESYNC ${a} 1000`)).toEqual({ kind: 'full', replid: a, offset: 1000 });
    expect(parsePsyncReply('+FULLRESYNC short 1000')).toEqual({ kind: 'full', replid: null, offset: -1 });
    expect(parsePsyncReply('+FULLRESYNC')).toEqual({ kind: 'full', replid: null, offset: -1 });
    expect(parsePsyncReply('+CONTINUE')).toEqual({ kind: 'continue', newReplid: null });
    expect(parsePsyncReply(`+CONTINUE ${a}`)).toEqual({ kind: 'continue', newReplid: a });
    expect(parsePsyncReply('+CONTINUE abc')).toEqual({ kind: 'continue', newReplid: null });
    expect(parsePsyncReply("-NOMASTERLINK Can't SYNC while not connected with my master").kind).toBe('try-later');
    expect(parsePsyncReply('-LOADING Redis is loading the dataset in memory').kind).toBe('try-later');
    expect(parsePsyncReply('-ERR something')).toEqual({ kind: 'not-supported', reply: '-ERR something' });
    expect(parsePsyncReply('+WHATEVER').kind).toBe('not-supported');
  });

  it('falls back to inline SYNC on the same connection when PSYNC is not supported', () => {
    const step = handshakeStep('receive-psync-reply', '-ERR something', base);
    expect(step.kind).toBe('done');
    if (step.kind === 'done') expect(Buffer.concat(step.send).toString()).toBe('SYNC\r\n');
  });
});
