/**
 * Protocol errors found while parsing client requests. Each code maps to the exact reply text Redis 7.0 sends
 * (networking.c processInlineBuffer / processMultibulkBuffer) before it closes the connection.
 */
export type ProtocolErrorCode =
  | 'INLINE_TOO_BIG'
  | 'UNBALANCED_QUOTES'
  | 'MBULK_COUNT_TOO_BIG'
  | 'INVALID_MBULK_LEN'
  | 'UNAUTH_MBULK_LEN'
  | 'BULK_COUNT_TOO_BIG'
  | 'EXPECTED_DOLLAR'
  | 'INVALID_BULK_LEN'
  | 'UNAUTH_BULK_LEN'
  | 'PRIMARY_INLINE';

export interface ProtocolError {
  readonly code: ProtocolErrorCode;
  /** Reply text without the leading '-' and trailing CRLF, e.g. `ERR Protocol error: invalid multibulk length`. */
  readonly reply: string;
}

const REPLY: Record<Exclude<ProtocolErrorCode, 'EXPECTED_DOLLAR'>, string> = {
  INLINE_TOO_BIG: 'ERR Protocol error: too big inline request',
  UNBALANCED_QUOTES: 'ERR Protocol error: unbalanced quotes in request',
  MBULK_COUNT_TOO_BIG: 'ERR Protocol error: too big mbulk count string',
  INVALID_MBULK_LEN: 'ERR Protocol error: invalid multibulk length',
  UNAUTH_MBULK_LEN: 'ERR Protocol error: unauthenticated multibulk length',
  BULK_COUNT_TOO_BIG: 'ERR Protocol error: too big bulk count string',
  INVALID_BULK_LEN: 'ERR Protocol error: invalid bulk length',
  UNAUTH_BULK_LEN: 'ERR Protocol error: unauthenticated bulk length',
  // Redis sends nothing to its master here (replies to the master client are discarded); it logs this text
  // ("Master using the inline protocol. Desync?") and drops the link.
  PRIMARY_INLINE: 'ERR Protocol error: Master using the inline protocol. Desync?',
};

export function protocolError(code: Exclude<ProtocolErrorCode, 'EXPECTED_DOLLAR'>): ProtocolError {
  return { code, reply: REPLY[code] };
}

/**
 * `expected '$', got 'x'` names the offending byte. Redis formats it with addReplyErrorFormat("%c"): the text is
 * built with sdscatvprintf, which stops at a NUL byte (so a NUL yields `got '`), and CR/LF become spaces.
 * (A NUL never reaches here in practice: the line search stalls on it first, as Redis's strchr does.)
 */
export function expectedDollar(got: number): ProtocolError {
  const c = got === 0x0d || got === 0x0a ? ' ' : String.fromCharCode(got);
  const reply = got === 0 ? "ERR Protocol error: expected '$', got '" : `ERR Protocol error: expected '$', got '${c}'`;
  return { code: 'EXPECTED_DOLLAR', reply };
}
