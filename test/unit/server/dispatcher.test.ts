import { describe, expect, it } from 'vitest';
import { CoreHarness } from './harness.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('dispatcher: existence, arity and errors (processCommand order)', () => {
  it('unknown command lists the first arguments, quoted, each followed by a space', async () => {
    const c = new CoreHarness().client();
    expect(await c.run('foo', 'a', 'b')).toBe("-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n");
    expect(await c.run('foo')).toBe("-ERR unknown command 'foo', with args beginning with: \r\n");
  });

  it('unknown command text is cut near 128 bytes of arguments and never carries CR/LF', async () => {
    const c = new CoreHarness().client();
    const long = 'x'.repeat(200);
    const r = await c.run('nope\r\nX', long, 'more');
    expect(r).toBe(`-ERR unknown command 'nope  X', with args beginning with: '${'x'.repeat(128)}' \r\n`);
  });

  it('unknown subcommand names the container in upper case as typed', async () => {
    const c = new CoreHarness().client();
    expect(await c.run('Client', 'bogus')).toBe("-ERR unknown subcommand 'bogus'. Try CLIENT HELP.\r\n");
  });

  it('arity errors use the full command name', async () => {
    const c = new CoreHarness().client();
    expect(await c.run('client')).toBe("-ERR wrong number of arguments for 'client' command\r\n");
    expect(await c.run('client', 'kill')).toBe("-ERR wrong number of arguments for 'client|kill' command\r\n");
    expect(await c.run('GET')).toBe("-ERR wrong number of arguments for 'get' command\r\n");
  });

  it('command names are case-insensitive, in any mix', async () => {
    const c = new CoreHarness().client();
    expect(await c.run('PING')).toBe('+PONG\r\n');
    expect(await c.run('pInG')).toBe('+PONG\r\n');
    expect(await c.run('CLIENT', 'GetName')).toBe('$-1\r\n');
  });

  it('QUIT answers +OK before any check and closes', async () => {
    const h = new CoreHarness({ settings: { requirepass: 'pw' } });
    const c = h.client();
    expect(await c.run('quit', 'extra')).toBe('+OK\r\n');
    expect(c.session.closing).toBe(true);
  });
});

describe('dispatcher: authentication', () => {
  it('NOAUTH for everything but no_auth commands until AUTH succeeds', async () => {
    const h = new CoreHarness({ settings: { requirepass: 'secret' } });
    const c = h.client();
    expect(await c.run('ping')).toBe('-NOAUTH Authentication required.\r\n');
    // existence and arity come before authentication
    expect(await c.run('nosuch')).toBe("-ERR unknown command 'nosuch', with args beginning with: \r\n");
    expect(await c.run('auth', 'wrong')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(await c.run('auth', 'default', 'wrong')).toBe('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    expect(await c.run('auth', 'secret')).toBe('+OK\r\n');
    expect(await c.run('ping')).toBe('+PONG\r\n');
  });

  it('AUTH <password> without a configured password has its own error', async () => {
    const c = new CoreHarness().client();
    expect(await c.run('auth', 'x')).toBe(
      '-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n',
    );
    expect(await c.run('auth', 'a', 'b', 'c')).toBe('-ERR syntax error\r\n');
  });

  it('HELLO AUTH authenticates and switches protocol in one step; HELLO without auth is refused', async () => {
    const h = new CoreHarness({ settings: { requirepass: 'pw' } });
    const c = h.client();
    expect(await c.run('hello', '3')).toMatch(/^-NOAUTH HELLO must be called with the client already authenticated/);
    const r = await c.run('hello', '3', 'auth', 'default', 'pw', 'setname', 'me');
    expect(r.startsWith('%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n')).toBe(true);
    expect(c.session.proto).toBe(3);
    expect(c.session.name).toBe('me');
  });

  it('removing requirepass at runtime lets old unauthenticated clients in (authRequired is live)', async () => {
    const h = new CoreHarness({ settings: { requirepass: 'pw' } });
    const c = h.client();
    expect(await c.run('ping')).toBe('-NOAUTH Authentication required.\r\n');
    h.server.reconfigure({ requirepass: '' });
    expect(await c.run('ping')).toBe('+PONG\r\n');
  });
});

describe('dispatcher: ACL', () => {
  it('NOPERM texts for commands, keys and channels', async () => {
    const h = new CoreHarness({
      settings: { users: [['u', 'on', '>p', '+get', '+set', '+publish', '+subscribe', '~k*', '&news']] },
    });
    const c = h.client();
    expect(await c.run('auth', 'u', 'p')).toBe('+OK\r\n');
    expect(await c.run('ping')).toBe("-NOPERM this user has no permissions to run the 'ping' command\r\n");
    expect(await c.run('client', 'id')).toBe("-NOPERM this user has no permissions to run the 'client|id' command\r\n");
    expect(await c.run('get', 'other')).toBe('-NOPERM this user has no permissions to access one of the keys used as arguments\r\n');
    expect(await c.run('get', 'key')).toBe('$-1\r\n');
    expect(await c.run('publish', 'sports', 'x')).toBe(
      '-NOPERM this user has no permissions to access one of the channels used as arguments\r\n',
    );
    expect(await c.run('publish', 'news', 'x')).toBe(':0\r\n');
    // AUTH/HELLO are always allowed
    expect(await c.run('auth', 'u', 'p')).toBe('+OK\r\n');
  });

  it('rejected calls are counted per command and in errorstats', async () => {
    const h = new CoreHarness({ settings: { users: [['u', 'on', 'nopass', '+get']] } });
    const c = h.client();
    await c.run('auth', 'u', 'x');
    await c.run('set', 'a', 'b');
    expect(h.server.registry.lookup('set')!.stats.rejectedCalls).toBe(1);
    expect(h.server.stats.errorStats().get('NOPERM')).toBe(1);
  });
});

describe('dispatcher: RESP2 subscribed mode', () => {
  it('allows only (P)(UN)SUBSCRIBE, PING, QUIT, RESET; PING answers an array', async () => {
    const c = new CoreHarness().client();
    await c.run('subscribe', 'ch');
    expect(await c.run('get', 'x')).toBe(
      "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n",
    );
    expect(await c.run('client', 'list')).toMatch(/^-ERR Can't execute 'client\|list'/);
    expect(await c.run('ping')).toBe('*2\r\n$4\r\npong\r\n$0\r\n\r\n');
    expect(await c.run('ping', 'hi')).toBe('*2\r\n$4\r\npong\r\n$2\r\nhi\r\n');
    expect(await c.run('psubscribe', 'p*')).toBe('*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:2\r\n');
    expect(await c.run('reset')).toBe('+RESET\r\n');
    expect(await c.run('get', 'x')).toBe('$-1\r\n');
  });

  it('RESP3 clients may run anything while subscribed', async () => {
    const c = new CoreHarness().client();
    await c.run('hello', '3');
    expect(await c.run('subscribe', 'ch')).toBe('>3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n');
    expect(await c.run('get', 'x')).toBe('_\r\n');
    expect(await c.run('ping')).toBe('+PONG\r\n');
  });
});

describe('dispatcher: MULTI queueing', () => {
  it('queues commands and runs them through EXEC', async () => {
    const c = new CoreHarness().client();
    expect(await c.run('multi')).toBe('+OK\r\n');
    expect(await c.run('set', 'a', '1')).toBe('+QUEUED\r\n');
    expect(await c.run('get', 'a')).toBe('+QUEUED\r\n');
    expect(c.session.multiQueue.map((q) => q.fullName)).toEqual(['set', 'get']);
    expect(await c.run('exec')).toBe('*2\r\n+OK\r\n$1\r\n1\r\n');
  });

  it('unknown commands, arity and NOPERM inside MULTI flag the transaction (EXECABORT)', async () => {
    const c = new CoreHarness().client();
    await c.run('multi');
    expect(await c.run('nosuch')).toMatch(/^-ERR unknown command/);
    expect(c.session.multiDirty).toBe(true);
    expect(await c.run('set', 'a', '1')).toBe('+QUEUED\r\n');
    expect(await c.run('exec')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
  });

  it('a rejected EXEC discards the transaction with the reason', async () => {
    const h = new CoreHarness({ settings: { users: [['u', 'on', 'nopass', '+multi', '+set']] } });
    const c = h.client();
    await c.run('auth', 'u', 'x');
    await c.run('multi');
    await c.run('set', 'a', '1');
    expect(await c.run('exec')).toBe(
      "-EXECABORT Transaction discarded because of: NOPERM this user has no permissions to run the 'exec' command\r\n",
    );
    expect(c.session.inMulti).toBe(false);
    expect(c.session.multiQueue).toEqual([]);
  });

  it('application guards run before queueing and flag the transaction', async () => {
    const h = new CoreHarness({
      hooks: { guardWrites: (ctx) => (ctx.command.flags.includes('write') ? "READONLY You can't write against a read only replica." : null) },
    });
    const c = h.client();
    await c.run('multi');
    expect(await c.run('set', 'a', '1')).toBe("-READONLY You can't write against a read only replica.\r\n");
    expect(await c.run('get', 'a')).toBe('+QUEUED\r\n');
    expect(await c.run('exec')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
  });

  it('no_multi commands are refused inside MULTI; MULTI itself is not queued', async () => {
    const h = new CoreHarness({
      extra: () => [{ name: 'sync', arity: 1, flags: ['admin', 'noscript', 'no_multi'], categories: [], handler: (ctx) => ctx.reply.ok() }],
    });
    const c = h.client();
    await c.run('multi');
    expect(await c.run('sync')).toBe('-ERR Command not allowed inside a transaction\r\n');
    expect(await c.run('multi')).toBe('-ERR MULTI calls can not be nested\r\n');
    expect(await c.run('exec')).toBe('-EXECABORT Transaction discarded because of previous errors.\r\n');
  });
});

describe('dispatcher: hooks and statistics', () => {
  it('guardWrites runs before the subscribed-mode check, guardState after it', async () => {
    const seen: string[] = [];
    const h = new CoreHarness({
      hooks: {
        guardWrites: () => {
          seen.push('writes');
          return null;
        },
        guardState: (ctx) => {
          seen.push('state');
          return ctx.command.name === 'ping' ? 'LOADING Redis is loading the dataset in memory' : null;
        },
      },
    });
    const c = h.client();
    await c.run('subscribe', 'x');
    seen.length = 0;
    expect(await c.run('get', 'k')).toMatch(/^-ERR Can't execute 'get'/);
    expect(seen).toEqual(['writes']);
    seen.length = 0;
    expect(await c.run('ping')).toBe('-LOADING Redis is loading the dataset in memory\r\n');
    expect(seen).toEqual(['writes', 'state']);
  });

  it('execute wraps every call, including queued commands run by EXEC', async () => {
    const calls: string[] = [];
    const h = new CoreHarness({
      hooks: {
        execute: (ctx, _args, run) => {
          calls.push(ctx.fullName ?? '?');
          return run();
        },
      },
    });
    const c = h.client();
    await c.run('multi');
    await c.run('set', 'a', '1');
    await c.run('exec');
    expect(calls).toEqual(['multi', 'exec', 'set']);
  });

  it('counts calls, failed calls and error codes; total_commands_processed skips rejected commands', async () => {
    const h = new CoreHarness();
    const c = h.client();
    await c.run('ping');
    await c.run('client', 'setname', 'bad name');
    await c.run('nosuch');
    const st = h.server.stats;
    expect(h.server.registry.lookup('ping')!.stats.calls).toBe(1);
    const setname = h.server.registry.lookupFullName('client|setname')!;
    expect(setname.stats.calls).toBe(1);
    expect(setname.stats.failedCalls).toBe(1);
    expect(st.totalCommandsProcessed).toBe(2);
    expect(st.errorStats().get('ERR')).toBe(2);
    expect(st.totalErrorReplies).toBe(2);
  });

  it('a handler that throws answers an error and the session lives on', async () => {
    const h = new CoreHarness({
      extra: () => [
        {
          name: 'boom',
          arity: 1,
          flags: [],
          categories: [],
          handler: (ctx) => {
            ctx.reply.array(3); // partial reply must be discarded
            throw new Error('kaboom');
          },
        },
      ],
    });
    const c = h.client();
    expect(await c.run('boom')).toMatch(/^-ERR internal error/);
    expect(await c.run('ping')).toBe('+PONG\r\n');
  });
});

describe('dispatcher: blocking commands and pause', () => {
  it('an async handler blocks the client (flags=b) until it settles; CLIENT UNBLOCK ends it', async () => {
    const h = new CoreHarness();
    const a = h.client();
    const b = h.client();
    const pending = a.run('blockwait', '60000');
    await tick();
    expect(a.session.blocked).toBe(true);
    expect(h.server.blockedClients).toBe(1);
    expect(await b.run('client', 'list', 'id', String(a.session.id))).toMatch(/ flags=b /);
    expect(await b.run('client', 'unblock', String(a.session.id), 'error')).toBe(':1\r\n');
    expect(await pending).toBe('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    expect(a.session.blocked).toBe(false);
    expect(h.server.blockedClients).toBe(0);
    expect(await b.run('client', 'unblock', String(a.session.id))).toBe(':0\r\n');
  });

  it('CLIENT PAUSE WRITE postpones writes (not reads) until CLIENT UNPAUSE, then runs them', async () => {
    const h = new CoreHarness();
    const admin = h.client();
    const c = h.client();
    expect(await admin.run('client', 'pause', '100000', 'write')).toBe('+OK\r\n');
    expect(await c.run('get', 'a')).toBe('$-1\r\n');
    const write = c.run('set', 'a', '1');
    await tick();
    expect(c.session.blocked).toBe(true);
    expect(h.data.has('a')).toBe(false);
    expect(await admin.run('client', 'unpause')).toBe('+OK\r\n');
    expect(await write).toBe('+OK\r\n');
    expect(h.data.get('a')).toBe('1');
  });

  it('a pause ends by itself when its time is up', async () => {
    const h = new CoreHarness();
    const admin = h.client();
    const c = h.client();
    await admin.run('client', 'pause', '50', 'all');
    const p = c.run('ping');
    await tick();
    expect(c.session.blocked).toBe(true);
    h.clock.advance(60);
    h.server.cronTick();
    expect(await p).toBe('+PONG\r\n');
  });

  it('replicas and the master link are never paused', async () => {
    const h = new CoreHarness();
    const admin = h.client();
    const replica = h.client();
    replica.session.kind = 'replica';
    await admin.run('client', 'pause', '100000', 'all');
    expect(await replica.run('ping')).toBe('+PONG\r\n');
    // under ALL even CLIENT UNPAUSE from a normal client waits (as in Redis 7.0.15); lift it from the server
    const unpause = admin.run('client', 'unpause');
    await tick();
    expect(admin.session.blocked).toBe(true);
    h.server.unpauseClients('client-pause');
    expect(await unpause).toBe('+OK\r\n');
  });
});

describe('connection commands', () => {
  it('CLIENT REPLY OFF / SKIP suppress replies', async () => {
    const c = new CoreHarness().client();
    expect(await c.run('client', 'reply', 'off')).toBe('');
    expect(await c.run('ping')).toBe('');
    expect(await c.run('client', 'reply', 'on')).toBe('+OK\r\n');
    expect(await c.run('client', 'reply', 'skip')).toBe('');
    expect(await c.run('ping')).toBe('');
    expect(await c.run('ping')).toBe('+PONG\r\n');
  });

  it('RESET restores a fresh connection', async () => {
    const h = new CoreHarness({ settings: { requirepass: 'pw' } });
    const c = h.client();
    await c.run('hello', '3', 'auth', 'default', 'pw', 'setname', 'n');
    await c.run('subscribe', 'a');
    c.session.db = 5;
    expect(await c.run('reset')).toBe('+RESET\r\n');
    expect(c.session.proto).toBe(2);
    expect(c.session.db).toBe(0);
    expect(c.session.name).toBe('');
    expect(c.session.channels.size).toBe(0);
    expect(c.session.authenticated).toBe(false);
    expect(await c.run('ping')).toBe('-NOAUTH Authentication required.\r\n');
  });

  it('HELLO in sentinel mode has no role field', async () => {
    const c = new CoreHarness({ mode: 'sentinel' }).client();
    const r = await c.run('hello', '3');
    expect(r.startsWith('%6\r\n')).toBe(true);
    expect(r).toContain('$4\r\nmode\r\n$8\r\nsentinel\r\n');
    expect(r).not.toContain('role');
  });

  it('CLIENT KILL TYPE normal skips the caller and never touches replica or master links', async () => {
    const h = new CoreHarness();
    const caller = h.client('127.0.0.1:1');
    const other = h.client('127.0.0.1:2');
    const sub = h.client('127.0.0.1:3');
    const replica = h.client('127.0.0.1:4');
    replica.session.kind = 'replica';
    await sub.run('subscribe', 'x');
    expect(await caller.run('client', 'kill', 'type', 'normal')).toBe(':1\r\n');
    expect(other.session.closed).toBe(true);
    expect(caller.session.closed).toBe(false);
    expect(await caller.run('client', 'kill', 'type', 'pubsub')).toBe(':1\r\n');
    expect(sub.session.closed).toBe(true);
    expect(replica.session.closed).toBe(false);
    expect(await caller.run('client', 'kill', '127.0.0.1:99')).toBe('-ERR No such client\r\n');
    expect(await caller.run('client', 'kill', '127.0.0.1:1')).toBe('+OK\r\n');
    expect(caller.session.closing).toBe(true);
  });
});

describe('rename-command', () => {
  it('renamed commands exist only under the new name; renamed to "" disables', async () => {
    const h = new CoreHarness({ settings: { renameCommand: { client: 'myclient', echo: '' } } });
    const c = h.client();
    expect(await c.run('client', 'id')).toMatch(/^-ERR unknown command 'client'/);
    expect(await c.run('myclient', 'id')).toMatch(/^:\d+\r\n$/);
    expect(await c.run('MYCLIENT', 'nope')).toBe("-ERR unknown subcommand 'nope'. Try MYCLIENT HELP.\r\n");
    expect(await c.run('echo', 'x')).toMatch(/^-ERR unknown command 'echo'/);
    // arity errors keep the original name, as Redis's c->cmd->fullname does
    expect(await c.run('myclient')).toBe("-ERR wrong number of arguments for 'client' command\r\n");
  });
});

describe('runtime reconfiguration of users', () => {
  it('connected clients see changed rules; clients of removed users are disconnected', async () => {
    const h = new CoreHarness({ settings: { users: [['u', 'on', 'nopass', '+@all', '~*']] } });
    const c = h.client();
    expect(await c.run('auth', 'u', 'x')).toBe('+OK\r\n');
    expect(await c.run('get', 'k')).toBe('$-1\r\n');
    h.server.reconfigure({ users: [['u', 'on', 'nopass', '+ping']] });
    expect(await c.run('get', 'k')).toBe("-NOPERM this user has no permissions to run the 'get' command\r\n");
    expect(await c.run('ping')).toBe('+PONG\r\n');
    h.server.reconfigure({ users: [] });
    expect(c.session.closed).toBe(true);
  });
});
