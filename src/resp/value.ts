/**
 * Decoded RESP replies as a discriminated union: every RESP2/RESP3 type stays distinguishable (a status from a
 * bulk string, a set from an array, `$-1` from `*-1` from `_`), which tests of wire shapes and the replica's
 * handshake need. `toPlain` turns one into ordinary JS values where that distinction does not matter.
 *
 * `B` is how bulk-like payloads (bulk strings, verbatim text) come out: byte strings (one char per byte, the
 * project's default, see common/bytes.ts) or Buffers. Simple strings, errors and numbers' text are byte strings.
 */
export type RespValue<B extends string | Buffer = string> =
  | RespSimple
  | RespError
  | RespInteger
  | RespBulk<B>
  | RespNull
  | RespBool
  | RespDouble
  | RespBigNumber
  | RespVerbatim<B>
  | RespArray<B>
  | RespSet<B>
  | RespMap<B>
  | RespPush<B>;

export type RespEntries<B extends string | Buffer = string> = Array<[RespValue<B>, RespValue<B>]>;

interface WithAttributes {
  /** A RESP3 attribute (`|`) that preceded this value (its payloads decoded like the rest). */
  attributes?: RespEntries<string | Buffer>;
}

/** `+text` */
export interface RespSimple extends WithAttributes {
  type: 'simple';
  value: string;
}

/** `-ERR text` (blob: false) or `!len\r\nERR text` (blob: true). A reply, not a failure of the decoder. */
export interface RespError extends WithAttributes {
  type: 'error';
  value: string;
  blob: boolean;
}

/** `:n`, a bigint only beyond ±2^53. */
export interface RespInteger extends WithAttributes {
  type: 'integer';
  value: number | bigint;
}

export interface RespBulk<B extends string | Buffer = string> extends WithAttributes {
  type: 'bulk';
  value: B;
}

/** `_` in RESP3; RESP2's null bulk `$-1` and null array `*-1`, told apart by `from`. */
export interface RespNull extends WithAttributes {
  type: 'null';
  from: '_' | '$' | '*';
}

export interface RespBool extends WithAttributes {
  type: 'bool';
  value: boolean;
}

/** `,text`: `raw` keeps the exact text (Redis 7.0 prints %.17g), `value` its number (inf/-inf/nan included). */
export interface RespDouble extends WithAttributes {
  type: 'double';
  value: number;
  raw: string;
}

export interface RespBigNumber extends WithAttributes {
  type: 'bigNumber';
  value: bigint;
}

/** `=len\r\ntxt:...`: `format` is the three-letter type (`txt`, `mkd`). */
export interface RespVerbatim<B extends string | Buffer = string> extends WithAttributes {
  type: 'verbatim';
  format: string;
  value: B;
}

export interface RespArray<B extends string | Buffer = string> extends WithAttributes {
  type: 'array';
  items: RespValue<B>[];
}

export interface RespSet<B extends string | Buffer = string> extends WithAttributes {
  type: 'set';
  items: RespValue<B>[];
}

export interface RespMap<B extends string | Buffer = string> extends WithAttributes {
  type: 'map';
  entries: RespEntries<B>;
}

/** `>n`: out-of-band data (pub/sub messages, invalidations). */
export interface RespPush<B extends string | Buffer = string> extends WithAttributes {
  type: 'push';
  items: RespValue<B>[];
}

/** An error reply as a JS Error, for `toPlain`. `message` is the reply text (`ERR ...`), `code` its first word. */
export class RespReplyError extends Error {
  readonly code: string;

  constructor(text: string) {
    super(text);
    this.name = 'RespReplyError';
    const sp = text.indexOf(' ');
    this.code = sp === -1 ? text : text.slice(0, sp);
  }
}

export type PlainValue<B extends string | Buffer = string> =
  | string
  | B
  | number
  | bigint
  | boolean
  | null
  | RespReplyError
  | PlainValue<B>[]
  | Map<PlainValue<B>, PlainValue<B>>;

/**
 * Ordinary JS values: strings (simple, bulk, verbatim text), numbers (integers, doubles), bigints, booleans, null,
 * arrays (array, set, push), Maps (map), RespReplyError for error replies. Attributes are dropped.
 */
export function toPlain<B extends string | Buffer>(v: RespValue<B>): PlainValue<B> {
  switch (v.type) {
    case 'simple':
    case 'bulk':
    case 'verbatim':
    case 'integer':
    case 'bool':
    case 'double':
    case 'bigNumber':
      return v.value;
    case 'error':
      return new RespReplyError(v.value);
    case 'null':
      return null;
    case 'array':
    case 'set':
    case 'push':
      return v.items.map((it) => toPlain(it));
    case 'map':
      return new Map(v.entries.map(([k, val]) => [toPlain(k), toPlain(val)]));
  }
}
