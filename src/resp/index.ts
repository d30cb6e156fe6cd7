/**
 * The RESP codec: request parser (server side), reply decoder (client side), reply writer, and the wire texts of
 * protocol errors. No imports from the node, the sentinel or the server core.
 */
export { RequestParser, DEFAULT_LIMITS, type ParserLimits } from './request-parser.js';
export { RespWriter } from './writer.js';
export { formatDouble } from './double.js';
export { protocolError, expectedDollar, type ProtocolError, type ProtocolErrorCode } from './errors.js';
export { RespDecoder, DEFAULT_DECODER_LIMITS, type DecoderLimits, type DecoderOptions } from './decoder.js';
export { RespDecodeError, type DecodeErrorCode } from './decoder-errors.js';
export {
  toPlain,
  RespReplyError,
  type PlainValue,
  type RespValue,
  type RespEntries,
  type RespSimple,
  type RespError,
  type RespInteger,
  type RespBulk,
  type RespNull,
  type RespBool,
  type RespDouble,
  type RespBigNumber,
  type RespVerbatim,
  type RespArray,
  type RespSet,
  type RespMap,
  type RespPush,
} from './value.js';
