/**
 * The Redis 7.0 multi-part AOF manifest (aof.c aofLoadManifestFromFile / getAofManifestAsString): a small text
 * file in `appenddirname` listing the BASE file (an RDB or AOF snapshot), HISTORY files awaiting deletion and the
 * INCR files (commands since the base), one per line:
 *
 *   file appendonly.aof.1.base.rdb seq 1 type b
 *   file appendonly.aof.1.incr.aof seq 1 type i
 *
 * Implementing the same layout means a data directory moves between redis-server 7.0 and tredis unchanged.
 */
import { splitArgs } from '../../../common/split-args.js';
import { AofError } from '../errors.js';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofInfo {
  readonly name: string;
  readonly seq: number;
  readonly type: AofFileType;
}

export interface AofManifest {
  base: AofInfo | null;
  history: AofInfo[];
  incr: AofInfo[];
  /** Highest sequence numbers handed out so far (curr_base_file_seq / curr_incr_file_seq). */
  baseSeq: number;
  incrSeq: number;
}

export function emptyManifest(): AofManifest {
  return { base: null, history: [], incr: [], baseSeq: 0, incrSeq: 0 };
}

export function cloneManifest(m: AofManifest): AofManifest {
  return { base: m.base, history: [...m.history], incr: [...m.incr], baseSeq: m.baseSeq, incrSeq: m.incrSeq };
}

function fail(message: string, line?: number, text?: string): never {
  // aofLoadManifestFromFile logs "*** FATAL AOF MANIFEST FILE ERROR ***", the line and the reason, then exits
  const where = line !== undefined ? ` (line ${line}${text !== undefined ? `: '${text}'` : ''})` : '';
  throw new AofError('EAOF_MANIFEST', `${message}${where}`);
}

/** Parse a manifest; errors carry Redis's messages. */
export function parseManifest(text: string): AofManifest {
  const m = emptyManifest();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) fail('Found an empty AOF manifest');
  let maxSeq = 0;
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (raw.startsWith('#')) return;
    if (raw.length > 1024) fail('The AOF manifest file contains too long line', lineNo);
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line.length === 0) fail('Invalid AOF manifest file format', lineNo, line);
    const argv = splitArgs(line);
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) fail('Invalid AOF manifest file format', lineNo, line);
    let name: string | undefined;
    let seq = 0;
    let type: string | undefined;
    for (let k = 0; k < argv.length; k += 2) {
      const key = argv[k]!.toLowerCase();
      const val = argv[k + 1]!;
      if (key === 'file') {
        name = val;
        if (name.includes('/') || name === '.' || name === '..') fail("File can't be a path, just a filename", lineNo, line);
      } else if (key === 'seq') {
        seq = Number.parseInt(val, 10) || 0; // atoll
      } else if (key === 'type') {
        type = val[0];
      }
    }
    if (name === undefined || name === '' || seq === 0 || type === undefined) fail('Invalid AOF manifest file format', lineNo, line);
    if (type === 'b') {
      if (m.base !== null) fail('Found duplicate base file information', lineNo, line);
      m.base = { name, seq, type };
      m.baseSeq = seq;
    } else if (type === 'h') {
      m.history.push({ name, seq, type });
    } else if (type === 'i') {
      if (seq <= maxSeq) fail('Found a non-monotonic sequence number', lineNo, line);
      m.incr.push({ name, seq, type });
      m.incrSeq = seq;
      maxSeq = seq;
    } else {
      fail('Unknown AOF file type', lineNo, line);
    }
  });
  return m;
}

/** sdsneedsrepr: names with spaces, quotes or control characters are written quoted (sdscatrepr). */
function repr(name: string): string {
  if (!/[\s"'\\\x00-\x1f\x7f-\xff]/.test(name)) return name;
  let out = '"';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** BASE first, then HISTORY, then INCR, as getAofManifestAsString. */
export function formatManifest(m: AofManifest): string {
  const line = (ai: AofInfo): string => `file ${repr(ai.name)} seq ${ai.seq} type ${ai.type}\n`;
  let out = '';
  if (m.base !== null) out += line(m.base);
  for (const h of m.history) out += line(h);
  for (const i of m.incr) out += line(i);
  return out;
}

/** getNewBaseFileNameAndMarkPreAsHistory: `<appendfilename>.<seq>.base.(rdb|aof)`; the old base becomes history. */
export function newBase(m: AofManifest, appendFilename: string, rdbPreamble: boolean): AofInfo {
  if (m.base !== null) m.history.unshift({ ...m.base, type: 'h' });
  const seq = ++m.baseSeq;
  const base: AofInfo = { name: `${appendFilename}.${seq}.base.${rdbPreamble ? 'rdb' : 'aof'}`, seq, type: 'b' };
  m.base = base;
  return base;
}

/** getNewIncrAofName: `<appendfilename>.<seq>.incr.aof`, appended to the INCR list. */
export function newIncr(m: AofManifest, appendFilename: string): AofInfo {
  const seq = ++m.incrSeq;
  const incr: AofInfo = { name: `${appendFilename}.${seq}.incr.aof`, seq, type: 'i' };
  m.incr.push(incr);
  return incr;
}

/** markRewrittenIncrAofAsHistory: every INCR but `keep` (the one being written) becomes history. */
export function markIncrAsHistory(m: AofManifest, keep: AofInfo | null): void {
  const moved = m.incr.filter((i) => i !== keep);
  m.incr = keep !== null && m.incr.includes(keep) ? [keep] : [];
  for (let k = moved.length - 1; k >= 0; k--) m.history.unshift({ ...moved[k]!, type: 'h' });
}

export function manifestName(appendFilename: string): string {
  return `${appendFilename}.manifest`;
}
