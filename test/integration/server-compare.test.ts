/**
 * Byte-for-byte comparison with a real redis-server 7.0.15: the same raw inputs go to both, and everything the
 * two share (error texts, reply shapes in RESP2 and RESP3, pub/sub frames, COMMAND INFO/DOCS of the core
 * commands, protocol errors and closes) must come back identical, client ids aside.
 */
import { describe, expect, it } from 'vitest';
import { missing } from '../helpers/processes.js';
import { exchange, parseReplies, RawClient, type Reply } from '../helpers/core-server.js';
import { coreBesideRedis } from './differential-pair.js';

const skip = missing('redis-server');

/** Client ids differ between the two servers. */
function normalize(s: string): string {
  return s.replace(/\$2\r\nid\r\n:\d+\r\n/g, '$2\r\nid\r\n:ID\r\n');
}

const CASES: Record<string, string> = {
  'unknown command': 'foo a b\r\nfoo\r\n',
  'unknown command, long arguments': `foo ${'a'.repeat(100)} ${'b'.repeat(100)} c\r\n`,
  'unknown command with CR in the name': '*2\r\n$5\r\nfo\ro\r\n$1\r\nx\r\n',
  arity: 'get\r\necho\r\necho a b\r\nclient\r\nclient kill\r\nclient getname x\r\nping a b\r\nsubscribe\r\npsubscribe\r\npubsub\r\npublish a\r\nacl\r\nacl whoami x\r\ncommand count x\r\n',
  'unknown subcommands': 'client bogus\r\nCLIENT Bogus\r\npubsub foo\r\nacl foo\r\ncommand foo\r\n',
  ping: 'ping\r\nPING hello\r\necho "a b"\r\n',
  'hello errors': 'HELLO 4\r\nHELLO 1\r\nHELLO 0\r\nHELLO -1\r\nHELLO foo\r\nHELLO 2 AUTH\r\nHELLO 2 AUTH a\r\nHELLO 2 foo\r\nHELLO 3 SETNAME x y\r\nHELLO 2 SETNAME "a b"\r\n',
  'hello 2 and 3': 'HELLO\r\nHELLO 2\r\nHELLO 3 SETNAME me\r\nclient getname\r\nHELLO 2 AUTH default anything\r\n',
  'auth without password': 'AUTH x\r\nAUTH a b\r\nAUTH a b c\r\n',
  'client setname/getname': 'CLIENT SETNAME "a b"\r\nCLIENT SETNAME "a\\nb"\r\nclient getname\r\nclient setname foo\r\nclient getname\r\nclient setname ""\r\nclient getname\r\n',
  'client reply': 'client reply off\r\nping\r\nclient reply skip\r\nping\r\nclient reply on\r\nping\r\nclient reply skip\r\nping\r\nping\r\nclient reply x\r\n',
  'client pause errors': 'client pause\r\nclient pause x\r\nclient pause -1\r\nclient pause 10 x\r\nclient pause 10 write x\r\nclient pause 0\r\nclient unpause\r\n',
  'client kill errors': 'client kill 1.2.3.4:5\r\nclient kill type foo\r\nclient kill id 999999\r\nclient kill id x\r\nclient kill id 0\r\nclient kill id 1 id\r\nclient kill foo bar\r\nclient kill skipme x\r\nclient kill user nosuch\r\nclient kill addr 1.1.1.1:1 laddr 2.2.2.2:2\r\n',
  'client list errors': 'client list type foo\r\nclient list type\r\nclient list id\r\nclient list id x\r\nclient list id 999999\r\nclient list type pubsub\r\nclient list foo\r\n',
  'client misc': 'client no-evict on\r\nclient no-evict off\r\nclient no-evict x\r\nclient unblock x\r\nclient unblock 1 foo\r\nclient unblock 999999\r\nclient unblock 999999 error\r\nclient getredir\r\nclient trackinginfo\r\nclient help\r\n',
  'subscribe in RESP2': 'subscribe a\r\nsubscribe a\r\npsubscribe "[-+]sdown" x*\r\nping\r\nping x\r\nget x\r\nclient id\r\nmulti\r\nunsubscribe a\r\npunsubscribe x*\r\nunsubscribe\r\npunsubscribe\r\nping\r\n',
  'subscribe in RESP3': 'hello 3\r\nsubscribe a\r\nping\r\nunsubscribe a\r\nunsubscribe\r\npsubscribe p*\r\npunsubscribe p*\r\npunsubscribe\r\n',
  'publish to self (RESP3)': 'hello 3\r\nsubscribe me\r\npsubscribe m?\r\npublish me hello\r\npublish other x\r\n',
  pubsub: 'pubsub channels\r\npubsub numsub\r\npubsub numsub a b\r\npubsub numpat\r\npubsub channels a b\r\npubsub shardchannels\r\npubsub shardnumsub x\r\npubsub help\r\n',
  reset: 'hello 3\r\nclient setname x\r\nsubscribe a\r\nreset\r\nclient getname\r\nping\r\n',
  'command info of core commands':
    'command info ping echo quit hello auth reset subscribe unsubscribe psubscribe punsubscribe publish nosuch\r\n' +
    'command info client|kill client|list client|setname client|reply pubsub|numsub acl|setuser acl|cat command|docs command|info\r\n',
  'command info in RESP3': 'hello 3\r\ncommand info ping client|kill publish\r\n',
  'command errors': 'command getkeys\r\ncommand getkeys nosuch a\r\ncommand getkeys ping x\r\ncommand list foo\r\ncommand list filterby foo x\r\ncommand list filterby aclcat nosuch\r\ncommand help\r\n',
  'acl errors': 'acl setuser "a b"\r\nacl setuser u3 foo\r\nacl setuser u3 +nosuch\r\nacl setuser u3 +client|nosuch\r\nacl setuser u3 +@nosuch\r\nacl setuser u3 >a <b\r\nacl setuser u3 #abc\r\nacl setuser u3 +client|kill|x\r\nacl setuser u3 ~* ~x\r\nacl setuser u3 &* &x\r\nacl deluser default\r\nacl deluser u3 nosuch\r\nacl getuser nosuch\r\nacl cat nosuch\r\nacl cat a b\r\nacl genpass 0\r\nacl genpass 4097\r\nacl genpass x\r\nacl log x\r\nacl log reset\r\nacl whoami\r\nacl users\r\nacl save\r\nacl load\r\nacl help\r\n',
  'acl cat': 'acl cat\r\n',
  'acl list/getuser of users': 'acl setuser u1 reset\r\nacl setuser u2 on nopass ~* &x\r\nacl setuser u3 %R~a* %W~b* ~c allchannels\r\nacl getuser u1\r\nacl getuser u2\r\nacl getuser u3\r\nacl list\r\nacl users\r\nacl deluser u1 u2 u3\r\n',
  'acl dryrun': 'acl dryrun default ping\r\nacl dryrun nosuch ping\r\nacl dryrun default nosuch\r\nacl setuser dr on nopass +ping\r\nacl dryrun dr echo x\r\nacl dryrun dr echo\r\nacl deluser dr\r\n',
  'inline protocol': 'PING\r\nping\n"ping"\r\n  ping   \r\n\r\n\n\'ping\' "x y"\r\necho "\\x41\\n"\r\n',
  'empty and negative multibulk': '*0\r\n*-1\r\n*1\r\n$4\r\nping\r\n',
};

const CLOSING: Record<string, string> = {
  quit: 'ping\r\nquit\r\nping\r\n',
  'quit with arguments': 'quit now please\r\nping\r\n',
  'inline quit in MULTI': 'multi\r\nquit\r\n',
  'expected $': '*1\r\nping\r\nping\r\n',
  'invalid multibulk length': '*a\r\n',
  'invalid bulk length': '*1\r\n$x\r\nping\r\n',
  'negative bulk length': '*1\r\n$-1\r\n',
  'unbalanced quotes': '"unbalanced\r\n',
  'unbalanced after closing quote': 'set "a"b c\r\n',
  'protocol error after good commands': 'ping\r\necho ok\r\n*2\r\n$4\r\necho\r\n*\r\n',
  POST: 'POST / HTTP/1.1\r\nHost: example\r\n\r\n',
  'Host: after a command drops its reply too': 'ping\r\nHost: x\r\nping\r\n',
  'post as multibulk': '*1\r\n$4\r\npost\r\n',
  'big count line': `*${'1'.repeat(70 * 1024)}`,
  'big inline': 'a'.repeat(70 * 1024),
};

describe.skipIf(skip)('server core vs redis-server 7.0.15 (raw protocol)', () => {
  const pair = coreBesideRedis();

  for (const [name, input] of Object.entries(CASES)) {
    it(name, async () => {
      const [theirs, ours] = await Promise.all([exchange(pair.redisPort, input), exchange(pair.core.port, input)]);
      expect(normalize(ours)).toBe(normalize(theirs));
    });
  }

  for (const [name, input] of Object.entries(CLOSING)) {
    it(`closes: ${name}`, async () => {
      const [theirs, ours] = await Promise.all([
        exchange(pair.redisPort, input, { marker: false }),
        exchange(pair.core.port, input, { marker: false }),
      ]);
      expect(ours).toBe(theirs);
      expect(ours.endsWith('<EOF>')).toBe(true);
    });
  }

  it('CLIENT LIST / CLIENT INFO: same fields in the same order', async () => {
    const field = (line: string): string[] => line.trim().split(' ').map((kv) => kv.slice(0, kv.indexOf('=')));
    const [theirs, ours] = await Promise.all([
      exchange(pair.redisPort, 'client setname n1\r\nclient info\r\nclient list id 1\r\n'),
      exchange(pair.core.port, 'client setname n1\r\nclient info\r\nclient list id 1\r\n'),
    ]);
    const body = (s: string): string => s.split('\r\n')[2]!.trim();
    expect(field(body(ours))).toEqual(field(body(theirs)));
    expect(body(ours)).toMatch(/^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ fd=\d+ name=n1 age=\d+ idle=\d+ flags=N db=0 /);
    expect(body(ours)).toMatch(/ cmd=client\|info user=default redir=-1 resp=2$/);
  });

  it('COMMAND DOCS: summary, since, group and complexity of the core commands match (arguments are not modelled)', async () => {
    const names = 'ping echo quit hello auth reset subscribe unsubscribe psubscribe punsubscribe publish client|id client|kill pubsub|numpat acl|setuser command|info nosuch';
    for (const proto of ['2', '3']) {
      const input = `hello ${proto}\r\ncommand docs ${names}\r\n`;
      const [theirs, ours] = await Promise.all([exchange(pair.redisPort, input), exchange(pair.core.port, input)]);
      const pairsOf = (r: Reply): [Reply, Reply][] =>
        Array.isArray(r)
          ? r.flatMap((v, k, a) => (k % 2 === 0 ? [[v, a[k + 1]!] as [Reply, Reply]] : []))
          : r !== null && typeof r === 'object' && 'map' in r
            ? r.map
            : [];
      const docs = (text: string): Map<string, Record<string, Reply>> => {
        const out = new Map<string, Record<string, Reply>>();
        for (const [name, fields] of pairsOf(parseReplies(text)[1]!)) {
          const rec: Record<string, Reply> = {};
          for (const [k, v] of pairsOf(fields)) if (['summary', 'since', 'group', 'complexity'].includes(k as string)) rec[k as string] = v;
          out.set(name as string, rec);
        }
        return out;
      };
      const t = docs(theirs);
      const o = docs(ours);
      expect([...o.keys()].sort()).toEqual([...t.keys()].sort());
      for (const [name, rec] of t) expect(o.get(name), name).toEqual(rec);
    }
  });

  it('CLIENT LIST shows a subscriber as P and RESP3 as resp=3', async () => {
    const sub = await RawClient.connect(pair.core.port);
    sub.send('hello 3\r\nclient setname watcher\r\nsubscribe x\r\n');
    await sub.until((d) => d.includes('subscribe'));
    const list = await exchange(pair.core.port, 'client list type pubsub\r\n');
    sub.close();
    expect(list).toMatch(/name=watcher .*flags=P .*sub=1 psub=0 .*cmd=subscribe .*resp=3/);
  });

  it('a message published on one connection reaches RESP2 and RESP3 subscribers with the same frames as Redis', async () => {
    const run = async (port: number): Promise<[string, string]> => {
      const a = await RawClient.connect(port);
      const b = await RawClient.connect(port);
      a.send('subscribe news\r\npsubscribe n[aeiou]ws\r\n');
      b.send('hello 3\r\nsubscribe news\r\n');
      await a.until((d) => d.split('\r\n').filter((l) => l === ':2').length === 1);
      await b.until((d) => d.includes('>3\r\n$9\r\nsubscribe'));
      const count = await exchange(port, 'publish news "hi there"\r\n');
      expect(count).toBe(':3\r\n');
      await a.until((d) => d.includes('pmessage'));
      await b.until((d) => d.includes('$7\r\nmessage'));
      a.close();
      b.close();
      return [a.data, normalize(b.data)];
    };
    const [theirs, ours] = await Promise.all([run(pair.redisPort), run(pair.core.port)]);
    expect(ours).toEqual(theirs);
  });
});

describe.skipIf(skip)('server core vs redis-server 7.0.15 with requirepass', () => {
  const pair = coreBesideRedis({ redisDirectives: ['requirepass secret'], core: { settings: { requirepass: 'secret' } } });

  const cases: Record<string, string> = {
    'NOAUTH before AUTH; unknown commands first': 'ping\r\nfoo\r\nclient id\r\nHELLO 3\r\nHELLO\r\nHELLO 2 SETNAME x\r\n',
    'wrong passwords': 'AUTH\r\nAUTH a b c\r\nAUTH wrong\r\nAUTH default wrong\r\nAUTH nosuch secret\r\nping\r\n',
    'AUTH then commands': 'AUTH secret\r\nping\r\nacl whoami\r\n',
    'HELLO AUTH': 'HELLO 3 AUTH default secret SETNAME cli\r\nping\r\nclient getname\r\n',
    'two-argument AUTH': 'AUTH default secret\r\necho ok\r\n',
    'reset drops authentication': 'AUTH secret\r\nreset\r\nping\r\n',
    'a rejected EXEC aborts even outside MULTI (execCommandAbort)': 'exec\r\nexec a\r\nauth secret\r\nexec a\r\nmulti\r\nping\r\nexec x\r\nexec\r\n',
  };
  for (const [name, input] of Object.entries(cases)) {
    it(name, async () => {
      // QUIT needs no authentication: it ends every exchange with a close on both servers
      const i = input + 'QUIT\r\n';
      const [theirs, ours] = await Promise.all([exchange(pair.redisPort, i, { marker: false }), exchange(pair.core.port, i, { marker: false })]);
      expect(normalize(ours)).toBe(normalize(theirs));
    });
  }

  it('unauthenticated clients are limited to small multibulks (CVE-2021-32675)', async () => {
    for (const input of ['*20\r\n', '*2\r\n$100000\r\n']) {
      const [theirs, ours] = await Promise.all([exchange(pair.redisPort, input, { marker: false }), exchange(pair.core.port, input, { marker: false })]);
      expect(ours).toBe(theirs);
    }
  });
});
