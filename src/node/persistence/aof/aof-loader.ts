/**
 * Replaying a multi-part AOF at start-up (aof.c loadAppendOnlyFiles / loadSingleAppendOnlyFile):
 *
 *  - the BASE file first: an RDB (aof-use-rdb-preamble, the 7.0 default) loaded with expired keys kept, or a
 *    command log; then every INCR file in manifest order;
 *  - a torn tail (partial command, or a MULTI without EXEC at the end) is loadable only in the LAST file and only
 *    with aof-load-truncated yes: the file is then truncated to the last complete command (Redis does the same,
 *    so appending resumes on a clean boundary) and a warning is logged;
 *  - anything else (a format error, a torn file that is not the last, a file listed but missing, an unknown
 *    command) is fatal: start-up stops with an AofError and no file is modified.
 *
 * Commands are executed by the node through an AofReplayer, like Redis's fake AOF client.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { AofError, RdbError } from '../errors.js';
import { RdbLoader, type LoadedDb, type LoadResult } from '../rdb-loader.js';
import { AofCommandReader } from './aof-reader.js';
import { manifestName, parseManifest, type AofManifest } from './manifest.js';

export interface AofReplayer {
  /** Install an RDB base (replacing the whole dataset). */
  installBase(dbs: LoadedDb[], result: LoadResult): void;
  /** Execute one logged command as the AOF client: no reply; SELECT/MULTI/EXEC as a client would. Throws for
   *  an unknown command. */
  apply(argv: string[]): void;
}

export interface AofLoadLogger {
  notice(msg: string): void;
  warning(msg: string): void;
}

export interface AofLoadOptions {
  readonly dir: string;
  readonly dirname: string;
  readonly filename: string;
  readonly databases: number;
  readonly loadTruncated: boolean;
}

export type FileOutcome = 'ok' | 'truncated' | 'empty';

export interface AofLoadResult {
  readonly manifest: AofManifest;
  /** Nothing to load: no manifest, or the listed files are all empty. */
  readonly status: 'loaded' | 'not-exist' | 'empty';
  readonly totalSize: number;
  readonly baseSize: number;
  readonly commands: number;
  readonly truncated: boolean;
  /** RDB base statistics, when the base was an RDB. */
  readonly base: LoadResult | null;
}

const CHUNK = 4 * 1024 * 1024;

export function readManifest(opts: AofLoadOptions): AofManifest | null {
  const dirPath = join(opts.dir, opts.dirname);
  const path = join(dirPath, manifestName(opts.filename));
  if (!existsSync(dirPath) || !existsSync(path)) return null;
  return parseManifest(readFileSync(path, 'latin1'));
}

export function loadAof(opts: AofLoadOptions, manifest: AofManifest, replayer: AofReplayer, log: AofLoadLogger): AofLoadResult {
  const dirPath = join(opts.dir, opts.dirname);
  const files = [...(manifest.base !== null ? [manifest.base] : []), ...manifest.incr];
  if (files.length === 0) {
    return { manifest, status: 'not-exist', totalSize: 0, baseSize: 0, commands: 0, truncated: false, base: null };
  }
  let total = 0;
  for (const f of files) {
    try {
      total += statSync(join(dirPath, f.name)).size;
    } catch (e) {
      // an AOF listed in the manifest but missing on disk is fatal (AOF_NOT_EXIST → AOF_FAILED)
      throw new AofError('EAOF_MISSING', `The append log file ${f.name} doesn't exist`, { cause: e });
    }
  }
  if (total === 0) return { manifest, status: 'empty', totalSize: 0, baseSize: 0, commands: 0, truncated: false, base: null };

  let commands = 0;
  let truncated = false;
  let base: LoadResult | null = null;
  let baseSize = 0;
  files.forEach((f, i) => {
    const last = i === files.length - 1;
    const isBase = f === manifest.base;
    const path = join(dirPath, f.name);
    if (isBase) baseSize = statSync(path).size;
    const r = loadSingleFile(path, f.name, isBase, last, opts, replayer, log);
    commands += r.commands;
    if (r.base !== null) base = r.base;
    if (r.outcome === 'truncated') truncated = true;
    log.notice(`DB loaded from ${isBase ? 'base' : 'incr'} file ${f.name}`);
  });
  return { manifest, status: 'loaded', totalSize: total, baseSize, commands, truncated, base };
}

interface SingleResult {
  outcome: FileOutcome;
  commands: number;
  base: LoadResult | null;
}

function loadSingleFile(
  path: string,
  name: string,
  isBase: boolean,
  last: boolean,
  opts: AofLoadOptions,
  replayer: AofReplayer,
  log: AofLoadLogger,
): SingleResult {
  const fd = openSync(path, 'r');
  let base: LoadResult | null = null;
  let commands = 0;
  let validUpTo = 0;
  let validBeforeMulti = 0;
  let inMulti = false;
  let reader: AofCommandReader;
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { outcome: 'empty', commands: 0, base: null };
    const first = Buffer.alloc(Math.min(size, CHUNK));
    let n = readSync(fd, first, 0, first.length, null);
    let chunk: Buffer = first.subarray(0, n);
    if (chunk.length >= 5 && chunk.latin1Slice(0, 5) === 'REDIS') {
      if (!isBase) throw new AofError('EAOF_CORRUPT', `Unexpected RDB content in incr file ${name}`);
      log.notice('Reading RDB base file on AOF loading...');
      const loader = new RdbLoader({ databases: opts.databases, dropExpiredBefore: null });
      for (;;) {
        loader.push(chunk);
        if (loader.parser.done) break;
        const buf = Buffer.allocUnsafe(CHUNK);
        n = readSync(fd, buf, 0, CHUNK, null);
        if (n === 0) break;
        chunk = buf.subarray(0, n);
      }
      try {
        base = loader.finish();
      } catch (e) {
        if (e instanceof RdbError) {
          throw new AofError('EAOF_CORRUPT', `Error reading the RDB base file ${name}, AOF loading aborted: ${e.message}`, { cause: e });
        }
        throw e;
      }
      replayer.installBase(base.dbs, base);
      // an old-style preamble AOF continues with commands after the RDB
      chunk = loader.parser.takeTrailing();
      validUpTo = base.summary.bytes;
      reader = new AofCommandReader(name, validUpTo);
    } else {
      reader = new AofCommandReader(name, 0);
    }
    for (;;) {
      for (const cmd of reader.push(chunk)) {
        const verb = cmd.argv[0]!.toLowerCase();
        if (verb === 'multi') {
          validBeforeMulti = validUpTo;
          inMulti = true;
        } else if (verb === 'exec' || verb === 'discard') {
          inMulti = false;
        }
        try {
          replayer.apply(cmd.argv);
        } catch (e) {
          if (e instanceof AofError) throw e;
          throw new AofError('EAOF_COMMAND', `Error replaying '${cmd.argv[0]!}' from the append only file ${name}: ${String(e)}`, {
            cause: e,
          });
        }
        commands++;
        validUpTo = cmd.end;
      }
      const buf = Buffer.allocUnsafe(CHUNK);
      n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      chunk = buf.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }

  let torn = reader.leftover > 0;
  if (inMulti) {
    // "Revert incomplete MULTI/EXEC transaction in AOF file": drop the queued commands and cut before MULTI
    log.warning(`Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
    replayer.apply(['DISCARD']);
    validUpTo = validBeforeMulti;
    torn = true;
  }
  if (!torn) return { outcome: 'ok', commands, base };

  if (!opts.loadTruncated) {
    throw new AofError(
      'EAOF_TRUNCATED',
      `Unexpected end of file reading the append only file ${name}. You can: 1) Make a backup of your AOF file, then use ` +
        "./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
    );
  }
  if (!last) throw new AofError('EAOF_TRUNCATED', `Fatal error: the truncated file ${name} is not the last file`);
  log.warning(`!!! Warning: short read while loading the AOF file ${name}!!!`);
  log.warning(`!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
  truncateSync(path, validUpTo);
  log.warning(`AOF ${name} loaded anyway because aof-load-truncated is enabled`);
  return { outcome: 'truncated', commands, base };
}
