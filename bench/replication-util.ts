/**
 * What the replication benchmarks share: the node processes (the real tredis bin and redis-server, started the
 * same way: loopback, no save points, no AOF, diskless full syncs without delay), a small RESP client (the
 * project's decoder over a socket), polling, and a pipelined loader.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RespDecoder } from '../src/resp/decoder.js';
import { toPlain, type PlainValue } from '../src/resp/value.js';
import { encodeCommand } from '../src/node/replication/wire.js';
import { binArgv, TREDIS_BIN } from './bins.js';

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


/**
 * Node processes in one temporary folder, each on its own port with its own dump file. `stopAll()` kills every
 * process started here (by its handle) and removes the folder.
 */
export class NodeProcesses {
  readonly dir: string;
  readonly #procs: ChildProcess[] = [];

  constructor(prefix: string) {
    binArgv(TREDIS_BIN); // fails early when dist/ is missing
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  #args(port: number): string[] {
    return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--dbfilename', `d${port}.rdb`,
      '--repl-diskless-sync-delay', '0'];
  }

  redis(port: number, extra: string[] = []): Promise<ChildProcess> {
    return this.#start('redis-server', [...this.#args(port), ...extra], 'Ready to accept connections');
  }

  tredis(port: number, extra: string[] = []): Promise<ChildProcess> {
    return this.#start(process.execPath, [...binArgv(TREDIS_BIN), ...this.#args(port), ...extra], 'ready to accept connections');
  }

  /** Resolves once the process printed `readyText`; rejects if it exits first. */
  #start(cmd: string, args: string[], readyText: string): Promise<ChildProcess> {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir });
    this.#procs.push(p);
    return new Promise((resolve, reject) => {
      let out = '';
      const onData = (d: Buffer): void => {
        out += d.toString();
        if (out.includes(readyText)) resolve(p);
      };
      p.stdout!.on('data', onData);
      p.stderr!.on('data', onData);
      p.once('exit', (code) => reject(new Error(`${cmd} exited (${code}): ${out}`)));
    });
  }

  stop(p: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      if (p.exitCode !== null || p.signalCode !== null) return resolve();
      p.once('exit', () => resolve());
      p.kill('SIGKILL');
    });
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.#procs.map((p) => this.stop(p)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
