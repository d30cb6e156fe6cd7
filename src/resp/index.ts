export { RequestParser, DEFAULT_LIMITS, type ParserLimits } from './request-parser.js';
export { RespWriter } from './writer.js';
export { formatDouble } from './double.js';
export { protocolError, expectedDollar, type ProtocolError, type ProtocolErrorCode } from './errors.js';
