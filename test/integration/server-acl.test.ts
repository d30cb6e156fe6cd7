/**
 * Authentication and ACL over real sockets, compared with redis-server 7.0.15 where the behaviour is shared:
 * the user Redis's sentinel documentation sets up for sentinels (`+client +subscribe +publish +ping +info
 * +multi +slaveof +config +exec` and `&__sentinel__:hello`), real clients logging in as that user, runtime
 * ACL SETUSER/DELUSER effects on connected clients, and rename-command.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RespServer } from '../../src/server/server.js';
import type { CommandSpec } from '../../src/server/types.js';
import { allocPort } from '../helpers/ports.js';
import { has, missing, startRedisServer, stopAll, tempDir } from '../helpers/processes.js';
import { exchange, RawClient, startCoreServer, type CoreServer } from '../helpers/core-server.js';
import { until } from '../helpers/wait.js';

const run = promisify(execFile);

const SENTINEL_USER = ['sentinel-user', 'on', '>pw', '+client', '+subscribe', '+publish', '+ping', '+info', '+multi', '+slaveof', '+config', '+exec', '&__sentinel__:hello'];

/** SLAVEOF and CONFIG are tredis's; toy versions so the sentinel user's rules resolve and MULTI can queue them. */
function nodeToys(_server: RespServer): CommandSpec[] {
  return [
    { name: 'slaveof', arity: 3, flags: ['admin', 'noscript', 'stale'], categories: [], handler: (ctx) => ctx.reply.ok() },
    {
      name: 'config',
      arity: -2,
      flags: [],
      categories: [],
      subcommands: [
        // the reference redis-server runs from a config file, so its CONFIG REWRITE succeeds
        { name: 'rewrite', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], categories: [], handler: (ctx) => ctx.reply.ok() },
        { name: 'get', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], categories: [], handler: (ctx) => ctx.reply.array(0) },
      ],
    },
  ];
}

describe.skipIf(missing('redis-server'))('the sentinel user of the Redis docs, vs redis-server', () => {
  let core: CoreServer;
  let redisPort = 0;
  const dir = tempDir();
  beforeAll(async () => {
    redisPort = allocPort();
    await startRedisServer(redisPort, dir.dir, [`user ${SENTINEL_USER.join(' ')}`, 'requirepass adminpw']);
    core = await startCoreServer({ settings: { users: [SENTINEL_USER], requirepass: 'adminpw' }, extra: nodeToys });
  });
  afterAll(async () => {
    await core?.close();
    await stopAll();
    dir.cleanup();
  });

  const same = async (input: string): Promise<string> => {
    const i = input + 'QUIT\r\n';
    const [theirs, ours] = await Promise.all([exchange(redisPort, i, { marker: false }), exchange(core.port, i, { marker: false })]);
    expect(ours).toBe(theirs);
    return ours;
  };

  it("what redis-sentinel sends on its links is allowed; anything else is NOPERM with Redis's texts", async () => {
    const out = await same(
      'AUTH sentinel-user pw\r\nCLIENT SETNAME sentinel-73b5440c-cmd\r\nPING\r\n' +
        'MULTI\r\nSLAVEOF NO ONE\r\nCONFIG REWRITE\r\nCLIENT KILL TYPE normal\r\nCLIENT KILL TYPE pubsub\r\nEXEC\r\n' +
        'GET k\r\nSET k v\r\nACL WHOAMI\r\nSUBSCRIBE other\r\nPUBLISH other x\r\nPUBLISH __sentinel__:hello x\r\n',
    );
    expect(out).toContain('+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n*4\r\n+OK\r\n+OK\r\n:0\r\n:0\r\n');
    expect(out).toContain("-NOPERM this user has no permissions to run the 'get' command\r\n");
    expect(out).toContain('-NOPERM this user has no permissions to access one of the channels used as arguments\r\n');
  });

  it('the pub/sub link: subscribe to hello, and messages published to it arrive', async () => {
    const run1 = async (port: number): Promise<string> => {
      const sub = await RawClient.connect(port);
      sub.send('AUTH sentinel-user pw\r\nCLIENT SETNAME sentinel-73b5440c-pubsub\r\nSUBSCRIBE __sentinel__:hello\r\n');
      await sub.until((d) => d.includes(':1\r\n'));
      const pub = await exchange(port, 'AUTH sentinel-user pw\r\nPUBLISH __sentinel__:hello 127.0.0.1,26379,abc,0,mymaster,127.0.0.1,6379,0\r\n');
      expect(pub).toBe('+OK\r\n:1\r\n');
      await sub.until((d) => d.includes('mymaster'));
      sub.close();
      return sub.data;
    };
    const [theirs, ours] = await Promise.all([run1(redisPort), run1(core.port)]);
    expect(ours).toBe(theirs);
  });

  it('wrong password and unknown user', async () => {
    await same('AUTH sentinel-user nope\r\nAUTH ghost pw\r\nAUTH adminpw\r\nACL WHOAMI\r\nHELLO 3 AUTH sentinel-user nope\r\n');
  });

  it('ACL GETUSER shows flags, password digest, channels (commands compared as rebuilt bits)', async () => {
    const [theirs, ours] = await Promise.all([
      exchange(redisPort, 'AUTH adminpw\r\nACL GETUSER sentinel-user\r\n'),
      exchange(core.port, 'AUTH adminpw\r\nACL GETUSER sentinel-user\r\n'),
    ]);
    const cut = (s: string): string => s.replace(/\$\d+\r\n[-+][^\r]*\r\n\$4\r\nkeys/, 'COMMANDS\r\n$4\r\nkeys');
    expect(cut(ours)).toBe(cut(theirs));
  });
});

describe('real clients as the sentinel user', () => {
  let core: CoreServer;
  beforeAll(async () => {
    core = await startCoreServer({ settings: { users: [SENTINEL_USER], requirepass: 'adminpw' }, extra: nodeToys });
  });
  afterAll(async () => {
    await core?.close();
  });

  it('ioredis 6 with username/password (HELLO 3 AUTH, CLIENT SETINFO, INFO ready check)', async () => {
    const c = new Redis({ port: core.port, host: '127.0.0.1', username: 'sentinel-user', password: 'pw', lazyConnect: true });
    await c.connect();
    try {
      expect(await c.ping()).toBe('PONG');
      await expect(c.get('k')).rejects.toThrow("NOPERM this user has no permissions to run the 'get' command");
      const s = [...core.server.clients()].find((x) => x.user === 'sentinel-user' && x.proto === 3);
      expect(s).toBeDefined();
    } finally {
      c.disconnect();
    }
  });

  it('ioredis 6 with the requirepass password only', async () => {
    const c = new Redis({ port: core.port, host: '127.0.0.1', password: 'adminpw', lazyConnect: true });
    await c.connect();
    try {
      expect(await c.set('k', 'v')).toBe('OK');
    } finally {
      c.disconnect();
    }
  });

  it('node-redis 6 with username/password', async () => {
    const c = createClient({ socket: { port: core.port, host: '127.0.0.1', reconnectStrategy: false }, username: 'sentinel-user', password: 'pw' });
    c.on('error', () => {});
    await c.connect();
    try {
      expect(await c.ping()).toBe('PONG');
    } finally {
      await c.close();
    }
  });

  it.skipIf(!has('redis-cli'))('redis-cli --user/--pass', async () => {
    const { stdout } = await run('redis-cli', ['-p', String(core.port), '--user', 'sentinel-user', '--pass', 'pw', '--no-auth-warning', 'ping']);
    expect(stdout).toBe('PONG\n');
  });
});

describe('ACL changes at runtime', () => {
  let core: CoreServer;
  const conns: RawClient[] = [];
  beforeAll(async () => {
    core = await startCoreServer();
  });
  afterEach(() => {
    for (const c of conns.splice(0)) c.close();
  });
  afterAll(async () => {
    await core?.close();
  });
  const connect = async (): Promise<RawClient> => {
    const c = await RawClient.connect(core.port);
    conns.push(c);
    return c;
  };

  it('ACL DELUSER disconnects the clients logged in as that user', async () => {
    expect(await exchange(core.port, 'ACL SETUSER temp on >tpw +@all ~* &*\r\n')).toBe('+OK\r\n');
    const c = await connect();
    c.send('AUTH temp tpw\r\n');
    await c.until((d) => d === '+OK\r\n');
    expect(await exchange(core.port, 'ACL DELUSER temp ghost\r\n')).toBe(':1\r\n');
    await c.closed();
  });

  it('revoking a channel permission drops subscribers of that channel only', async () => {
    await exchange(core.port, 'ACL SETUSER chan on >p +@all ~* resetchannels &a &b\r\n');
    const onA = await connect();
    const onB = await connect();
    onA.send('AUTH chan p\r\nSUBSCRIBE a\r\n');
    onB.send('AUTH chan p\r\nSUBSCRIBE b\r\n');
    await until(() => core.server.pubsub.numsub('a') === 1 && core.server.pubsub.numsub('b') === 1);
    expect(await exchange(core.port, 'ACL SETUSER chan resetchannels &b\r\n')).toBe('+OK\r\n');
    await onA.closed();
    expect(onB.ended).toBe(false);
    expect(await exchange(core.port, 'PUBLISH b hi\r\n')).toBe(':1\r\n');
  });

  it('requirepass changed at runtime applies to new connections; existing ones stay authenticated', async () => {
    const before = await connect();
    core.server.reconfigure({ requirepass: 'later' });
    try {
      before.send('PING\r\n');
      expect(await before.until((d) => d.includes('\r\n'))).toBe('+PONG\r\n');
      expect(await exchange(core.port, 'PING\r\nQUIT\r\n', { marker: false })).toBe('-NOAUTH Authentication required.\r\n+OK\r\n<EOF>');
    } finally {
      core.server.reconfigure({ requirepass: '' });
    }
  });
});

describe.skipIf(missing('redis-server'))('rename-command, vs redis-server', () => {
  let core: CoreServer;
  let redisPort = 0;
  const dir = tempDir();
  beforeAll(async () => {
    redisPort = allocPort();
    await startRedisServer(redisPort, dir.dir, ['rename-command CLIENT myclient', 'rename-command ECHO ""']);
    core = await startCoreServer({ settings: { renameCommand: { client: 'myclient', echo: '' } } });
  });
  afterAll(async () => {
    await core?.close();
    await stopAll();
    dir.cleanup();
  });

  it('the renamed command answers only to its new name; "" removes it; ACL and COMMAND INFO keep the original', async () => {
    const input =
      'client id\r\nmyclient getname\r\nMyClient setname n\r\nmyclient getname\r\necho x\r\nmyclient\r\nmyclient nope\r\n' +
      'acl setuser u +echo +client|kill\r\ncommand info myclient|getname client|getname echo\r\n';
    const [theirs, ours] = await Promise.all([exchange(redisPort, input), exchange(core.port, input)]);
    expect(ours).toBe(theirs);
  });
});
