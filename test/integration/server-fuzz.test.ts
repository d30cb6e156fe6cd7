/**
 * Fuzzed and malformed input over real sockets.
 *
 * 1. Differential: seeded mutations of PING/ECHO frames (multibulk and inline) go to redis-server 7.0.15 and to
 *    the core; both must answer byte-for-byte the same, including protocol errors and when they hang up.
 * 2. Survival: seeded random bytes and mutated frames of every core command, split into random chunks; every
 *    reply must be well-formed RESP, every error one of Redis's texts, and the server keeps serving.
 * A failing case prints its seed and input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, type Random } from '../../src/common/random.js';
import { missing } from '../helpers/processes.js';
import { parseReplies, RawClient, startCoreServer, type CoreServer, type Reply } from '../helpers/core-server.js';
import { coreBesideRedis } from './differential-pair.js';

const MARK = '*2\r\n$4\r\nPING\r\n$7\r\n@@END@@\r\n';

function frame(args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join('');
}

function randomString(r: Random, max: number): string {
  const n = r.int(max + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(r.next() < 0.8 ? 32 + r.int(95) : r.int(256));
  return s;
}

/** One mutation of a byte string: flip, insert, delete, duplicate, truncate, or nudge a length digit. */
function mutate(r: Random, s: string): string {
  if (s.length === 0) return randomString(r, 8);
  const i = r.int(s.length);
  switch (r.int(7)) {
    case 0:
      return s.slice(0, i) + String.fromCharCode(r.int(256)) + s.slice(i + 1);
    case 1:
      return s.slice(0, i) + randomString(r, 4) + s.slice(i);
    case 2:
      return s.slice(0, i) + s.slice(i + 1 + r.int(3));
    case 3:
      return s + s.slice(i);
    case 4:
      return s.slice(0, i);
    case 5:
      return s.replace(/\d+/, (d) => String(Math.max(0, Number(d) + r.int(5) - 2)));
    default:
      return s.replace(/[*$]/, r.next() < 0.5 ? '$' : '*');
  }
}

/**
 * Send (in random chunks when `r` is given, else in one write), then wait for the marker reply or the close; a
 * hung exchange returns what arrived. Chunked sending stops once the server hung up: bytes arriving after its
 * close make its kernel answer with a reset, which may discard replies not yet read on our side.
 */
async function exchange(port: number, input: string, r: Random | null, waitMs: number): Promise<string> {
  const c = await RawClient.connect(port);
  c.socket.setNoDelay(true);
  try {
    const bytes = input + MARK;
    let at = 0;
    while (at < bytes.length && !c.ended) {
      const n = r === null ? bytes.length : 1 + r.int(Math.max(1, Math.min(64, bytes.length - at)));
      c.send(bytes.slice(at, at + n));
      at += n;
      if (r !== null && r.next() < 0.3) await new Promise((res) => setImmediate(res));
    }
    try {
      await c.until((d) => d.endsWith('$7\r\n@@END@@\r\n'), waitMs);
    } catch {
      // the server is still waiting for the rest of a bulk it was promised: so is Redis
    }
    return c.ended ? c.data + '<EOF>' : c.data;
  } finally {
    c.close();
  }
}

const ERROR_FORMS = [
  /^ERR Protocol error: (invalid multibulk length|invalid bulk length|expected '.', got '.'|unbalanced quotes in request|too big (inline request|mbulk count string|bulk count string)|unauthenticated (multibulk|bulk) length)$/s,
  /^ERR unknown command '.*', with args beginning with: .*$/s,
  /^ERR unknown subcommand '.*'\. Try [^ ]+ HELP\.$/s,
  /^ERR unknown subcommand or wrong number of arguments for '.*'\. Try [A-Z]+ HELP\.$/s,
  /^ERR wrong number of arguments for '[a-z|-]+' command$/,
  /^ERR syntax error$/,
  /^ERR Syntax error in HELLO option '.*'$/s,
  /^ERR Protocol version is not an integer or out of range$/,
  /^NOPROTO unsupported protocol version$/,
  /^ERR Can't execute '[a-z|-]+': only \(P\|S\)SUBSCRIBE \/ \(P\|S\)UNSUBSCRIBE \/ PING \/ QUIT \/ RESET are allowed in this context$/,
  /^ERR Client names cannot contain spaces, newlines or special characters\.$/,
  /^ERR .* cannot contain spaces, newlines or special characters\.$/s,
  /^ERR Unrecognized option '.*'$/s,
  /^ERR (Unknown client type '.*'|No such client|client-id should be greater than 0|Invalid client ID|No such user '.*')$/s,
  /^ERR (timeout is not an integer or out of range|timeout is negative|CLIENT PAUSE mode must be WRITE or ALL|CLIENT UNBLOCK reason should be TIMEOUT or ERROR|value is not an integer or out of range)$/,
  /^ERR AUTH <password> called without any password configured for the default user\. Are you sure your configuration is correct\?$/,
  /^WRONGPASS invalid username-password pair or user is disabled\.$/,
  /^ERR (Invalid command specified|The command has no key arguments|Invalid number of arguments specified for command|Unknown category '.*'|Usernames can't contain spaces or null characters|The 'default' user cannot be removed)$/s,
  /^ERR ACL GENPASS argument must be .*$/,
  /^ERR Error in ACL SETUSER modifier '.*': .*$/s,
  /^ERR (User|Command) '.*' not found$/s,
  /^ERR This Redis instance is not configured to use an ACL file\..*$/,
  /^ERR (EXEC|DISCARD) without MULTI$/,
  /^ERR MULTI calls can not be nested$/,
  /^ERR Command not allowed inside a transaction$/,
  /^EXECABORT Transaction discarded because of.*$/s,
  /^ERR can only reset normal client connections$/,
];

function checkErrors(replies: Reply[], where: string): void {
  const walk = (r: Reply): void => {
    if (r === null || typeof r !== 'object') return;
    if (Array.isArray(r)) return r.forEach(walk);
    if ('error' in r) {
      expect(ERROR_FORMS.some((re) => re.test(r.error)), `${where}: unexpected error text ${JSON.stringify(r.error)}`).toBe(true);
    } else if ('push' in r) r.push.forEach(walk);
    else if ('map' in r) r.map.forEach(([k, v]) => (walk(k), walk(v)));
  };
  replies.forEach(walk);
}

describe.skipIf(missing('redis-server'))('differential fuzz against redis-server 7.0.15', () => {
  const pair = coreBesideRedis();

  it('mutated PING/ECHO frames get identical answers (and identical hang-ups)', async () => {
    const seed = 20261121;
    const r = seededRandom(seed);
    for (let n = 0; n < 150; n++) {
      const parts: string[] = [];
      for (let k = 1 + r.int(3); k > 0; k--) {
        const args = r.next() < 0.5 ? ['PING'] : ['ECHO', randomString(r, 12)];
        if (r.next() < 0.2) args.push(randomString(r, 5));
        parts.push(r.next() < 0.75 ? frame(args) : args.map((a) => a.replace(/[\r\n"' ]/g, 'x')).join(' ') + '\r\n');
      }
      let input = parts.join('');
      for (let m = r.int(3); m > 0; m--) input = mutate(r, input);
      // one write each: how Redis splits reads must not matter, and a single segment avoids reset races
      const [theirs, ours] = await Promise.all([exchange(pair.redisPort, input, null, 300), exchange(pair.core.port, input, null, 300)]);
      expect(ours, `seed ${seed} case ${n} input ${JSON.stringify(input)}`).toBe(theirs);
    }
  });
});

describe('survival fuzz against the core', () => {
  let core: CoreServer;
  beforeAll(async () => {
    core = await startCoreServer();
  });
  afterAll(async () => {
    await core?.close();
  });

  // commands that would end the exchange early or change global state are left out
  const VOCAB: string[][] = [
    ['PING'],
    ['ECHO', 'x'],
    ['HELLO', '3'],
    ['HELLO', '2', 'SETNAME', 'n'],
    ['AUTH', 'a', 'b'],
    ['CLIENT', 'ID'],
    ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'n'],
    ['CLIENT', 'SETINFO', 'LIB-NAME', 'x'],
    ['CLIENT', 'LIST'],
    ['CLIENT', 'INFO'],
    ['CLIENT', 'NO-EVICT', 'on'],
    ['CLIENT', 'UNBLOCK', '1'],
    ['COMMAND', 'COUNT'],
    ['COMMAND', 'INFO', 'get'],
    ['COMMAND', 'DOCS', 'ping'],
    ['COMMAND', 'GETKEYS', 'get', 'k'],
    ['SUBSCRIBE', 'c'],
    ['UNSUBSCRIBE'],
    ['PSUBSCRIBE', '[a-'],
    ['PUNSUBSCRIBE'],
    ['PUBLISH', 'c', 'm'],
    ['PUBSUB', 'CHANNELS'],
    ['PUBSUB', 'NUMSUB', 'c'],
    ['ACL', 'WHOAMI'],
    ['ACL', 'CAT'],
    ['ACL', 'GETUSER', 'default'],
    ['ACL', 'LIST'],
    ['ACL', 'DRYRUN', 'default', 'get', 'x'],
    ['RESET'],
    ['SET', 'k', 'v'],
    ['GET', 'k'],
    ['MULTI'],
    ['EXEC'],
    ['DISCARD'],
  ];

  it('random bytes and mutated frames never crash the server; replies are valid RESP with Redis error texts', async () => {
    const seed = 777;
    const r = seededRandom(seed);
    const baseline = core.server.connectedClients;
    for (let n = 0; n < 250; n++) {
      let input: string;
      if (r.next() < 0.2) input = randomString(r, 200);
      else {
        const parts: string[] = [];
        for (let k = 1 + r.int(5); k > 0; k--) {
          const cmd = [...VOCAB[r.int(VOCAB.length)]!];
          if (r.next() < 0.3) cmd.push(randomString(r, 10));
          if (r.next() < 0.2) cmd[0] = cmd[0]!.toLowerCase();
          parts.push(r.next() < 0.8 ? frame(cmd) : cmd.join(' ') + '\r\n');
        }
        input = parts.join('');
        for (let m = r.int(3); m > 0; m--) input = mutate(r, input);
      }
      const where = `seed ${seed} case ${n} input ${JSON.stringify(input)}`;
      const out = await exchange(core.port, input, seededRandom(seed * 31 + n), 300);
      const ended = out.endsWith('<EOF>');
      const body = ended ? out.slice(0, -5) : out;
      let replies: Reply[] = [];
      // after a hang-up the tail may be lost to a TCP reset (see exchange); what did arrive must still parse
      expect(() => (replies = parseReplies(body, { partialTail: ended })), where).not.toThrow();
      checkErrors(replies, where);
    }
    // still serving, and every fuzz connection was cleaned up
    expect((await exchangePing(core.port))).toBe('+PONG\r\n');
    const deadline = Date.now() + 10_000;
    while (core.server.connectedClients > baseline && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
    expect(core.server.connectedClients).toBe(baseline);
  }, 90_000);

  it('huge declared lengths are refused, not buffered', async () => {
    const c = await RawClient.connect(core.port);
    c.send('*1\r\n$536870913\r\n');
    expect(await c.closed()).toBe('-ERR Protocol error: invalid bulk length\r\n');
    const d = await RawClient.connect(core.port);
    d.send('*2147483648\r\n');
    expect(await d.closed()).toBe('-ERR Protocol error: invalid multibulk length\r\n');
  });
});

async function exchangePing(port: number): Promise<string> {
  const c = await RawClient.connect(port);
  c.send('PING\r\n');
  const d = await c.until((x) => x.includes('\r\n'));
  c.close();
  return d;
}
