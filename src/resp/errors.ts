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
  | 'UNAUTH_BULK_LEN';

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
};

export function protocolError(code: Exclude<ProtocolErrorCode, 'EXPECTED_DOLLAR'>): ProtocolError {
  return { code, reply: REPLY[code] };
}

/** `expected '$', got 'x'` names the offending byte. */
export function expectedDollar(got: number): ProtocolError {
  return { code: 'EXPECTED_DOLLAR', reply: `ERR Protocol error: expected '$', got '${String.fromCharCode(got)}'` };
}
