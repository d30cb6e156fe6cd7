/**
 * Turns what one top-level command propagated into replication-stream bytes (server.c propagatePendingCommands,
 * replication.c replicationFeedSlaves):
 *
 * - a `SELECT <db>` precedes any command whose db differs from the stream's current db, which starts unknown and
 *   is forgotten after every full-resync setup and on promotion (so the next write re-selects);
 * - more than one op is wrapped in MULTI … EXEC; MULTI takes the first op's db (so the SELECT comes before it) and
 *   EXEC the last op's db (so no SELECT is injected before EXEC); a single op goes bare;
 * - db-less traffic (the keepalive `ping`, `REPLCONF GETACK *`) rides in the current db and never selects.
 */
import type { ByteString } from '../../../common/bytes.js';
import { encodeCommand, EXEC_COMMAND, MULTI_COMMAND, selectCommand } from '../wire.js';

export interface PropagatedOp {
  readonly db: number;
  readonly argv: readonly ByteString[];
}

export class StreamEncoder {
  /** The db the stream is in (server.slaveseldb); -1 = unknown. */
  #db = -1;

  get currentDb(): number {
    return this.#db;
  }

  /** Forget the stream's db: the next op is preceded by SELECT. */
  resetDb(): void {
    this.#db = -1;
  }

  /** Encode one top-level command's ops; `wrap` false for active-expiry/eviction deletes, always sent alone. */
  encodeUnit(ops: readonly PropagatedOp[], wrap = true): Buffer {
    if (ops.length === 0) return Buffer.alloc(0);
    if (ops.length === 1) return this.#op(ops[0]!.db, encodeCommand(ops[0]!.argv));
    const parts: Buffer[] = [];
    const multi = wrap;
    if (multi) parts.push(this.#op(ops[0]!.db, MULTI_COMMAND));
    for (const op of ops) parts.push(this.#op(op.db, encodeCommand(op.argv)));
    if (multi) parts.push(this.#op(ops[ops.length - 1]!.db, EXEC_COMMAND));
    return Buffer.concat(parts);
  }

  #op(db: number, cmd: Buffer): Buffer {
    if (db === this.#db) return cmd;
    this.#db = db;
    return Buffer.concat([selectCommand(db), cmd]);
  }
}
