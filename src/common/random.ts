import { randomBytes } from 'node:crypto';

/**
 * Randomness as a port: failover desync, run ids, jitter. Decision code takes a Random; production passes
 * `systemRandom`, tests and simulations pass `seededRandom(seed)` and print the seed when they fail.
 */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** `len` lowercase hex characters (Redis run ids and replication ids are 40). */
  hex(len: number): string;
}

const HEX = '0123456789abcdef';

function fromNext(next: () => number): Random {
  return {
    next,
    int: (n) => Math.floor(next() * n),
    hex: (len) => {
      let s = '';
      for (let i = 0; i < len; i++) s += HEX[Math.floor(next() * 16)];
      return s;
    },
  };
}

/** xoshiro128** — small, fast, and good enough for simulations; deterministic for a given 32-bit seed. */
export function seededRandom(seed: number): Random {
  // splitmix32 to spread the seed over the four state words
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): number => {
    const r = Math.imul(((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25)) >>> 0, 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = ((d << 11) | (d >>> 21)) >>> 0;
    return r / 4294967296;
  };
  return fromNext(next);
}

/** Cryptographically strong randomness for production (run ids must not collide across hosts). */
export const systemRandom: Random = {
  next: () => randomBytes(4).readUInt32BE(0) / 4294967296,
  int: (n) => Math.floor((randomBytes(4).readUInt32BE(0) / 4294967296) * n),
  hex: (len) => randomBytes(Math.ceil(len / 2)).toString('hex').slice(0, len),
};
