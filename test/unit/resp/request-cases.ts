/**
 * Request inputs with the outcome redis-server 7.0.15 gave for each, shared by the parser's unit tests and the
 * integration test that replays them against the real server (test/integration/resp-errors.test.ts).
 */
import type { ParseOptions } from './parse-helpers.js';

export interface Case {
  name: string;
  input: string;
  commands: string[][];
  error?: string;
  opts?: ParseOptions;
}

export const E = (s: string): string => `ERR Protocol error: ${s}`;
export const PING = '*1\r\n$4\r\nPING\r\n';

/**
 * Expected outcomes recorded from redis-server 7.0.15 with a raw socket (the same inputs run against it in
 * test/integration/resp-errors.test.ts): a command here is one Redis executed, an error the reply before it closed.
 */
export const CASES: Case[] = [
  { name: 'multibulk', input: '*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n', commands: [['ECHO', 'hi']] },
  { name: 'pipelined', input: `${PING}*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n`, commands: [['PING'], ['SET', 'k', '']] },
  { name: 'binary payload with CRLF and NUL inside', input: '*1\r\n$6\r\na\r\n\0\xffb\r\n', commands: [['a\r\n\0\xffb']] },
  { name: 'INT_MAX count is accepted (waits for args)', input: '*2147483647\r\n', commands: [] },
  { name: 'count above INT_MAX', input: '*2147483648\r\n', commands: [], error: E('invalid multibulk length') },
  { name: 'count 1048577 accepted (7.0 has no 1M cap)', input: '*1048577\r\n', commands: [] },
  { name: 'leading zero count', input: `*01\r\n$4\r\nPING\r\n`, commands: [], error: E('invalid multibulk length') },
  { name: 'plus sign count', input: '*+1\r\n', commands: [], error: E('invalid multibulk length') },
  { name: 'empty count', input: '*\r\n', commands: [], error: E('invalid multibulk length') },
  { name: 'count with trailing space', input: `*1 \r\n$4\r\nPING\r\n`, commands: [], error: E('invalid multibulk length') },
  { name: '*-1 is skipped', input: `*-1\r\nPING\r\n`, commands: [['PING']] },
  { name: '*0 is skipped', input: `*0\r\nPING\r\n`, commands: [['PING']] },
  { name: '*-5 is skipped', input: `*-5\r\nPING\r\n`, commands: [['PING']] },
  { name: '*-0 is invalid', input: `*-0\r\nPING\r\n`, commands: [], error: E('invalid multibulk length') },
  { name: 'LLONG_MIN count skipped', input: '*-9223372036854775808\r\nPING\r\n', commands: [['PING']] },
  { name: 'below LLONG_MIN', input: '*-9223372036854775809\r\nPING\r\n', commands: [], error: E('invalid multibulk length') },
  { name: 'mixed empties', input: `${PING}*0\r\n*-1\r\n\r\n${PING}`, commands: [['PING'], [], ['PING']] },
  { name: 'blank inline line then PING', input: '   \r\nPING\r\n', commands: [[], ['PING']] },
  { name: 'inline with bare LF', input: 'PING\n', commands: [['PING']] },
  { name: 'inline CR CR LF', input: 'PING\r\r\n', commands: [['PING']] },
  { name: 'empty lines', input: '\n\n\nPING\r\n', commands: [[], [], [], ['PING']] },
  { name: '$-1 inside a request', input: '*1\r\n$-1\r\n', commands: [], error: E('invalid bulk length') },
  { name: '$-0', input: '*1\r\n$-0\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'leading zero bulk length', input: '*1\r\n$04\r\nPING\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'bulk length with space', input: '*1\r\n$4 \r\nPING\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'empty bulk length', input: '*1\r\n$\r\n', commands: [], error: E('invalid bulk length') },
  { name: '20-digit bulk length', input: '*1\r\n$99999999999999999999\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'LLONG_MAX+1 bulk length', input: '*1\r\n$9223372036854775808\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'bulk above proto-max-bulk-len', input: '*1\r\n$536870913\r\n', commands: [], error: E('invalid bulk length') },
  { name: 'expected $', input: '*1\r\nx\r\n', commands: [], error: E("expected '$', got 'x'") },
  { name: 'expected $ got CR', input: '*1\r\n\r\n', commands: [], error: E("expected '$', got ' '") },
  { name: 'expected $ got LF', input: '*1\r\n\n\r\n', commands: [], error: E("expected '$', got ' '") },
  { name: 'expected $ got 0xff', input: '*1\r\n\xff\r\n', commands: [], error: E("expected '$', got '\xff'") },
  { name: 'PING then expected $', input: `${PING}*1\r\nx\r\n`, commands: [['PING']], error: E("expected '$', got 'x'") },
  { name: 'incomplete line is not judged yet', input: '*1\r\nx', commands: [] },
  { name: 'NUL stalls the $ line', input: '*1\r\n\0\r\n', commands: [] },
  { name: 'NUL stalls the count line', input: `*1\0\r\n$4\r\nPING\r\n`, commands: [] },
  { name: 'NUL stalls a bulk length line', input: '*1\r\n$4\0\r\nPING\r\n', commands: [] },
  { name: 'NUL stalls an inline line', input: 'PI\0NG\r\n', commands: [] },
  { name: 'NUL after a token stalls too', input: 'PING \0 x\r\n', commands: [] },
  { name: 'leading NUL', input: '\0PING\r\n', commands: [] },
  { name: 'NUL after complete command', input: `${PING}\0`, commands: [['PING']] },
  { name: 'bytes after payload are not checked', input: '*1\r\n$4\r\nPINGxxPING\r\n', commands: [['PING'], ['PING']] },
  { name: 'byte after CR is not checked', input: '*1\r\n$4\rxPING\r\n', commands: [['PING']] },
  { name: 'byte after count CR is not checked', input: '*1\rx$4\r\nPING\r\n', commands: [['PING']] },
  { name: 'bad CRLF after bulk accepted', input: '*2\r\n$4\r\nECHO\r\n$3\r\nabc\n\n', commands: [['ECHO', 'abc']] },
  { name: 'empty command name', input: '*1\r\n$0\r\n\r\n', commands: [['']] },
  { name: 'partial command waits', input: `${PING}*1\r\n$4\r\nPI`, commands: [['PING']] },
  { name: 'closing quote then text', input: '"foo"bar\r\n', commands: [], error: E('unbalanced quotes in request') },
  { name: 'hex and \\n escapes', input: 'ECHO "a\\x41\\n"\r\n', commands: [['ECHO', 'aA\n']] },
  { name: 'escaped single quote', input: "ECHO 'a\\'b'\r\n", commands: [['ECHO', "a'b"]] },
  { name: 'vertical tab inside a token', input: 'ECHO a\x0bb\r\n', commands: [['ECHO', 'a\x0bb']] },
  { name: 'vertical tab after a closing quote', input: 'ECHO "a"\x0b\r\n', commands: [['ECHO', 'a']] },
  { name: 'short hex escape', input: 'ECHO "\\x4"\r\n', commands: [['ECHO', 'x4']] },
  { name: 'bad hex escape', input: 'ECHO "\\x4g"\r\n', commands: [['ECHO', 'x4g']] },
  { name: 'backslash before closing quote', input: 'ECHO "abc\\"\r\n', commands: [], error: E('unbalanced quotes in request') },
  { name: 'escaped NUL', input: 'ECHO "\\x00z"\r\n', commands: [['ECHO', '\0z']] },
  { name: 'unknown escape', input: 'ECHO "a\\zb"\r\n', commands: [['ECHO', 'azb']] },
  { name: 'single quotes keep backslash-n', input: "ECHO 'a\\nb'\r\n", commands: [['ECHO', 'a\\nb']] },
  { name: 'single quote then text', input: "ECHO 'ab'c\r\n", commands: [], error: E('unbalanced quotes in request') },
  { name: 'unterminated double quote', input: 'ECHO "ab\r\n', commands: [], error: E('unbalanced quotes in request') },
  { name: 'unterminated single quote', input: "ECHO 'ab\r\n", commands: [], error: E('unbalanced quotes in request') },
  { name: 'quotes mid token', input: 'ECHO a"b c"d\r\n', commands: [], error: E('unbalanced quotes in request') },
  { name: 'empty double quotes', input: 'ECHO ""\r\n', commands: [['ECHO', '']] },
  { name: 'tab after closing quote', input: 'ECHO "a"\t\r\n', commands: [['ECHO', 'a']] },
  { name: 'escaped double quote', input: 'ECHO "a\\""\r\n', commands: [['ECHO', 'a"']] },
  { name: 'UTF-8 bytes in quotes', input: 'ECHO "\xc3\xa9"\r\n', commands: [['ECHO', '\xc3\xa9']] },
  { name: 'upper-case hex', input: 'ECHO "\\xFF\\xfe"\r\n', commands: [['ECHO', '\xff\xfe']] },
  { name: 'spaces around', input: '  PING  \r\n', commands: [['PING']] },
  { name: 'form feed ends no token', input: '\tPING\x0c\r\n', commands: [['PING\x0c']] },
  { name: 'vertical tab before', input: '\x0bPING\r\n', commands: [['PING']] },
  { name: 'POST line parses as inline', input: 'POST / HTTP/1.1\r\n', commands: [['POST', '/', 'HTTP/1.1']] },
  // unauthenticated limits (requirepass set, not yet authenticated)
  { name: 'unauth *11', input: '*11\r\n', commands: [], error: E('unauthenticated multibulk length'), opts: { unauthenticated: true } },
  { name: 'unauth *10', input: '*10\r\n', commands: [], opts: { unauthenticated: true } },
  { name: 'unauth $16385', input: '*1\r\n$16385\r\n', commands: [], error: E('unauthenticated bulk length'), opts: { unauthenticated: true } },
  { name: 'unauth $16384', input: '*1\r\n$16384\r\n', commands: [], opts: { unauthenticated: true } },
  { name: 'unauth $-1 is invalid first', input: '*1\r\n$-1\r\n', commands: [], error: E('invalid bulk length'), opts: { unauthenticated: true } },
  { name: 'unauth huge count is invalid first', input: '*99999999999\r\n', commands: [], error: E('invalid multibulk length'), opts: { unauthenticated: true } },
  // a replica's link to its primary
  { name: 'primary: bare newline is a keepalive', input: `\n${PING}`, commands: [[], ['PING']], opts: { primary: true } },
  { name: 'primary: inline command is a desync', input: 'PING\r\n', commands: [], error: E('Master using the inline protocol. Desync?'), opts: { primary: true } },
  { name: 'primary: no proto-max-bulk-len', input: '*1\r\n$11\r\nhello world\r\n', commands: [['hello world']], opts: { primary: true, limits: { maxBulkLen: 10 } } },
];

const A = (n: number): string => 'A'.repeat(n);

/**
 * Line-length limits, too big to run at every split. Only inputs whose outcome in Redis does not depend on how its
 * reads split the stream: a line between 64 KB and Redis's read size passes there only when read in one go.
 */
export const BIG_CASES: Case[] = [
  { name: 'inline: 64 KB without newline waits', input: A(65536), commands: [] },
  { name: 'inline: 64 KB + 1 without newline fails', input: A(65537), commands: [], error: E('too big inline request') },
  { name: 'count line: 64 KB without CR waits', input: `*${'1'.repeat(65535)}`, commands: [] },
  { name: 'count line: 64 KB + 1 without CR fails', input: `*${'1'.repeat(65536)}`, commands: [], error: E('too big mbulk count string') },
  { name: 'bulk line: 64 KB without CR waits', input: `*1\r\n$${'1'.repeat(65535)}`, commands: [] },
  { name: 'bulk line: 64 KB + 1 without CR fails', input: `*1\r\n$${'1'.repeat(65536)}`, commands: [], error: E('too big bulk count string') },
  { name: 'non-$ line too big is not "expected $"', input: `*1\r\nx${'1'.repeat(65536)}`, commands: [], error: E('too big bulk count string') },
  { name: 'NUL-stalled inline fails past 64 KB', input: `PI\0NG\r\n${A(65536)}`, commands: [], error: E('too big inline request') },
  { name: 'PING, then a NUL-stalled inline', input: `${PING}PI\0NG\r\n${A(65536)}`, commands: [['PING']], error: E('too big inline request') },
  { name: 'NUL-stalled $ line fails past 64 KB', input: `*1\r\n\0\r\n${A(65536)}`, commands: [], error: E('too big bulk count string') },
  { name: 'NUL-stalled count line fails past 64 KB', input: `*1\0\r\n${A(65536)}`, commands: [], error: E('too big mbulk count string') },
  { name: 'inline: exactly 64 KB before LF passes', input: `PING${' '.repeat(65531)}\r\n`, commands: [['PING']] },
];
