/**
 * The I/O edge of CONFIG REWRITE and of sentinel's state flush: read the current file, let a pure function
 * produce the new text (rewrite.ts), replace the file atomically (atomic-write.ts). Also the start-up check that
 * the file can be written at all (sentinel.c sentinelCheckConfigFile).
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { atomicWriteFile, FileWriteError, type AtomicWriteOptions, type AtomicWriteResult } from '../atomic-write.js';
import { CONFIG_MESSAGES } from './messages.js';
import { errnoCode, strerror } from './os-errors.js';

export interface RewriteFileOptions extends AtomicWriteOptions {
  /** Reads the current text as a byte string; default node:fs latin1. Throw ENOENT for a missing file. */
  readonly readText?: (path: string) => string;
}

/**
 * Rewrites `path` with `render(oldText)`. A missing file counts as empty (rewriteConfigReadOldFile); any other
 * read error throws FileWriteError (step `open-temp` is not reached, the file is untouched).
 */
export function rewriteConfigFile(
  path: string,
  render: (oldText: string) => string,
  opts: RewriteFileOptions = {},
): AtomicWriteResult {
  const read = opts.readText ?? ((p: string) => readFileSync(p, 'latin1'));
  let old: string;
  try {
    old = read(path);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw new FileWriteError(path, 'open-temp', err);
    old = '';
  }
  return atomicWriteFile(path, render(old), opts);
}

/** access(W_OK) as a port, so the check can be tested without depending on the test runner's uid. */
export type AccessFn = (path: string) => void;

const nodeAccessWritable: AccessFn = (path) => accessSync(path, constants.W_OK);

/** Whether the file can be written: undefined if so, else strerror text (`Permission denied`). */
export function checkWritable(path: string, access: AccessFn = nodeAccessWritable): string | undefined {
  try {
    access(path);
    return undefined;
  } catch (err) {
    return strerror(err);
  }
}

/**
 * sentinelCheckConfigFile: a sentinel needs a writable config file to persist its state. Returns the fatal
 * message Redis prints (then exits 1), or undefined when all is well.
 */
export function checkSentinelConfigFile(path: string | undefined, access: AccessFn = nodeAccessWritable): string | undefined {
  if (path === undefined) return CONFIG_MESSAGES.sentinelNeedsFile;
  const reason = checkWritable(path, access);
  return reason === undefined ? undefined : CONFIG_MESSAGES.sentinelNotWritable(path, reason);
}
