/** Shared drivers for the RequestParser tests: feed chunks, drain commands, record what a server would see. */
import { RequestParser, type ParserLimits } from '../../../src/resp/index.js';

export interface ParseRun {
  commands: string[][];
  consumed: number[];
  error: string | null;
  errorCode: string | null;
  finalConsumed: number;
  /** Largest `buffered` seen after next() returned null. */
  maxBuffered: number;
}

export interface ParseOptions {
  limits?: Partial<ParserLimits>;
  unauthenticated?: boolean;
  primary?: boolean;
}

export function parseChunks(chunks: readonly Uint8Array[], opts: ParseOptions = {}): ParseRun {
  const p = new RequestParser(opts.limits);
  p.unauthenticated = opts.unauthenticated ?? false;
  p.primary = opts.primary ?? false;
  const commands: string[][] = [];
  const consumed: number[] = [];
  let maxBuffered = 0;
  let fed = 0;
  for (const c of chunks) {
    // a fresh Buffer per chunk, as a socket delivers them (the parser may keep references)
    p.feed(Buffer.from(c));
    fed += c.length;
    for (let cmd = p.next(); cmd !== null; cmd = p.next()) {
      commands.push(cmd);
      consumed.push(p.consumed);
    }
    if (p.error === null) {
      if (p.buffered !== fed - p.consumed) throw new Error(`buffered ${p.buffered} != fed ${fed} - consumed ${p.consumed}`);
      maxBuffered = Math.max(maxBuffered, p.buffered);
    }
    if (p.error !== null) break;
  }
  return {
    commands,
    consumed,
    error: p.error?.reply ?? null,
    errorCode: p.error?.code ?? null,
    finalConsumed: p.consumed,
    maxBuffered,
  };
}

/** The three chunkings every case runs through, plus every two-way split. */
export function* chunkings(input: Uint8Array): Generator<{ name: string; chunks: Uint8Array[] }> {
  yield { name: 'one chunk', chunks: [input] };
  yield { name: 'byte by byte', chunks: Array.from(input, (b) => Uint8Array.of(b)) };
  for (let i = 1; i < input.length; i++) {
    yield { name: `split at ${i}`, chunks: [input.subarray(0, i), input.subarray(i)] };
  }
}

export function bytes(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}
