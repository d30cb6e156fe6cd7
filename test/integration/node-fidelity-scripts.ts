/**
 * Command scripts for the fidelity comparison (node-fidelity.test.ts). Each line is one command in redis-cli
 * syntax (sdssplitargs). Prefixes choose the comparison: none = exact bytes, `sorted:` = array elements in any
 * order, `pairs:` = field/value pairs in any order, `shape:` = reply type and array length only (random picks).
 */
export interface Step {
  readonly cmd: string;
  readonly mode: 'exact' | 'sorted' | 'pairs' | 'shape';
}

function script(lines: string): Step[] {
  return lines
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const m = /^(sorted|pairs|shape):\s*(.*)$/.exec(l);
      return m === null ? { cmd: l, mode: 'exact' as const } : { cmd: m[2]!, mode: m[1] as Step['mode'] };
    });
}

export const SCRIPTS: Record<string, Step[]> = {
  'strings: GET/SET and options': script(`
    GET nokey
    SET k v
    GET k
    SET k v2 NX
    SET k v3 XX
    GET k
    SET k2 v XX
    SET k2 v NX
    SET k v GET
    SET k4 v GET
    SET k v NX GET
    SET k x NX XX
    SET k x XX NX
    SET k x EX
    SET k x EX 10 PX 100
    SET k x EX 0
    SET k x EX -1
    SET k x EX abc
    SET k x PX 0
    SET k x EX 9223372036854775807
    SET k x PX 9223372036854775807
    SET k x EXAT 9223372036854775807
    SET k x KEEPTTL EX 10
    SET k x EX 10 KEEPTTL
    SET k x PERSIST
    SET k x FOO
    SET k x EX 100
    TTL k
    SET k y KEEPTTL
    TTL k
    SET k z
    TTL k
    SET k x EX 10 EX 20
    TTL k
    SET k x px 5000 get
    SET k x nx
    set K lower
    GET K
    SETNX k y
    SETNX newk y
    SETEX k 100 v
    TTL k
    SETEX k 0 v
    SETEX k -5 v
    SETEX k abc v
    PSETEX k 100000 v
    PSETEX k 0 v
    GETSET k newv
    GETSET nokey2 v
    GETDEL k
    GETDEL k
    GET k
    LPUSH list a
    GET list
    SET list x GET
    GETSET list x
    GETDEL list
    SET list2 v
    GET list2
  `),
  'strings: GETEX': script(`
    SET k v
    GETEX k
    GETEX k EX 100
    TTL k
    GETEX k PERSIST
    TTL k
    GETEX k PX 100000
    GETEX k EXAT 9999999999
    shape: TTL k
    GETEX k PXAT 9999999999000
    GETEX k EX 10 PX 10
    GETEX k PERSIST EX 10
    GETEX k NX
    GETEX k EX
    GETEX k EX 0
    GETEX k EX abc
    GETEX nokey EX 10
    GETEX k EXAT 1
    EXISTS k
    LPUSH l a
    GETEX l
  `),
  'strings: MGET/MSET/APPEND/STRLEN/ranges': script(`
    MSET a 1 b 2 c 3
    MGET a b c d
    MSET a
    MSET a 1 b
    MSETNX a 1 z 2
    MSETNX y 1 z 2
    MGET y z
    LPUSH l x
    MGET a l
    APPEND a 23
    GET a
    APPEND newkey hello
    STRLEN newkey
    STRLEN nokey
    STRLEN l
    APPEND l x
    SET s "Hello World"
    GETRANGE s 0 4
    GETRANGE s -5 -1
    GETRANGE s 5 2
    GETRANGE s -1 -5
    GETRANGE s 0 100
    GETRANGE s 100 200
    GETRANGE s -100 -50
    GETRANGE s -100 2
    GETRANGE s a 1
    GETRANGE nokey 0 -1
    GETRANGE l 0 1
    SUBSTR s 0 2
    SETRANGE s 6 Redis
    GET s
    SETRANGE s 20 X
    GET s
    SETRANGE s -1 X
    SETRANGE s abc X
    SETRANGE s 0 ""
    SETRANGE nokey 0 ""
    SETRANGE newr 3 abc
    GET newr
    SETRANGE l 0 x
    SETRANGE s 536870912 x
    SET e ""
    GETRANGE e 0 -1
    STRLEN e
  `),
  'strings: counters': script(`
    INCR c
    INCR c
    DECR c
    INCRBY c 10
    DECRBY c 5
    INCRBY c -20
    GET c
    INCRBY c abc
    INCRBY c 1.5
    INCRBY c +1
    INCRBY c 01
    INCRBY c " 1"
    INCRBY c 9223372036854775807
    SET c 9223372036854775806
    INCR c
    INCR c
    SET c -9223372036854775807
    DECR c
    DECR c
    DECRBY c -9223372036854775808
    SET c 5
    DECRBY c -9223372036854775808
    INCRBY c 9223372036854775808
    SET c abc
    INCR c
    SET c " 5"
    INCR c
    SET c 1.5
    INCR c
    SET c 123456789012345678
    INCRBY c 1000
    SET c -0
    INCR c
    SET c 007
    INCR c
    LPUSH l a
    INCR l
    INCRBYFLOAT l 1
    SET f 10.5
    INCRBYFLOAT f 0.1
    INCRBYFLOAT f -5.6
    INCRBYFLOAT f 1e3
    INCRBYFLOAT f abc
    INCRBYFLOAT f inf
    INCRBYFLOAT f nan
    INCRBYFLOAT f " 1"
    INCRBYFLOAT newf 3
    INCRBYFLOAT newf 0x10
    INCRBYFLOAT newf 1.0e-3
    SET f abc
    INCRBYFLOAT f 1
    SET f 5
    EXPIRE f 100
    INCRBYFLOAT f 1
    TTL f
    INCR f
  `),
  'keys: DEL/EXISTS/TYPE/RENAME/COPY/MOVE/SELECT/SWAPDB/FLUSH': script(`
    MSET a 1 b 2 c 3
    DEL a b nokey
    DEL a
    EXISTS c c nokey
    TYPE c
    TYPE nokey
    LPUSH l x
    TYPE l
    SADD s x
    TYPE s
    ZADD z 1 x
    TYPE z
    HSET h f v
    TYPE h
    RENAME c c2
    GET c2
    RENAME nokey x
    RENAME c2 c2
    RENAME nokey nokey
    RENAMENX c2 l
    RENAMENX c2 c3
    RENAMENX c3 c3
    RENAME l h
    TYPE h
    EXPIRE c3 100
    RENAME c3 c4
    TTL c4
    COPY c4 c5
    TTL c5
    COPY c4 c5
    COPY c4 c5 REPLACE
    COPY c4 c4
    COPY c4 c4 DB 1
    COPY c4 c6 DB 16
    COPY c4 c6 DB -1
    COPY c4 c6 DB abc
    COPY c4 c6 DB
    COPY c4 c6 FOO
    COPY nokey c7
    COPY h h2
    HGETALL h2
    COPY s s2
    SMEMBERS s2
    COPY z z2
    ZRANGE z2 0 -1 WITHSCORES
    MOVE c4 1
    MOVE c4 1
    MOVE c5 0
    MOVE c5 16
    MOVE c5 abc
    MOVE nokey 1
    SELECT 1
    GET c4
    TTL c4
    GET c4x
    SELECT 16
    SELECT -1
    SELECT abc
    SELECT 0
    SET k0 v0
    SWAPDB 0 1
    GET k0
    GET c4
    SWAPDB 0 16
    SWAPDB abc 1
    SWAPDB 0 abc
    SWAPDB 0 0
    SWAPDB 1 0
    DBSIZE
    TOUCH k0 nokey s
    UNLINK k0 s nokey
    FLUSHDB FOO
    FLUSHDB ASYNC SYNC
    FLUSHDB sync
    DBSIZE
    SET x 1
    FLUSHALL async
    DBSIZE
    FLUSHALL
    RANDOMKEY
    SET only 1
    RANDOMKEY
  `),
  'keys: KEYS/SCAN/OBJECT': script(`
    MSET user:1 a user:2 b user:3 c other d
    sorted: KEYS *
    sorted: KEYS user:*
    sorted: KEYS user:[12]
    KEYS nomatch*
    sorted: KEYS *er*
    SCAN abc
    SCAN -1x
    SCAN 0 COUNT 0
    SCAN 0 COUNT abc
    SCAN 0 COUNT
    SCAN 0 MATCH
    SCAN 0 FOO bar
    SCAN 0 TYPE
    HSCAN nokey 0
    HSCAN nokey 0 FOO
    HSET h a 1 b 2 c 3
    HSCAN h 0
    HSCAN h 0 MATCH a*
    HSCAN h 0 TYPE string
    HSCAN h abc
    SADD is 5 3 10 -1
    SSCAN is 0
    SADD ss b a c
    sorted: SMEMBERS ss
    ZADD z 2 b 1 a 3 c
    ZSCAN z 0
    ZSCAN z 0 MATCH b
    ZADD zf 1.5 x -0.25 y inf z
    ZSCAN zf 0
    SET n 12345
    OBJECT ENCODING n
    SET n 123456789012345678901
    OBJECT ENCODING n
    SET n abc
    OBJECT ENCODING n
    SET n aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    OBJECT ENCODING n
    SET n ab
    APPEND n c
    OBJECT ENCODING n
    SET n 10
    INCRBYFLOAT n 1.5
    OBJECT ENCODING n
    INCR m
    OBJECT ENCODING m
    SETRANGE r 2 x
    OBJECT ENCODING r
    OBJECT ENCODING h
    OBJECT ENCODING is
    OBJECT ENCODING ss
    OBJECT ENCODING z
    LPUSH l a
    OBJECT ENCODING l
    OBJECT ENCODING nokey
    OBJECT REFCOUNT nokey
    OBJECT REFCOUNT m
    OBJECT REFCOUNT ss
    OBJECT FREQ ss
    OBJECT FREQ nokey
    OBJECT HELP
    OBJECT FOO
    OBJECT ENCODING
    HSET big f aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    OBJECT ENCODING big
    HDEL big f
    HSET big f v g w
    HDEL big f
    OBJECT ENCODING big
    SADD is notint
    OBJECT ENCODING is
    SREM is notint
    OBJECT ENCODING is
    ZADD bigz 1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    OBJECT ENCODING bigz
  `),
  'expiry': script(`
    SET k v
    EXPIRE k 100
    TTL k
    shape: PTTL k
    EXPIRE k 100 NX
    EXPIRE k 200 XX
    TTL k
    EXPIRE k 50 GT
    EXPIRE k 500 GT
    TTL k
    EXPIRE k 600 LT
    EXPIRE k 60 LT
    TTL k
    EXPIRE k 10 NX XX
    EXPIRE k 10 GT LT
    EXPIRE k 10 NX GT
    EXPIRE k 10 FOO
    EXPIRE k abc
    EXPIRE k 10 xx xx
    EXPIRE nokey 10
    EXPIRE k 9223372036854775807
    EXPIRE k -9223372036854775807
    PEXPIRE k 9223372036854775807
    EXPIREAT k 9223372036854775807
    PERSIST k
    PERSIST k
    PERSIST nokey
    TTL k
    TTL nokey
    PTTL nokey
    EXPIRETIME k
    EXPIRETIME nokey
    PEXPIREAT k 33177600000000
    PEXPIRETIME k
    EXPIRETIME k
    EXPIREAT k 33177600000
    EXPIRETIME k
    SET k2 v
    EXPIRE k2 60 GT
    EXPIRE k2 60 LT
    TTL k2
    SET k3 v
    EXPIRE k3 -1
    EXISTS k3
    SET k4 v
    PEXPIRE k4 0
    EXISTS k4
    SET k5 v
    EXPIREAT k5 1
    GET k5
    SET k6 v
    EXPIRE k6 100 XX
    TTL k6
  `),
  'hashes': script(`
    HSET h a 1 b 2
    HSET h a 10 c 3
    HSET h a
    HSET h a 1 b
    HMSET h d 4
    HMSET h d
    HGET h a
    HGET h nofield
    HGET nokey a
    HMGET h a nofield b
    HMGET nokey a b
    pairs: HGETALL h
    HGETALL nokey
    HKEYS h
    HVALS h
    HKEYS nokey
    HLEN h
    HLEN nokey
    HEXISTS h a
    HEXISTS h zz
    HSTRLEN h a
    HSTRLEN h zz
    HSETNX h a x
    HSETNX h e 5
    HDEL h a zz
    HDEL h zz
    HDEL nokey a
    HINCRBY h b 5
    HINCRBY h new 5
    HINCRBY h b abc
    HINCRBY h b 9223372036854775807
    HSET h s abc
    HINCRBY h s 1
    HSET h big 9223372036854775807
    HINCRBY h big 1
    HINCRBY h big -1
    HINCRBYFLOAT h f 1.5
    HINCRBYFLOAT h f 0.1
    HINCRBYFLOAT h s 1
    HINCRBYFLOAT h f abc
    HINCRBYFLOAT h f inf
    HINCRBYFLOAT h b 1.5
    HINCRBYFLOAT nokeyh f 2.5
    HDEL h a b c d e f s big new
    EXISTS h
    SET str x
    HSET str a 1
    HGET str a
    HGETALL str
    HINCRBY str a 1
    HLEN str
    HRANDFIELD nokey
    HRANDFIELD nokey 5
    HRANDFIELD nokey 5 WITHVALUES
    HSET r a 1 b 2 c 3
    shape: HRANDFIELD r
    shape: HRANDFIELD r 2
    shape: HRANDFIELD r -5
    shape: HRANDFIELD r -5 WITHVALUES
    pairs: HRANDFIELD r 10 WITHVALUES
    HRANDFIELD r 0
    HRANDFIELD r 2 FOO
    HRANDFIELD r 2 WITHVALUES x
    HRANDFIELD r abc
    HRANDFIELD r -9223372036854775808
    HRANDFIELD r 9223372036854775807 WITHVALUES
  `),
  'lists': script(`
    RPUSH l a b c
    LPUSH l z
    LRANGE l 0 -1
    LRANGE l -100 100
    LRANGE l 2 1
    LRANGE l 5 10
    LRANGE l -1 -1
    LRANGE l a 1
    LRANGE nokey 0 -1
    LPUSHX nokey a
    RPUSHX l d
    LLEN l
    LLEN nokey
    LINDEX l 0
    LINDEX l -1
    LINDEX l 100
    LINDEX l abc
    LINDEX nokey abc
    LSET l 0 zz
    LSET l 100 x
    LSET l abc x
    LSET nokey 0 x
    LPOP l
    RPOP l
    LPOP l 2
    RPUSH l2 1 2 3 4 5
    RPOP l2 2
    LPOP l2 0
    LPOP l2 -1
    LPOP l2 abc
    LPOP l2 1 2
    LPOP nokey
    LPOP nokey 2
    RPUSH l3 a b a c a
    LREM l3 2 a
    LRANGE l3 0 -1
    RPUSH l3 a a
    LREM l3 -1 a
    LRANGE l3 0 -1
    LREM l3 0 a
    LREM l3 0 zz
    LREM l3 abc a
    LREM nokey 1 a
    LINSERT l3 BEFORE c x
    LINSERT l3 after c y
    LINSERT l3 middle c y
    LINSERT l3 BEFORE nothere y
    LINSERT nokey BEFORE a b
    LRANGE l3 0 -1
    RPUSH l4 a b c d e f
    LTRIM l4 1 -2
    LRANGE l4 0 -1
    LTRIM l4 10 20
    EXISTS l4
    LTRIM nokey 0 1
    LTRIM l3 abc 1
    RPUSH p a b c 1 2 3 c c
    LPOS p c
    LPOS p c RANK 2
    LPOS p c RANK -1
    LPOS p c COUNT 0
    LPOS p c COUNT 2
    LPOS p c COUNT 0 RANK -1
    LPOS p c MAXLEN 3
    LPOS p c MAXLEN 3 COUNT 0
    LPOS p zz
    LPOS p zz COUNT 0
    LPOS nokey a
    LPOS nokey a COUNT 1
    LPOS p c RANK 0
    LPOS p c COUNT -1
    LPOS p c MAXLEN -1
    LPOS p c RANK
    LPOS p c FOO 1
    LPOS p c RANK -9223372036854775808
    LPOS p c RANK 9223372036854775807
    RPUSH src 1 2 3
    LMOVE src dst LEFT RIGHT
    LMOVE src dst RIGHT LEFT
    LMOVE src src LEFT RIGHT
    LRANGE src 0 -1
    LRANGE dst 0 -1
    LMOVE src dst UP LEFT
    LMOVE nokey dst LEFT LEFT
    RPOPLPUSH src dst
    RPOPLPUSH src dst
    EXISTS src
    SET str x
    LMOVE dst str LEFT LEFT
    LRANGE dst 0 -1
    LPUSH str a
    LRANGE str 0 -1
    LPOP str
    LMPOP 2 nokey dst LEFT
    LMPOP 1 dst RIGHT COUNT 10
    LMPOP 1 dst RIGHT
    LMPOP 0 a LEFT
    LMPOP abc a LEFT
    LMPOP 1 a MIDDLE
    LMPOP 1 a LEFT COUNT 0
    LMPOP 1 a LEFT COUNT -1
    LMPOP 1 a LEFT COUNT 1 COUNT 2
    LMPOP 5 a LEFT
    LMPOP 1 str LEFT
    RPUSH b1 x
    BLPOP nokey b1 0
    RPUSH b1 y z
    BRPOP b1 0
    BLPOP b1 abc
    BLPOP b1 -1
    BLPOP b1 inf
    BLPOP str 0
    BLMPOP 0 1 b1 LEFT COUNT 5
    BLMPOP abc 1 b1 LEFT
    BLMPOP 0 0 b1 LEFT
    RPUSH b2 q
    BLMOVE b2 b3 LEFT RIGHT 0
    BLMOVE b3 b2 UP RIGHT 0
    BRPOPLPUSH b3 b2 0
    LRANGE b2 0 -1
    BLPOP nokey 0.01
    BRPOPLPUSH nokey b2 0.01
    BLMOVE nokey b2 LEFT LEFT 0.01
    BLMPOP 0.01 1 nokey LEFT
  `),
  'sets': script(`
    SADD s a b c
    SADD s a d
    SADD s
    SREM s a zz
    SREM nokey a
    SCARD s
    SCARD nokey
    SISMEMBER s b
    SISMEMBER s zz
    SMISMEMBER s b zz c
    SMISMEMBER nokey a
    sorted: SMEMBERS s
    SMEMBERS nokey
    SADD ints 3 1 2 10 -5
    SMEMBERS ints
    SADD s2 c d e
    sorted: SINTER s s2
    sorted: SUNION s s2
    sorted: SDIFF s s2
    SINTER s nokey
    sorted: SUNION s nokey
    sorted: SDIFF s nokey
    SDIFF nokey s
    SINTERSTORE dst s s2
    sorted: SMEMBERS dst
    SUNIONSTORE dst s s2
    SDIFFSTORE dst s s2
    SINTERSTORE dst s nokey
    EXISTS dst
    SINTERSTORE dst nokey
    SINTERCARD 2 s s2
    SINTERCARD 2 s s2 LIMIT 1
    SINTERCARD 0 s
    SINTERCARD abc s
    SINTERCARD 3 s s2
    SINTERCARD 1 s LIMIT -1
    SINTERCARD 1 s FOO
    SET str x
    SINTER s str
    SUNION str s
    SINTER nokey str
    SADD str a
    SMOVE s s2 b
    SMOVE s s2 zz
    SMOVE nokey s2 b
    SMOVE s str b
    SMOVE str s a
    SMOVE s s c
    SMOVE s s zz
    SMOVE s newset d
    EXISTS s
    sorted: SMEMBERS s2
    SPOP nokey
    SPOP nokey 3
    SPOP s2 0
    SPOP s2 -1
    SPOP s2 abc
    SPOP s2 1 2
    SADD one x
    SPOP one
    EXISTS one
    SADD all 1 2 3
    SPOP all 10
    EXISTS all
    SADD r a b c d
    shape: SPOP r 2
    SCARD r
    shape: SRANDMEMBER r
    SRANDMEMBER nokey
    SRANDMEMBER nokey 3
    shape: SRANDMEMBER r 1
    shape: SRANDMEMBER r -5
    shape: SRANDMEMBER r 100
    SRANDMEMBER r 0
    SRANDMEMBER r 1 2
    SRANDMEMBER r abc
    SRANDMEMBER r -9223372036854775808
  `),
  'sorted sets: ZADD and queries': script(`
    ZADD z 1 a 2 b 3 c
    ZADD z 1 a
    ZADD z CH 5 a 2 b
    ZADD z NX 10 a 10 d
    ZADD z XX 20 d 20 e
    ZADD z GT 1 d
    ZADD z LT 1 d
    ZADD z GT CH 30 d
    ZADD z NX XX 1 a
    ZADD z NX GT 1 a
    ZADD z GT LT 1 a
    ZADD z INCR 1 a 2 b
    ZADD z INCR 1 a
    ZADD z INCR NX 1 a
    ZADD z INCR XX 1 zz
    ZADD z abc a
    ZADD z 1
    ZADD z
    ZADD z nan x
    ZADD z inf x -inf y
    ZADD z 1e400 q
    ZADD z " 1" q
    ZADD z 0x10 q
    ZADD zi 007 a -0 b +5 c -12 d 123456789012345 e 1234567890123456789 f "" g
    ZADD zi 1 a "" b
    ZRANGE zi 0 -1 WITHSCORES
    ZADD zi nX 3 a
    ZADD zi Incr 2 a
    ZINCRBY z 5 a
    ZINCRBY z abc a
    ZINCRBY z 1 newm
    ZINCRBY z inf x
    ZINCRBY z -inf x
    ZADD z XX 1 nokeyhere
    ZADD nokey XX 1 a
    ZADD nokey XX INCR 1 a
    EXISTS nokey
    ZRANGE z 0 -1 WITHSCORES
    ZCARD z
    ZCARD nokey
    ZSCORE z a
    ZSCORE z zz
    ZSCORE nokey a
    ZMSCORE z a zz b
    ZMSCORE nokey a
    ZRANK z a
    ZREVRANK z a
    ZRANK z zz
    ZRANK nokey a
    ZCOUNT z -inf +inf
    ZCOUNT z (1 3
    ZCOUNT z 3 1
    ZCOUNT z abc 1
    ZCOUNT z "" ""
    ZCOUNT nokey 0 1
    ZADD lex 0 a 0 b 0 c 0 d 0 e
    ZLEXCOUNT lex - +
    ZLEXCOUNT lex [b (d
    ZLEXCOUNT lex b d
    ZLEXCOUNT lex + -
    ZRANGEBYLEX lex - +
    ZRANGEBYLEX lex [b [d
    ZRANGEBYLEX lex (b + LIMIT 1 1
    ZREVRANGEBYLEX lex + -
    ZREVRANGEBYLEX lex [d (a LIMIT 0 2
    ZRANGEBYLEX lex a b
    ZRANGEBYLEX lex - + WITHSCORES
    ZRANGE lex - + BYLEX WITHSCORES
    ZRANGE lex [c - BYLEX REV
    ZREM z a zz
    ZREM z zz
    ZREM nokey a
    SET str x
    ZADD str 1 a
    ZRANGE str 0 -1
    ZSCORE str a
    ZCARD str
    ZRANK str a
  `),
  'sorted sets: ranges': script(`
    ZADD z 1 a 2 b 3 c 4 d 5 e 1.5 x -2.25 y
    ZRANGE z 0 -1
    ZRANGE z 0 -1 WITHSCORES
    ZRANGE z -3 -1
    ZRANGE z 2 1
    ZRANGE z 100 200
    ZRANGE z -100 1
    ZRANGE z 0 -1 REV
    ZRANGE z 0 1 REV WITHSCORES
    ZRANGE z 0 -1 LIMIT 0 1
    ZRANGE z a b
    ZRANGE z 0 1 FOO
    ZRANGE z (1 5 BYSCORE
    ZRANGE z 5 (1 BYSCORE REV
    ZRANGE z -inf +inf BYSCORE LIMIT 2 3
    ZRANGE z -inf +inf BYSCORE LIMIT 2 -1
    ZRANGE z -inf +inf BYSCORE LIMIT -1 2
    ZRANGE z -inf +inf BYSCORE LIMIT 100 2
    ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2 WITHSCORES
    ZRANGE z abc 1 BYSCORE
    ZRANGE z 1 2 BYSCORE BYLEX
    ZRANGE z 1 2 REV REV
    ZRANGE z 1 2 LIMIT 1
    ZRANGE z 1 2 BYSCORE LIMIT a 1
    ZRANGEBYSCORE z 1 3
    ZRANGEBYSCORE z (1 (3 WITHSCORES
    ZRANGEBYSCORE z -inf inf LIMIT 1 2
    ZRANGEBYSCORE z 1 3 REV
    ZRANGEBYSCORE z 1 3 BYLEX
    ZREVRANGEBYSCORE z 3 1
    ZREVRANGEBYSCORE z +inf -inf WITHSCORES LIMIT 0 3
    ZREVRANGEBYSCORE z 1 3
    ZREVRANGE z 0 2
    ZREVRANGE z 0 2 WITHSCORES
    ZREVRANGE z 0 2 BYSCORE
    ZREVRANGE z 0 2 LIMIT 0 1
    ZRANGESTORE dst z 0 2
    ZRANGE dst 0 -1 WITHSCORES
    ZRANGESTORE dst z 1 3 BYSCORE LIMIT 1 5
    ZRANGESTORE dst z 0 -1 WITHSCORES
    ZRANGESTORE dst z 5 1
    EXISTS dst
    ZRANGESTORE dst nokey 0 -1
    ZRANGE nokey 0 -1
    ZREMRANGEBYRANK z 0 0
    ZREMRANGEBYRANK z 10 20
    ZREMRANGEBYRANK z abc 1
    ZREMRANGEBYSCORE z (1 2
    ZREMRANGEBYSCORE z abc 2
    ZREMRANGEBYSCORE z 100 200
    ZADD lz 0 a 0 b 0 c
    ZREMRANGEBYLEX lz [a (c
    ZREMRANGEBYLEX lz a c
    ZREMRANGEBYLEX lz - +
    EXISTS lz
    ZREMRANGEBYRANK nokey 0 -1
    ZRANGE z 0 -1 WITHSCORES
  `),
  'sorted sets: pops and algebra': script(`
    ZADD z 1 a 2 b 3 c 4 d
    ZPOPMIN z
    ZPOPMAX z
    ZPOPMIN z 0
    ZPOPMIN z -1
    ZPOPMIN z abc
    ZPOPMIN z 1 2
    ZPOPMAX z 10
    EXISTS z
    ZPOPMIN nokey
    ZPOPMIN nokey 2
    ZADD z 1 a 2 b 3 c
    ZMPOP 1 z MIN
    ZMPOP 2 nokey z MAX COUNT 5
    ZMPOP 1 nokey MIN
    ZMPOP 0 z MIN
    ZMPOP 1 z MID
    ZMPOP 1 z MIN COUNT 0
    ZADD z 1 a 2 b
    BZPOPMIN nokey z 0
    BZPOPMAX z 0
    BZPOPMIN z abc
    ZADD z 5 e
    BZMPOP 0 1 z MIN
    BZPOPMIN nokey 0.01
    BZMPOP 0.01 1 nokey MAX
    ZADD z1 1 a 2 b 3 c
    ZADD z2 10 b 20 c 30 d
    SADD s1 a d
    ZUNION 2 z1 z2
    ZUNION 2 z1 z2 WITHSCORES
    ZUNION 2 z1 z2 WEIGHTS 2 3 WITHSCORES
    ZUNION 2 z1 z2 AGGREGATE MIN WITHSCORES
    ZUNION 2 z1 z2 AGGREGATE MAX WITHSCORES
    ZUNION 2 z1 s1 WITHSCORES
    ZUNION 3 z1 z2 nokey WITHSCORES
    ZINTER 2 z1 z2 WITHSCORES
    ZINTER 2 z1 z2 AGGREGATE MAX
    ZINTER 2 z1 nokey
    ZDIFF 2 z1 z2 WITHSCORES
    ZDIFF 2 z1 z2 WEIGHTS 1 2
    ZDIFF 1 nokey
    ZUNIONSTORE dst 2 z1 z2
    ZRANGE dst 0 -1 WITHSCORES
    ZINTERSTORE dst 2 z1 z2 WEIGHTS 1 0.5
    ZRANGE dst 0 -1 WITHSCORES
    ZDIFFSTORE dst 2 z1 z2
    ZRANGE dst 0 -1 WITHSCORES
    ZINTERSTORE dst 2 z1 nokey
    EXISTS dst
    ZUNIONSTORE dst 2 z1 z2 WITHSCORES
    ZUNION 0 z1
    ZUNION abc z1
    ZUNION 3 z1 z2
    ZUNION 2 z1 z2 WEIGHTS 1
    ZUNION 2 z1 z2 WEIGHTS 1 abc
    ZUNION 2 z1 z2 AGGREGATE AVG
    ZUNION 2 z1 z2 AGGREGATE
    ZUNION 2 z1 z2 FOO
    ZINTERCARD 2 z1 z2
    ZINTERCARD 2 z1 z2 LIMIT 1
    ZINTERCARD 0 z1
    ZINTERCARD 1 z1 LIMIT -1
    ZINTERCARD 1 z1 WITHSCORES
    SET str x
    ZUNION 2 z1 str
    ZADD inf 1 a
    ZADD inf2 inf a
    ZUNION 2 inf inf2 WEIGHTS 0 0 WITHSCORES
    ZADD nz -inf a
    ZUNION 2 inf2 nz WITHSCORES
    ZRANDMEMBER nokey
    ZRANDMEMBER nokey 3
    shape: ZRANDMEMBER z1
    shape: ZRANDMEMBER z1 2
    shape: ZRANDMEMBER z1 -4 WITHSCORES
    pairs: ZRANDMEMBER z1 10 WITHSCORES
    ZRANDMEMBER z1 0
    ZRANDMEMBER z1 1 FOO
  `),
  'transactions': script(`
    MULTI
    SET a 1
    INCR a
    LPUSH a x
    GET a
    EXEC
    MULTI
    SET a
    EXEC
    MULTI
    NOSUCHCMD x
    EXEC
    EXEC
    DISCARD
    MULTI
    MULTI
    SET b 2
    DISCARD
    GET b
    WATCH a
    SET a 5
    MULTI
    GET a
    EXEC
    WATCH a
    MULTI
    WATCH b
    GET a
    EXEC
    WATCH a b c
    UNWATCH
    SET a 7
    MULTI
    GET a
    EXEC
    MULTI
    BLPOP nokey 0
    BLMOVE nokey x LEFT LEFT 0
    BZPOPMIN nokey 0
    EXEC
    MULTI
    SELECT 3
    SET indb3 x
    EXEC
    GET indb3
    SELECT 3
    GET indb3
    SELECT 0
    MULTI
    EXEC
    WATCH w
    SET w 1
    DEL w
    MULTI
    EXEC
    WATCH nokey
    MULTI
    SET other 1
    EXEC
  `),
  'server commands and arity': script(`
    CONFIG GET maxmemory
    pairs: CONFIG GET maxmemory-policy hz
    CONFIG GET nosuchparam
    CONFIG GET
    CONFIG SET
    CONFIG SET maxmemory
    CONFIG SET foo bar
    CONFIG SET maxmemory abc
    CONFIG SET maxmemory-policy sometimes
    CONFIG SET databases 3
    CONFIG SET hz 20
    CONFIG GET hz
    CONFIG SET hz 10
    CONFIG SET maxmemory 0 maxmemory 1
    CONFIG SET appendfsync bad
    CONFIG SET save "abc"
    CONFIG SET dir /tmp
    CONFIG RESETSTAT x
    CONFIG SET loglevel loud
    CONFIG SET acl-pubsub-default x
    CONFIG SET supervised x
    CONFIG FOO
    CONFIG HELP
    shape: TIME
    SCRIPT KILL
    SCRIPT EXISTS a b
    SCRIPT FLUSH
    SCRIPT FLUSH ASYNC
    SCRIPT FLUSH NO
    SCRIPT FOO
    DEBUG SLEEP 0
    DEBUG FOO
    SHUTDOWN NOSAVE SAVE
    SHUTDOWN ABORT
    SHUTDOWN FOO
    SHUTDOWN ABORT NOW
    INFO nosuchsection
    OBJECT
    GET
    GET a b
    SET a
    HSET h
    ZADD z
    LPUSH l
    SADD s
    EXPIRE k
    FOOBAR a b c
    MSET a 1 b
    HMSET h a
    PING
    PING hello
    ECHO
    ECHO x
    SELECT 0 1
    DBSIZE x
    RANDOMKEY x
    WATCH
    MULTI x
    EXEC x
  `),
  'RESP3 reply shapes': script(`
    shape: HELLO 3
    HSET h a 1 b 2
    HGETALL h
    HGETALL nokey
    HKEYS h
    SADD s 3 1 2
    SMEMBERS s
    SMEMBERS nokey
    SINTER s s
    SUNION s nokey
    SDIFF s nokey
    SRANDMEMBER s 100
    SRANDMEMBER nokey 2
    SMISMEMBER s 1 9
    SPOP nokey 2
    ZADD z 1.5 a 2 b
    ZRANGE z 0 -1 WITHSCORES
    ZRANGE z 0 -1
    ZSCORE z a
    ZSCORE z nope
    ZMSCORE z a nope
    ZINCRBY z 1 a
    ZPOPMIN z
    ZADD z 3 c 4 d
    ZPOPMAX z 2
    ZRANDMEMBER z 5 WITHSCORES
    ZUNION 1 z WITHSCORES
    ZSCAN z 0
    HRANDFIELD h 5 WITHVALUES
    GET nokey
    LPOP nokey 2
    BLPOP nokey 0.01
    CONFIG GET maxmemory
    MGET a b
    ZMPOP 1 z MIN
    BZPOPMIN z 0.01
    HSCAN h 0
    EXISTS h
    TYPE h
    MULTI
    GET nokey
    EXEC
    shape: HELLO 2
    HGETALL h
  `),
};
