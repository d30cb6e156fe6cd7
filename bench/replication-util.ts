/** Small RESP client and polling for the replication benchmarks (the project's decoder over a socket). */
import { createConnection, type Socket } from 'node:net';
import { RespDecoder } from '../src/resp/decoder.js';
import { toPlain, type PlainValue } from '../src/resp/value.js';
import { encodeCommand } from '../src/node/replication/wire.js';

export class BenchClient {
  readonly #sock: Socket;
  readonly #dec = new RespDecoder();
  readonly #waiting: ((v: PlainValue<string>) => void)[] = [];

  private constructor(sock: Socket) {
    this.#sock = sock;
    sock.on('data', (d) => {
      this.#dec.feed(d);
      for (let v = this.#dec.next(); v !== undefined; v = this.#dec.next()) this.#waiting.shift()?.(toPlain(v));
    });
    sock.on('error', () => {});
  }

  static connect(port: number): Promise<BenchClient> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ port, host: '127.0.0.1' });
      s.once('connect', () => resolve(new BenchClient(s)));
      s.once('error', reject);
    });
  }

  call(...argv: string[]): Promise<PlainValue<string>> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#sock.write(encodeCommand(argv));
    });
  }

  async info(): Promise<string> {
    const v = await this.call('INFO', 'replication');
    return typeof v === 'string' ? v : '';
  }

  /** master_repl_offset from INFO replication. */
  async offset(): Promise<number> {
    const m = /master_repl_offset:(\d+)/.exec(await this.info());
    return m === null ? -1 : Number(m[1]);
  }

  close(): void {
    this.#sock.destroy();
  }
}

export async function waitFor(fn: () => Promise<boolean>, timeoutMs: number, everyMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await fn())) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** `key:<i>` → `value:<i>` for i < n, pipelined in batches over one connection (same data on both servers). */
export async function populate(port: number, n: number): Promise<void> {
  const sock = createConnection({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', reject);
  });
  const BATCH = 10_000;
  let pending = 0;
  let waiter: (() => void) | null = null;
  sock.on('data', (d: Buffer) => {
    for (const b of d) if (b === 0x0a) pending--; // one `+OK\r\n` per SET
    if (pending <= 0 && waiter !== null) waiter();
  });
  for (let i = 0; i < n; i += BATCH) {
    const parts: Buffer[] = [];
    for (let j = i; j < Math.min(n, i + BATCH); j++) parts.push(encodeCommand(['SET', `key:${j}`, `value:${j}`]));
    pending += parts.length;
    await new Promise<void>((resolve) => {
      waiter = resolve;
      sock.write(Buffer.concat(parts));
    });
  }
  sock.destroy();
}
