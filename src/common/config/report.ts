/**
 * The start-up report for a bad configuration, Redis-like but with every problem and its file:line
 * (config.c loaderr prints only the first, without the file name):
 *
 *   *** FATAL CONFIG FILE ERROR (tredis 0.1.0) ***
 *   conf/node.conf:12: Bad directive or wrong number of arguments
 *   >>> 'replcaof 127.0.0.1 6379'
 *
 * Byte strings from the file are shown as UTF-8 where they decode, and control bytes are escaped, so a stray
 * binary byte cannot mess up the terminal.
 */
import { bytesToUtf8 } from '../bytes.js';
import { ConfigError } from '../errors.js';
import type { ConfigIssue } from './lines.js';

/** The whole report, ending with a newline; `product` is e.g. `tredis 0.1.0`. */
export function formatConfigReport(product: string, issues: readonly ConfigIssue[]): string {
  let out = `\n*** FATAL CONFIG FILE ERROR (${product}) ***\n`;
  for (const issue of issues) {
    const loc = issue.line !== undefined ? `${issue.file}:${issue.line}` : issue.file;
    out += `${loc}: ${printable(issue.message)}\n`;
    if (issue.text !== undefined) out += `>>> '${printable(bytesToUtf8(issue.text))}'\n`;
  }
  return out;
}

/** One ConfigError per issue, for callers that want exceptions (the first one is usually thrown). */
export function toConfigErrors(issues: readonly ConfigIssue[]): ConfigError[] {
  return issues.map((i) => new ConfigError(i.message, { file: i.file, line: i.line, text: i.text }));
}

function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
