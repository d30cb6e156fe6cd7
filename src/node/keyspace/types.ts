/**
 * Value representations of tredis's keyspace: the contract between the command families, persistence (RDB, AOF,
 * DUMP/RESTORE) and replication. All keys, members, fields and values are byte strings (see common/bytes.ts).
 *
 *   string → a JS string (no wrapper object: 1M small keys must stay within 2.5× Redis's memory)
 *   hash   → Map<field, value>
 *   set    → Set<member>
 *   list   → ListValue
 *   zset   → ZSetValue
 *
 * ListValue and ZSetValue are implemented in their own modules (list.ts, zset.ts); this file fixes the surface
 * other modules may rely on.
 */
export type RedisType = 'string' | 'list' | 'set' | 'zset' | 'hash';

export interface ListLike extends Iterable<string> {
  readonly length: number;
  pushTail(v: string): void;
  pushHead(v: string): void;
  popHead(): string | undefined;
  popTail(): string | undefined;
  /** Element at index i (0-based, negative from the tail), or undefined. */
  at(i: number): string | undefined;
}

export interface ZSetLike extends Iterable<[member: string, score: number]> {
  readonly size: number;
  /** Insert or update; returns true when the member is new. */
  add(member: string, score: number): boolean;
  score(member: string): number | undefined;
  remove(member: string): boolean;
}

export type Value = string | Map<string, string> | Set<string> | ListLike | ZSetLike;
