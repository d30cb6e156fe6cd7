/**
 * Listening sockets for `bind`/`port`/`unixsocket` (server.c listenToPort, anet.c). `*` binds every IPv4
 * address, `::*` every IPv6 one (IPv6-only, as Redis sets IPV6_V6ONLY), and a leading `-` marks an address as
 * optional: it is skipped with a notice when the host cannot bind it (no IPv6, address not present).
 */
import { chmodSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { TsentinelError } from '../common/errors.js';
import type { ServerSettings } from './settings.js';

export class ListenError extends TsentinelError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ELISTEN', message, options);
  }
}

export interface BoundListener {
  readonly server: Server;
  /** `127.0.0.1`, `::`, or the unix socket path. */
  readonly address: string;
  readonly port: number;
  readonly unix: boolean;
}

export interface ListenRequest {
  readonly bind: readonly string[];
  /** 0 with `ephemeral` asks the OS for a port (shared by all addresses); 0 otherwise means no TCP. */
  readonly port: number;
  readonly ephemeral: boolean;
  readonly backlog: number;
  readonly unixsocket: string;
  readonly unixsocketperm: number;
  readonly onConnection: (socket: Socket, unix: boolean) => void;
  readonly notice: (msg: string) => void;
}

/** errno values for which an optional (`-`) address is skipped (anet.c / listenToPort). */
const SKIPPABLE = new Set(['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT', 'ESOCKTNOSUPPORT', 'EPFNOSUPPORT', 'ENOPROTOOPT']);

export async function listenAll(req: ListenRequest): Promise<BoundListener[]> {
  const out: BoundListener[] = [];
  try {
    if (req.port !== 0 || req.ephemeral) {
      let port = req.port;
      for (const raw of req.bind) {
        const optional = raw.startsWith('-');
        const spec = optional ? raw.slice(1) : raw;
        const host = spec === '*' ? '0.0.0.0' : spec === '::*' ? '::' : spec;
        const v6 = host.includes(':');
        const server = createServer({ noDelay: true }, (sock) => req.onConnection(sock, false));
        try {
          await listen(server, { host, port, backlog: req.backlog, ipv6Only: v6 });
        } catch (err) {
          const code = errCode(err);
          if (optional && code !== undefined && SKIPPABLE.has(code)) {
            req.notice(`Skipping optional listening address ${spec}:${port}: ${code}`);
            continue;
          }
          throw new ListenError(`Could not create server TCP listening socket ${spec}:${port}: bind: ${describe(err)}`, {
            cause: err,
          });
        }
        const addr = server.address();
        if (addr !== null && typeof addr === 'object') {
          if (port === 0) port = addr.port;
          out.push({ server, address: addr.address, port: addr.port, unix: false });
        }
      }
    }
    if (req.unixsocket !== '') {
      const path = req.unixsocket;
      try {
        unlinkSync(path); // a stale socket file from a previous run (anetUnixServer does the same)
      } catch {
        // absent: fine
      }
      const server = createServer({ noDelay: true }, (sock) => req.onConnection(sock, true));
      try {
        await listen(server, { path, backlog: req.backlog });
        if (req.unixsocketperm !== 0) chmodSync(path, req.unixsocketperm);
      } catch (err) {
        server.close();
        throw new ListenError(`Failed opening Unix socket: ${describe(err)}`, { cause: err });
      }
      out.push({ server, address: path, port: 0, unix: true });
    }
  } catch (err) {
    await closeAll(out);
    throw err;
  }
  return out;
}

/**
 * Stop accepting on these listeners without waiting for their connections to end (a rebind keeps the clients).
 * The sockets are closed by libuv on the next loop turns; we wait for that so the addresses can be reused.
 */
export async function stopListening(listeners: readonly BoundListener[]): Promise<void> {
  if (listeners.length === 0) return;
  for (const l of listeners) l.server.close();
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Close listeners and wait until they are fully closed (all their connections must be gone already). */
export async function closeAll(listeners: readonly BoundListener[]): Promise<void> {
  await Promise.all(
    listeners.map(
      (l) =>
        new Promise<void>((resolve) => {
          l.server.close(() => resolve());
        }),
    ),
  );
}

function listen(
  server: Server,
  opts: { host?: string; port?: number; path?: string; backlog: number; ipv6Only?: boolean },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(opts, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function errCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const c = (err as { code: unknown }).code;
    return typeof c === 'string' ? c : undefined;
  }
  return undefined;
}

/** strerror-like text Redis prints (`Address already in use`). */
function describe(err: unknown): string {
  switch (errCode(err)) {
    case 'EADDRINUSE':
      return 'Address already in use';
    case 'EADDRNOTAVAIL':
      return 'Cannot assign requested address';
    case 'EACCES':
      return 'Permission denied';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

export interface ListenerSetOptions {
  readonly settings: () => ServerSettings;
  /** Port 0 asks the OS for a port instead of disabling TCP. */
  readonly ephemeral: boolean;
  readonly onConnection: (socket: Socket, unix: boolean) => void;
  readonly notice: (msg: string) => void;
  readonly error: (msg: string, err: unknown) => void;
}

/** The server's listening sockets: opened from the settings, reopened by CONFIG SET, closed at shutdown. */
export class ListenerSet {
  #listeners: BoundListener[] = [];
  readonly #o: ListenerSetOptions;

  constructor(o: ListenerSetOptions) {
    this.#o = o;
  }

  get all(): readonly BoundListener[] {
    return this.#listeners;
  }

  /** The TCP port actually listened on (0 if none). */
  get port(): number {
    return this.#listeners.find((l) => !l.unix)?.port ?? 0;
  }

  #listen(bind: readonly string[], port: number, ephemeral: boolean, unixsocket: string): Promise<BoundListener[]> {
    const s = this.#o.settings();
    return listenAll({
      bind,
      port,
      ephemeral,
      backlog: s.tcpBacklog,
      unixsocket,
      unixsocketperm: s.unixsocketperm,
      onConnection: this.#o.onConnection,
      notice: this.#o.notice,
    });
  }

  async open(): Promise<void> {
    const s = this.#o.settings();
    this.#listeners = await this.#listen(s.bind, s.port, this.#o.ephemeral, s.unixsocket);
  }

  /**
   * CONFIG SET bind / port / unixsocket (changeBindAddr, changeListenPort): TCP listeners are replaced (closed
   * first, as the port may stay the same); if the new ones cannot be opened the previous addresses are restored
   * and ListenError is thrown, as Redis answers the CONFIG SET with an error. The unix socket is reopened only
   * when its path changed. Connections are not affected.
   */
  async rebind(): Promise<void> {
    const s = this.#o.settings();
    const oldTcp = this.#listeners.filter((l) => !l.unix);
    const oldUnix = this.#listeners.filter((l) => l.unix);
    await stopListening(oldTcp);
    let tcp: BoundListener[];
    try {
      tcp = await this.#listen(s.bind, s.port, this.#o.ephemeral, '');
    } catch (err) {
      try {
        const back = await this.#listen(
          oldTcp.map((l) => l.address),
          oldTcp[0]?.port ?? 0,
          false,
          '',
        );
        this.#listeners = [...back, ...oldUnix];
      } catch (again) {
        this.#listeners = oldUnix;
        this.#o.error('could not listen again on the previous addresses', again);
      }
      throw err;
    }
    let unix = oldUnix;
    if ((oldUnix[0]?.address ?? '') !== s.unixsocket) {
      await stopListening(oldUnix); // closing unlinks the old path
      unix = s.unixsocket === '' ? [] : await this.#listen([], 0, false, s.unixsocket);
    }
    this.#listeners = [...tcp, ...unix];
  }

  /** Close every listener (connections must be gone already for this to resolve). */
  async close(): Promise<void> {
    const all = this.#listeners;
    this.#listeners = [];
    await closeAll(all);
  }
}
