/**
 * A minimal RESP2 client for the replication integration tests (the real decoder over a real socket), plus
 * polling helpers. Talks to our nodes and to real redis-server alike.
 */
import { createConnection, type Socket } from 'node:net';
import { RespDecoder } from '../../src/resp/decoder.js';
import { toPlain, type PlainValue } from '../../src/resp/value.js';
import { encodeCommand } from '../../src/node/replication/wire.js';

export class TestClient {
  readonly #sock: Socket;
  readonly #dec = new RespDecoder();
  readonly #waiting: ((v: PlainValue<string>) => void)[] = [];
  #closed = false;

  private constructor(sock: Socket) {
    this.#sock = sock;
    sock.on('data', (d) => {
      this.#dec.feed(d);
      for (;;) {
        const v = this.#dec.next();
        if (v === undefined) break;
        this.#waiting.shift()?.(toPlain(v));
      }
    });
    sock.on('error', () => {});
    sock.on('close', () => {
      this.#closed = true;
      for (const w of this.#waiting.splice(0)) w(new Error('connection closed') as unknown as PlainValue<string>);
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ port, host });
      s.once('connect', () => resolve(new TestClient(s)));
      s.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  call(...argv: (string | number)[]): Promise<PlainValue<string>> {
    if (this.#closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#sock.write(encodeCommand(argv.map(String)));
    });
  }

  /** The next value the server sends without a request (a pub/sub message). */
  next(): Promise<PlainValue<string>> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** A reply expected to be a string (bulk/simple); errors become their text. */
  async str(...argv: (string | number)[]): Promise<string | null> {
    const v = await this.call(...argv);
    if (v instanceof Error) return v.message;
    return v === null ? null : String(v as string | number);
  }

  close(): void {
    this.#sock.destroy();
  }
}

/** One INFO field (`INFO replication` text). */
export function infoField(info: string, name: string): string | undefined {
  for (const line of info.split('\r\n')) if (line.startsWith(`${name}:`)) return line.slice(name.length + 1);
  return undefined;
}

/** Poll `fn` until it returns a truthy value; rejects with the last value after `timeoutMs`. */
export async function until<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
