/**
 * Why a reply stream could not be decoded. These are failures of the peer's framing (the connection is beyond
 * repair), not error replies, which decode as values of type 'error'.
 */
import { TsentinelError } from '../common/errors.js';

export type DecodeErrorCode =
  | 'BAD_TYPE'
  | 'BAD_LENGTH'
  | 'BAD_INTEGER'
  | 'BAD_DOUBLE'
  | 'BAD_BOOLEAN'
  | 'BAD_BIG_NUMBER'
  | 'BAD_NULL'
  | 'BAD_VERBATIM'
  | 'EXPECTED_CRLF'
  | 'LINE_TOO_LONG'
  | 'BULK_TOO_BIG'
  | 'AGGREGATE_TOO_BIG'
  | 'TOO_DEEP';

const MESSAGE: Record<DecodeErrorCode, string> = {
  BAD_TYPE: 'unknown RESP type byte',
  BAD_LENGTH: 'invalid length',
  BAD_INTEGER: 'invalid integer',
  BAD_DOUBLE: 'invalid double',
  BAD_BOOLEAN: 'invalid boolean',
  BAD_BIG_NUMBER: 'invalid big number',
  BAD_NULL: 'invalid null',
  BAD_VERBATIM: 'invalid verbatim string',
  EXPECTED_CRLF: 'expected CRLF',
  LINE_TOO_LONG: 'line longer than maxLineLength',
  BULK_TOO_BIG: 'bulk length above maxBulkLen',
  AGGREGATE_TOO_BIG: 'aggregate length above maxAggregateLen',
  TOO_DEEP: 'aggregates nested deeper than maxDepth',
};

export class RespDecodeError extends TsentinelError {
  /** Which rule the stream broke. */
  readonly reason: DecodeErrorCode;
  /** Byte offset in the stream where the problem was found. */
  readonly offset: number;

  constructor(reason: DecodeErrorCode, offset: number, options?: { cause?: unknown }) {
    super(`ERESP_${reason}`, `RESP protocol error: ${MESSAGE[reason]} at byte ${offset}`, options);
    this.reason = reason;
    this.offset = offset;
  }
}
