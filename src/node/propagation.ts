/**
 * Propagation: what a write command sends to replicas and the AOF (replication.md §2.9–2.10), mirroring
 * server.c call() / alsoPropagate / propagatePendingCommands in Redis 7.0.
 *
 * - By default a command is propagated with the client's argv when it made the keyspace dirty.
 * - A handler may `rewrite(argv)` (SET EX → SET PXAT, EXPIRE → PEXPIREAT, INCRBYFLOAT → SET KEEPTTL…),
 *   `prevent()` its own propagation and state its effects with `also(db, argv)` (SPOP n → SREMs), or `force()`
 *   propagation of a command that changed nothing (FLUSHALL on an empty dataset, PUBLISH).
 * - Side effects found while executing (lazy expiry's `DEL k`) are `also` entries, ordered BEFORE the command
 *   itself, because call() appends the command after it ran.
 * - An execution unit (one command, or a whole EXEC) that yields more than one command is wrapped in
 *   MULTI … EXEC; a single command goes bare.
 *
 * Consumers (replication backlog, AOF) receive each unit as one list of {db, argv}, NOT yet wrapped: each
 * consumer keeps its own selected db (replicationFeedSlaves and feedAppendOnlyFile each do) and turns a unit into
 * its command sequence with `toCommandSequence` (or an equivalent encoder): MULTI … EXEC around units of more than
 * one op, MULTI taking the first op's db so the SELECT precedes it and EXEC the last op's db so no SELECT is
 * injected before it (server.c propagatePendingCommands).
 */

export interface PropagatedCommand {
  /** Database the command applies to. */
  readonly db: number;
  readonly argv: readonly string[];
}

/** What a handler may say about the propagation of the command it is executing. */
export interface PropagationSink {
  /** Propagate this argv instead of the client's (only if the command made the dataset dirty, or force()). */
  rewrite(argv: string[]): void;
  /** Propagate an additional command, before the current command's own entry. */
  also(db: number, argv: string[]): void;
  /** Do not propagate the current command itself (its effects were stated with also()). */
  prevent(): void;
  /** Propagate the current command even though it did not make the dataset dirty. */
  force(): void;
}

export interface PropagationConsumer {
  /** One execution unit's ops, in order (never empty). */
  propagate(unit: readonly PropagatedCommand[]): void;
}

/** A running command's propagation state. Frames are pooled: one per nesting level, reused (hot path). */
interface Frame {
  db: number;
  argv: readonly string[];
  rewritten: string[] | null;
  prevented: boolean;
  forced: boolean;
  also: PropagatedCommand[] | null;
}

const EMPTY: readonly string[] = [];

export class Propagator implements PropagationSink {
  readonly #consumers: PropagationConsumer[] = [];
  readonly #frames: Frame[] = [];
  #depth = 0;
  #units = 0;
  #pending: PropagatedCommand[] = [];

  addConsumer(c: PropagationConsumer): () => void {
    this.#consumers.push(c);
    return () => {
      const i = this.#consumers.indexOf(c);
      if (i >= 0) this.#consumers.splice(i, 1);
    };
  }

  /** Whether anyone consumes the stream (callers may skip building costly rewrites otherwise; they need not). */
  get active(): boolean {
    return this.#consumers.length > 0;
  }

  // ---- the execution wrapper's side ----

  /** Start an execution unit (a command from a client, a whole EXEC, a cron job's deletions). Units nest. */
  beginUnit(): void {
    this.#units++;
  }

  /** End a unit; the outermost one hands its commands to the consumers as one unit. */
  endUnit(): void {
    if (this.#units === 0) throw new Error('Propagator.endUnit without beginUnit');
    this.#units--;
    if (this.#units > 0 || this.#pending.length === 0) return;
    const ops = this.#pending;
    this.#pending = [];
    for (const c of this.#consumers) c.propagate(ops);
  }

  /** Before a command's handler runs. */
  beginCommand(db: number, argv: readonly string[]): void {
    let f = this.#frames[this.#depth];
    if (f === undefined) {
      f = { db, argv, rewritten: null, prevented: false, forced: false, also: null };
      this.#frames.push(f);
    } else {
      f.db = db;
      f.argv = argv;
      f.rewritten = null;
      f.prevented = false;
      f.forced = false;
      f.also = null;
    }
    this.#depth++;
  }

  /** After the handler: `dirty` tells whether it changed the dataset (server.dirty moved). */
  endCommand(dirty: boolean): void {
    if (this.#depth === 0) throw new Error('Propagator.endCommand without beginCommand');
    const f = this.#frames[--this.#depth]!;
    if (f.also !== null) for (const a of f.also) this.#pending.push(a);
    if (!f.prevented && (dirty || f.forced)) this.#pending.push({ db: f.db, argv: f.rewritten ?? f.argv });
    f.argv = EMPTY;
    f.rewritten = null;
    f.also = null;
  }

  #top(): Frame | undefined {
    return this.#depth === 0 ? undefined : this.#frames[this.#depth - 1];
  }

  /** Propagate one command as its own unit now (active expiry, eviction, a blocked client served later). */
  emit(db: number, argv: string[]): void {
    this.beginUnit();
    this.#pending.push({ db, argv });
    this.endUnit();
  }

  // ---- PropagationSink, applying to the innermost running command ----

  rewrite(argv: string[]): void {
    const f = this.#top();
    if (f !== undefined) f.rewritten = argv;
  }

  also(db: number, argv: string[]): void {
    const f = this.#top();
    if (f !== undefined) (f.also ??= []).push({ db, argv });
    else this.emit(db, argv);
  }

  prevent(): void {
    const f = this.#top();
    if (f !== undefined) f.prevented = true;
  }

  force(): void {
    const f = this.#top();
    if (f !== undefined) f.forced = true;
  }
}

/**
 * The command sequence a consumer writes for one unit: MULTI/EXEC around more than one op (MULTI in the first
 * op's db, EXEC in the last's), and `SELECT n` before any command whose db differs from the consumer's selected
 * db. Returns the commands and the consumer's new selected db.
 */
export function toCommandSequence(
  unit: readonly PropagatedCommand[],
  selectedDb: number,
): { argvs: (readonly string[])[]; selectedDb: number } {
  const argvs: (readonly string[])[] = [];
  const put = (db: number, argv: readonly string[]): void => {
    if (db >= 0 && db !== selectedDb) {
      argvs.push(['SELECT', String(db)]);
      selectedDb = db;
    }
    argvs.push(argv);
  };
  const wrap = unit.length > 1;
  if (wrap) put(unit[0]!.db, ['MULTI']);
  for (const c of unit) put(c.db, c.argv);
  if (wrap) put(unit[unit.length - 1]!.db, ['EXEC']);
  return { argvs, selectedDb };
}

/** RESP multibulk encoding of one command, as it appears in the replication stream and the AOF. */
export function encodeCommand(argv: readonly string[]): Buffer {
  let size = 16;
  for (const a of argv) size += a.length + 16;
  const buf = Buffer.allocUnsafe(size);
  let pos = buf.latin1Write(`*${argv.length}\r\n`, 0);
  for (const a of argv) {
    pos += buf.latin1Write(`$${a.length}\r\n`, pos);
    pos += buf.latin1Write(a, pos);
    pos += buf.latin1Write('\r\n', pos);
  }
  return buf.subarray(0, pos);
}
