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
    TTL k
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
};
