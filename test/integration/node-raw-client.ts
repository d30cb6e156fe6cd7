/**
 * A raw RESP client for fidelity tests: sends commands and returns each reply's exact bytes (latin1), so tredis
 * and redis-server can be compared byte for byte. Only for tests.
 */
import { connect, type Socket } from 'node:net';

/** End offset of the complete RESP value starting at pos, or -1 if more bytes are needed. */
export function replyEnd(buf: Buffer, pos: number): number {
  if (pos >= buf.length) return -1;
  const nl = buf.indexOf('\r\n', pos);
  if (nl < 0) return -1;
  const type = String.fromCharCode(buf[pos]!);
  const head = buf.toString('latin1', pos + 1, nl);
  const after = nl + 2;
  switch (type) {
    case '+': case '-': case ':': case '_': case '#': case ',': case '(':
      return after;
    case '$': case '=': case '!': {
      const n = Number(head);
      if (n < 0) return after;
      return buf.length >= after + n + 2 ? after + n + 2 : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = Number(head);
      if (n < 0) return after;
      if (type === '%' || type === '|') n *= 2;
      let p = after;
      for (let i = 0; i < n; i++) {
        p = replyEnd(buf, p);
        if (p < 0) return -1;
      }
      // an attribute precedes the real value
      return type === '|' ? replyEnd(buf, p) : p;
    }
    default:
      throw new Error(`bad RESP type byte ${JSON.stringify(type)}`);
  }
}

/**
 * The top-level elements of an aggregate reply (`*`, `~`, or `%` with keys and values interleaved), each as its
 * exact bytes; null for other reply types.
 */
export function replyElements(reply: string): string[] | null {
  const kind = reply[0];
  if (kind !== '*' && kind !== '~' && kind !== '%') return null;
  const buf = Buffer.from(reply, 'latin1');
  const nl = buf.indexOf('\r\n');
  const n = Number(buf.toString('latin1', 1, nl)) * (kind === '%' ? 2 : 1);
  const out: string[] = [];
  let p = nl + 2;
  for (let i = 0; i < n; i++) {
    const e = replyEnd(buf, p);
    out.push(buf.toString('latin1', p, e));
    p = e;
  }
  return out;
}

/** Field/value elements as sorted pairs, for replies whose pair order Redis leaves unspecified (HGETALL). */
export function sortedPairs(els: readonly string[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < els.length; i += 2) pairs.push(els[i]! + els[i + 1]!);
  return pairs.sort();
}

export function encodeArgv(argv: readonly string[]): Buffer {
  return Buffer.from(`*${argv.length}\r\n` + argv.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join(''), 'latin1');
}

export class RawClient {
  readonly #sock: Socket;
  #buf = Buffer.alloc(0);
  #waiters: ((s: string) => void)[] = [];
  #closed = false;

  private constructor(sock: Socket) {
    this.#sock = sock;
    sock.on('data', (d: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, d]);
      for (;;) {
        if (this.#waiters.length === 0) return;
        const end = replyEnd(this.#buf, 0);
        if (end < 0) return;
        const s = this.#buf.toString('latin1', 0, end);
        this.#buf = this.#buf.subarray(end);
        this.#waiters.shift()!(s);
      }
    });
    sock.on('close', () => {
      this.#closed = true;
      for (const w of this.#waiters.splice(0)) w('<closed>');
    });
    sock.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Send one command and resolve with its reply bytes. */
  call(argv: readonly string[]): Promise<string> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#sock.write(encodeArgv(argv));
    });
  }

  /** Send raw bytes and resolve with the next reply. */
  callRaw(bytes: Buffer | string): Promise<string> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#sock.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    });
  }

  close(): void {
    this.#sock.destroy();
  }
}
