import { TsentinelError } from '../../common/errors.js';

/**
 * Why an RDB (file, replication payload or DUMP value) could not be read. The codes separate what a caller does
 * differently: a truncated replication payload is retried, a corrupt file stops start-up.
 */
export type RdbErrorCode =
  | 'ERDB_SIGNATURE' // "Wrong signature trying to load DB from file"
  | 'ERDB_VERSION' // "Can't handle RDB format version N"
  | 'ERDB_TRUNCATED' // "Short read or OOM loading DB" / "Unexpected EOF reading RDB file"
  | 'ERDB_CORRUPT' // rdbReportCorruptRDB: bad encoding, duplicate members, invalid listpack, …
  | 'ERDB_CHECKSUM' // "Wrong RDB checksum expected: (x) but got (y)"
  | 'ERDB_DBINDEX' // SELECTDB beyond the configured number of databases
  | 'ERDB_DUPKEY' // "Duplicated key found in RDB file"
  | 'ERDB_UNSUPPORTED'; // module data, functions: things tredis cannot represent

export class RdbError extends TsentinelError {
  declare readonly code: RdbErrorCode;
  /** Byte offset in the RDB where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(code: RdbErrorCode, message: string, offset?: number, options?: { cause?: unknown }) {
    super(code, offset !== undefined ? `${message} (at byte ${offset})` : message, options);
    this.offset = offset;
  }
}

/** An AOF that cannot be replayed. */
export type AofErrorCode = 'EAOF_TRUNCATED' | 'EAOF_CORRUPT' | 'EAOF_MANIFEST' | 'EAOF_COMMAND' | 'EAOF_MISSING';

export class AofError extends TsentinelError {
  declare readonly code: AofErrorCode;
  constructor(code: AofErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** A save (SAVE, BGSAVE, shutdown) failed: disk full, permission, rename. */
export class SaveError extends TsentinelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ESAVE', message, options);
  }
}
