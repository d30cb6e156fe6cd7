/**
 * Parsing an AOF's command log (aof.c loadSingleAppendOnlyFile): RESP arrays of bulk strings, one command each,
 * with optional `#...` annotation lines (timestamps) between them. Bytes are pushed in chunks; each complete
 * command is handed out with the file offset just past it (valid_up_to, where Redis truncates a torn tail).
 *
 * Outcomes at the end of the input, as Redis classifies them:
 *  - a partial command at the end: a short read ("truncated") — loadable with aof-load-truncated;
 *  - a malformed command (no '*', no '$', bad counts): a format error — always fatal.
 */
import { AofError } from '../errors.js';

export interface AofCommand {
  readonly argv: string[];
  /** File offset just past this command. */
  readonly end: number;
}

class Incomplete {}
const INCOMPLETE = new Incomplete();

const MAX_ARGS = 1024 * 1024;
const MAX_BULK = 512 * 1024 * 1024;

export class AofCommandReader {
  #buf: Buffer = Buffer.alloc(0);
  #pos = 0;
  /** File offset of #buf[0]. */
  #base = 0;
  #pending: Buffer[] = [];
  #pendingLen = 0;
  #waitFor = 0;
  readonly #file: string;

  constructor(file: string, startOffset = 0) {
    this.#file = file;
    this.#base = startOffset;
  }

  /** File offset up to which complete commands have been returned. */
  get offset(): number {
    return this.#base + this.#pos;
  }

  /** Feed bytes; returns the complete commands they finish. */
  push(chunk: Buffer): AofCommand[] {
    this.#pending.push(chunk);
    this.#pendingLen += chunk.length;
    if (this.#base + this.#buf.length + this.#pendingLen < this.#waitFor) return [];
    const rest = this.#buf.subarray(this.#pos);
    this.#buf = Buffer.concat(rest.length > 0 ? [rest, ...this.#pending] : this.#pending);
    this.#base += this.#pos;
    this.#pos = 0;
    this.#pending = [];
    this.#pendingLen = 0;
    const out: AofCommand[] = [];
    for (;;) {
      const start = this.#pos;
      try {
        const argv = this.#command();
        if (argv === null) continue; // annotation
        out.push({ argv, end: this.#base + this.#pos });
      } catch (e) {
        if (e !== INCOMPLETE) throw e;
        this.#pos = start;
        const have = this.#buf.length - start;
        this.#waitFor = this.#base + start + (have > 1024 * 1024 ? have * 2 : have + 1);
        return out;
      }
    }
  }

  /** Bytes left over after the last complete command (a torn tail when non-zero). */
  get leftover(): number {
    return this.#buf.length - this.#pos + this.#pendingLen;
  }

  #fmt(what: string): AofError {
    return new AofError(
      'EAOF_CORRUPT',
      `Bad file format reading the append only file ${this.#file} (${what} at offset ${this.#base + this.#pos}): ` +
        'make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>',
    );
  }

  #line(): string {
    const nl = this.#buf.indexOf(0x0a, this.#pos);
    if (nl < 0) throw INCOMPLETE;
    const s = this.#buf.latin1Slice(this.#pos, nl + 1);
    this.#pos = nl + 1;
    return s;
  }

  /** One command, or null for an annotation line. */
  #command(): string[] | null {
    if (this.#pos >= this.#buf.length) throw INCOMPLETE;
    const first = this.#buf[this.#pos];
    const header = this.#line();
    if (first === 0x23 /* # */) return null;
    if (first !== 0x2a /* * */) throw this.#fmt('expected a multibulk header');
    const argc = parseInt(header.slice(1), 10);
    if (!(argc >= 1) || argc > MAX_ARGS) throw this.#fmt('invalid argument count');
    const argv: string[] = new Array(argc);
    for (let j = 0; j < argc; j++) {
      if (this.#pos >= this.#buf.length) throw INCOMPLETE;
      if (this.#buf[this.#pos] !== 0x24 /* $ */) throw this.#fmt("expected '$'");
      const lenLine = this.#line();
      const len = parseInt(lenLine.slice(1), 10);
      if (!(len >= 0) || len > MAX_BULK) throw this.#fmt('invalid bulk length');
      if (this.#pos + len + 2 > this.#buf.length) throw INCOMPLETE;
      argv[j] = this.#buf.latin1Slice(this.#pos, this.#pos + len);
      this.#pos += len + 2; // the CRLF is discarded unchecked, as fread(buf,2,1,fp)
    }
    return argv;
  }
}
