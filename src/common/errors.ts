/**
 * Base for the project's error classes: a stable machine-readable `code`, a `name` per class, and `cause` chaining.
 * Handlers return results for expected outcomes; errors are thrown only for broken invariants or failed I/O.
 */
export class TsentinelError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A configuration problem, reported as `file:line: message` so users can find the offending line. */
export class ConfigError extends TsentinelError {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly text: string | undefined;

  constructor(
    message: string,
    where: { file?: string | undefined; line?: number | undefined; text?: string | undefined } = {},
    options?: { cause?: unknown },
  ) {
    super('ECONFIG', ConfigError.format(message, where), options);
    this.file = where.file;
    this.line = where.line;
    this.text = where.text;
  }

  static format(message: string, where: { file?: string | undefined; line?: number | undefined; text?: string | undefined }): string {
    const loc = where.file !== undefined ? `${where.file}${where.line !== undefined ? `:${where.line}` : ''}: ` : '';
    const text = where.text !== undefined ? `\n>>> '${where.text}'` : '';
    return `${loc}${message}${text}`;
  }
}
