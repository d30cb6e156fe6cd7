/**
 * Command metadata exactly as Redis 7.0.15 reports it in `COMMAND` (arity, flags, ACL categories, legacy key
 * positions), captured from the real redis-server so COMMAND INFO, arity errors and flag-driven checks
 * (write/denyoom/stale/loading/noscript…) behave the same on tredis. Flags Redis has but the server core does not
 * model (movablekeys, no_async_loading) are omitted.
 *
 * Families build their CommandSpec entries with `spec(name, handler)`; a name missing here is a programming error.
 */
import type { CommandFlag, CommandHandler, CommandSpec } from '../../server/types.js';

interface Meta {
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  readonly categories: readonly string[];
  readonly keys: readonly [number, number, number];
}

function m(arity: number, flags: CommandFlag[], categories: string[], keys: [number, number, number]): Meta {
  return { arity, flags, categories, keys };
}

const TABLE: Readonly<Record<string, Meta>> = {
  'del': m(-2, ['write'], ['keyspace','write','slow'], [1, -1, 1]),
  'unlink': m(-2, ['write','fast'], ['keyspace','write','fast'], [1, -1, 1]),
  'exists': m(-2, ['readonly','fast'], ['keyspace','read','fast'], [1, -1, 1]),
  'type': m(2, ['readonly','fast'], ['keyspace','read','fast'], [1, 1, 1]),
  'rename': m(3, ['write'], ['keyspace','write','slow'], [1, 2, 1]),
  'renamenx': m(3, ['write','fast'], ['keyspace','write','fast'], [1, 2, 1]),
  'copy': m(-3, ['write','denyoom'], ['keyspace','write','slow'], [1, 2, 1]),
  'move': m(3, ['write','fast'], ['keyspace','write','fast'], [1, 1, 1]),
  'keys': m(2, ['readonly'], ['keyspace','read','slow','dangerous'], [0, 0, 0]),
  'scan': m(-2, ['readonly'], ['keyspace','read','slow'], [0, 0, 0]),
  'randomkey': m(1, ['readonly'], ['keyspace','read','slow'], [0, 0, 0]),
  'dbsize': m(1, ['readonly','fast'], ['keyspace','read','fast'], [0, 0, 0]),
  'touch': m(-2, ['readonly','fast'], ['keyspace','read','fast'], [1, -1, 1]),
  'object': m(-2, [], ['slow'], [0, 0, 0]),
  'object|idletime': m(3, ['readonly'], ['keyspace','read','slow'], [2, 2, 1]),
  'object|encoding': m(3, ['readonly'], ['keyspace','read','slow'], [2, 2, 1]),
  'object|help': m(2, ['loading','stale'], ['keyspace','slow'], [0, 0, 0]),
  'object|freq': m(3, ['readonly'], ['keyspace','read','slow'], [2, 2, 1]),
  'object|refcount': m(3, ['readonly'], ['keyspace','read','slow'], [2, 2, 1]),
  'select': m(2, ['loading','stale','fast'], ['fast','connection'], [0, 0, 0]),
  'swapdb': m(3, ['write','fast'], ['keyspace','write','fast','dangerous'], [0, 0, 0]),
  'flushdb': m(-1, ['write'], ['keyspace','write','slow','dangerous'], [0, 0, 0]),
  'flushall': m(-1, ['write'], ['keyspace','write','slow','dangerous'], [0, 0, 0]),
  'expire': m(-3, ['write','fast'], ['keyspace','write','fast'], [1, 1, 1]),
  'pexpire': m(-3, ['write','fast'], ['keyspace','write','fast'], [1, 1, 1]),
  'expireat': m(-3, ['write','fast'], ['keyspace','write','fast'], [1, 1, 1]),
  'pexpireat': m(-3, ['write','fast'], ['keyspace','write','fast'], [1, 1, 1]),
  'ttl': m(2, ['readonly','fast'], ['keyspace','read','fast'], [1, 1, 1]),
  'pttl': m(2, ['readonly','fast'], ['keyspace','read','fast'], [1, 1, 1]),
  'expiretime': m(2, ['readonly','fast'], ['keyspace','read','fast'], [1, 1, 1]),
  'pexpiretime': m(2, ['readonly','fast'], ['keyspace','read','fast'], [1, 1, 1]),
  'persist': m(2, ['write','fast'], ['keyspace','write','fast'], [1, 1, 1]),
  'get': m(2, ['readonly','fast'], ['read','string','fast'], [1, 1, 1]),
  'set': m(-3, ['write','denyoom'], ['write','string','slow'], [1, 1, 1]),
  'setnx': m(3, ['write','denyoom','fast'], ['write','string','fast'], [1, 1, 1]),
  'setex': m(4, ['write','denyoom'], ['write','string','slow'], [1, 1, 1]),
  'psetex': m(4, ['write','denyoom'], ['write','string','slow'], [1, 1, 1]),
  'getset': m(3, ['write','denyoom','fast'], ['write','string','fast'], [1, 1, 1]),
  'getdel': m(2, ['write','fast'], ['write','string','fast'], [1, 1, 1]),
  'getex': m(-2, ['write','fast'], ['write','string','fast'], [1, 1, 1]),
  'mget': m(-2, ['readonly','fast'], ['read','string','fast'], [1, -1, 1]),
  'mset': m(-3, ['write','denyoom'], ['write','string','slow'], [1, -1, 2]),
  'msetnx': m(-3, ['write','denyoom'], ['write','string','slow'], [1, -1, 2]),
  'append': m(3, ['write','denyoom','fast'], ['write','string','fast'], [1, 1, 1]),
  'strlen': m(2, ['readonly','fast'], ['read','string','fast'], [1, 1, 1]),
  'getrange': m(4, ['readonly'], ['read','string','slow'], [1, 1, 1]),
  'substr': m(4, ['readonly'], ['read','string','slow'], [1, 1, 1]),
  'setrange': m(4, ['write','denyoom'], ['write','string','slow'], [1, 1, 1]),
  'incr': m(2, ['write','denyoom','fast'], ['write','string','fast'], [1, 1, 1]),
  'decr': m(2, ['write','denyoom','fast'], ['write','string','fast'], [1, 1, 1]),
  'incrby': m(3, ['write','denyoom','fast'], ['write','string','fast'], [1, 1, 1]),
  'decrby': m(3, ['write','denyoom','fast'], ['write','string','fast'], [1, 1, 1]),
  'incrbyfloat': m(3, ['write','denyoom','fast'], ['write','string','fast'], [1, 1, 1]),
  'hset': m(-4, ['write','denyoom','fast'], ['write','hash','fast'], [1, 1, 1]),
  'hmset': m(-4, ['write','denyoom','fast'], ['write','hash','fast'], [1, 1, 1]),
  'hget': m(3, ['readonly','fast'], ['read','hash','fast'], [1, 1, 1]),
  'hmget': m(-3, ['readonly','fast'], ['read','hash','fast'], [1, 1, 1]),
  'hdel': m(-3, ['write','fast'], ['write','hash','fast'], [1, 1, 1]),
  'hgetall': m(2, ['readonly'], ['read','hash','slow'], [1, 1, 1]),
  'hkeys': m(2, ['readonly'], ['read','hash','slow'], [1, 1, 1]),
  'hvals': m(2, ['readonly'], ['read','hash','slow'], [1, 1, 1]),
  'hlen': m(2, ['readonly','fast'], ['read','hash','fast'], [1, 1, 1]),
  'hexists': m(3, ['readonly','fast'], ['read','hash','fast'], [1, 1, 1]),
  'hincrby': m(4, ['write','denyoom','fast'], ['write','hash','fast'], [1, 1, 1]),
  'hincrbyfloat': m(4, ['write','denyoom','fast'], ['write','hash','fast'], [1, 1, 1]),
  'hsetnx': m(4, ['write','denyoom','fast'], ['write','hash','fast'], [1, 1, 1]),
  'hscan': m(-3, ['readonly'], ['read','hash','slow'], [1, 1, 1]),
  'hstrlen': m(3, ['readonly','fast'], ['read','hash','fast'], [1, 1, 1]),
  'hrandfield': m(-2, ['readonly'], ['read','hash','slow'], [1, 1, 1]),
  'lpush': m(-3, ['write','denyoom','fast'], ['write','list','fast'], [1, 1, 1]),
  'rpush': m(-3, ['write','denyoom','fast'], ['write','list','fast'], [1, 1, 1]),
  'lpushx': m(-3, ['write','denyoom','fast'], ['write','list','fast'], [1, 1, 1]),
  'rpushx': m(-3, ['write','denyoom','fast'], ['write','list','fast'], [1, 1, 1]),
  'lpop': m(-2, ['write','fast'], ['write','list','fast'], [1, 1, 1]),
  'rpop': m(-2, ['write','fast'], ['write','list','fast'], [1, 1, 1]),
  'lrange': m(4, ['readonly'], ['read','list','slow'], [1, 1, 1]),
  'llen': m(2, ['readonly','fast'], ['read','list','fast'], [1, 1, 1]),
  'lindex': m(3, ['readonly'], ['read','list','slow'], [1, 1, 1]),
  'lset': m(4, ['write','denyoom'], ['write','list','slow'], [1, 1, 1]),
  'lrem': m(4, ['write'], ['write','list','slow'], [1, 1, 1]),
  'ltrim': m(4, ['write'], ['write','list','slow'], [1, 1, 1]),
  'linsert': m(5, ['write','denyoom'], ['write','list','slow'], [1, 1, 1]),
  'lpos': m(-3, ['readonly'], ['read','list','slow'], [1, 1, 1]),
  'lmove': m(5, ['write','denyoom'], ['write','list','slow'], [1, 2, 1]),
  'rpoplpush': m(3, ['write','denyoom'], ['write','list','slow'], [1, 2, 1]),
  'blpop': m(-3, ['write','noscript','blocking'], ['write','list','slow','blocking'], [1, -2, 1]),
  'brpop': m(-3, ['write','noscript','blocking'], ['write','list','slow','blocking'], [1, -2, 1]),
  'blmove': m(6, ['write','denyoom','noscript','blocking'], ['write','list','slow','blocking'], [1, 2, 1]),
  'brpoplpush': m(4, ['write','denyoom','noscript','blocking'], ['write','list','slow','blocking'], [1, 2, 1]),
  'lmpop': m(-4, ['write'], ['write','list','slow'], [0, 0, 0]),
  'blmpop': m(-5, ['write','blocking'], ['write','list','slow','blocking'], [0, 0, 0]),
  'sadd': m(-3, ['write','denyoom','fast'], ['write','set','fast'], [1, 1, 1]),
  'srem': m(-3, ['write','fast'], ['write','set','fast'], [1, 1, 1]),
  'smembers': m(2, ['readonly'], ['read','set','slow'], [1, 1, 1]),
  'sismember': m(3, ['readonly','fast'], ['read','set','fast'], [1, 1, 1]),
  'smismember': m(-3, ['readonly','fast'], ['read','set','fast'], [1, 1, 1]),
  'scard': m(2, ['readonly','fast'], ['read','set','fast'], [1, 1, 1]),
  'spop': m(-2, ['write','fast'], ['write','set','fast'], [1, 1, 1]),
  'srandmember': m(-2, ['readonly'], ['read','set','slow'], [1, 1, 1]),
  'sinter': m(-2, ['readonly'], ['read','set','slow'], [1, -1, 1]),
  'sinterstore': m(-3, ['write','denyoom'], ['write','set','slow'], [1, -1, 1]),
  'sintercard': m(-3, ['readonly'], ['read','set','slow'], [0, 0, 0]),
  'sunion': m(-2, ['readonly'], ['read','set','slow'], [1, -1, 1]),
  'sunionstore': m(-3, ['write','denyoom'], ['write','set','slow'], [1, -1, 1]),
  'sdiff': m(-2, ['readonly'], ['read','set','slow'], [1, -1, 1]),
  'sdiffstore': m(-3, ['write','denyoom'], ['write','set','slow'], [1, -1, 1]),
  'smove': m(4, ['write','fast'], ['write','set','fast'], [1, 2, 1]),
  'sscan': m(-3, ['readonly'], ['read','set','slow'], [1, 1, 1]),
  'zadd': m(-4, ['write','denyoom','fast'], ['write','sortedset','fast'], [1, 1, 1]),
  'zrem': m(-3, ['write','fast'], ['write','sortedset','fast'], [1, 1, 1]),
  'zscore': m(3, ['readonly','fast'], ['read','sortedset','fast'], [1, 1, 1]),
  'zmscore': m(-3, ['readonly','fast'], ['read','sortedset','fast'], [1, 1, 1]),
  'zincrby': m(4, ['write','denyoom','fast'], ['write','sortedset','fast'], [1, 1, 1]),
  'zcard': m(2, ['readonly','fast'], ['read','sortedset','fast'], [1, 1, 1]),
  'zcount': m(4, ['readonly','fast'], ['read','sortedset','fast'], [1, 1, 1]),
  'zlexcount': m(4, ['readonly','fast'], ['read','sortedset','fast'], [1, 1, 1]),
  'zrange': m(-4, ['readonly'], ['read','sortedset','slow'], [1, 1, 1]),
  'zrangestore': m(-5, ['write','denyoom'], ['write','sortedset','slow'], [1, 2, 1]),
  'zrangebyscore': m(-4, ['readonly'], ['read','sortedset','slow'], [1, 1, 1]),
  'zrevrangebyscore': m(-4, ['readonly'], ['read','sortedset','slow'], [1, 1, 1]),
  'zrangebylex': m(-4, ['readonly'], ['read','sortedset','slow'], [1, 1, 1]),
  'zrevrangebylex': m(-4, ['readonly'], ['read','sortedset','slow'], [1, 1, 1]),
  'zrevrange': m(-4, ['readonly'], ['read','sortedset','slow'], [1, 1, 1]),
  'zrank': m(3, ['readonly','fast'], ['read','sortedset','fast'], [1, 1, 1]),
  'zrevrank': m(3, ['readonly','fast'], ['read','sortedset','fast'], [1, 1, 1]),
  'zpopmin': m(-2, ['write','fast'], ['write','sortedset','fast'], [1, 1, 1]),
  'zpopmax': m(-2, ['write','fast'], ['write','sortedset','fast'], [1, 1, 1]),
  'bzpopmin': m(-3, ['write','noscript','blocking','fast'], ['write','sortedset','fast','blocking'], [1, -2, 1]),
  'bzpopmax': m(-3, ['write','noscript','blocking','fast'], ['write','sortedset','fast','blocking'], [1, -2, 1]),
  'zmpop': m(-4, ['write'], ['write','sortedset','slow'], [0, 0, 0]),
  'bzmpop': m(-5, ['write','blocking'], ['write','sortedset','slow','blocking'], [0, 0, 0]),
  'zremrangebyrank': m(4, ['write'], ['write','sortedset','slow'], [1, 1, 1]),
  'zremrangebyscore': m(4, ['write'], ['write','sortedset','slow'], [1, 1, 1]),
  'zremrangebylex': m(4, ['write'], ['write','sortedset','slow'], [1, 1, 1]),
  'zscan': m(-3, ['readonly'], ['read','sortedset','slow'], [1, 1, 1]),
  'zrandmember': m(-2, ['readonly'], ['read','sortedset','slow'], [1, 1, 1]),
  'zunionstore': m(-4, ['write','denyoom'], ['write','sortedset','slow'], [1, 1, 1]),
  'zinterstore': m(-4, ['write','denyoom'], ['write','sortedset','slow'], [1, 1, 1]),
  'zdiffstore': m(-4, ['write','denyoom'], ['write','sortedset','slow'], [1, 1, 1]),
  'zunion': m(-3, ['readonly'], ['read','sortedset','slow'], [0, 0, 0]),
  'zinter': m(-3, ['readonly'], ['read','sortedset','slow'], [0, 0, 0]),
  'zdiff': m(-3, ['readonly'], ['read','sortedset','slow'], [0, 0, 0]),
  'zintercard': m(-3, ['readonly'], ['read','sortedset','slow'], [0, 0, 0]),
  'multi': m(1, ['noscript','loading','stale','fast','allow_busy'], ['fast','transaction'], [0, 0, 0]),
  'exec': m(1, ['noscript','loading','stale','skip_slowlog'], ['slow','transaction'], [0, 0, 0]),
  'discard': m(1, ['noscript','loading','stale','fast','allow_busy'], ['fast','transaction'], [0, 0, 0]),
  'watch': m(-2, ['noscript','loading','stale','fast','allow_busy'], ['fast','transaction'], [1, -1, 1]),
  'unwatch': m(1, ['noscript','loading','stale','fast','allow_busy'], ['fast','transaction'], [0, 0, 0]),
  'info': m(-1, ['loading','stale'], ['slow','dangerous'], [0, 0, 0]),
  'config': m(-2, [], ['slow'], [0, 0, 0]),
  'config|rewrite': m(2, ['admin','noscript','loading','stale'], ['admin','slow','dangerous'], [0, 0, 0]),
  'config|resetstat': m(2, ['admin','noscript','loading','stale'], ['admin','slow','dangerous'], [0, 0, 0]),
  'config|get': m(-3, ['admin','noscript','loading','stale'], ['admin','slow','dangerous'], [0, 0, 0]),
  'config|help': m(2, ['loading','stale'], ['slow'], [0, 0, 0]),
  'config|set': m(-4, ['admin','noscript','loading','stale'], ['admin','slow','dangerous'], [0, 0, 0]),
  'time': m(1, ['loading','stale','fast'], ['fast'], [0, 0, 0]),
  'lastsave': m(1, ['loading','stale','fast'], ['admin','fast','dangerous'], [0, 0, 0]),
  'debug': m(-2, ['admin','noscript','loading','stale'], ['admin','slow','dangerous'], [0, 0, 0]),
  'script': m(-2, [], ['slow'], [0, 0, 0]),
  'script|flush': m(-2, ['noscript'], ['slow','scripting'], [0, 0, 0]),
  'script|help': m(2, ['loading','stale'], ['slow','scripting'], [0, 0, 0]),
  'script|debug': m(3, ['noscript'], ['slow','scripting'], [0, 0, 0]),
  'script|exists': m(-3, ['noscript'], ['slow','scripting'], [0, 0, 0]),
  'script|kill': m(2, ['noscript','allow_busy'], ['slow','scripting'], [0, 0, 0]),
  'script|load': m(3, ['noscript','stale'], ['slow','scripting'], [0, 0, 0]),
  'shutdown': m(-1, ['admin','noscript','loading','stale','no_multi','allow_busy'], ['admin','slow','dangerous'], [0, 0, 0]),
  'monitor': m(1, ['admin','noscript','loading','stale'], ['admin','slow','dangerous'], [0, 0, 0]),
};

/** Metadata for `name` (`config|get` for a subcommand). */
export function meta(name: string): Meta {
  const e = TABLE[name];
  if (e === undefined) throw new Error(`no Redis 7.0 metadata for command '${name}'`);
  return e;
}

/** A CommandSpec for a plain command or a subcommand (`config|get` → name `get`). */
export function spec(fullName: string, handler: CommandHandler): CommandSpec {
  const e = meta(fullName);
  const bar = fullName.indexOf('|');
  return {
    name: bar < 0 ? fullName : fullName.slice(bar + 1),
    arity: e.arity,
    flags: e.flags,
    categories: e.categories,
    keys: e.keys[0] === 0 ? undefined : { first: e.keys[0], last: e.keys[1], step: e.keys[2] },
    handler,
  };
}

/** A container command (OBJECT, CONFIG, SCRIPT…) dispatching on args[1] to its subcommands. */
export function container(name: string, subcommands: CommandSpec[]): CommandSpec {
  const e = meta(name);
  return { name, arity: e.arity, flags: e.flags, categories: e.categories, subcommands };
}
