/**
 * Socket-free harness for the server core: a RespServer that never listens, the core families plus the toy
 * keyspace of test/helpers/core-server.ts, and internal sessions whose replies are collected as latin1 text.
 */
import pino from 'pino';
import { ManualClock } from '../../../src/common/clock.js';
import { coreCommands } from '../../../src/server/commands/index.js';
import { RespServer, type RespServerOptions } from '../../../src/server/server.js';
import type { ClientSession } from '../../../src/server/session.js';
import { serverSettings, type ServerSettings } from '../../../src/server/settings.js';
import type { CommandSpec, ServerHooks } from '../../../src/server/types.js';
import { toyCommands } from '../../helpers/core-server.js';

export interface TestClient {
  readonly session: ClientSession;
  /** Run one command; resolves with the reply bytes it produced (latin1). */
  run(...args: string[]): Promise<string>;
  /** Everything received so far (replies and pushes), then cleared. */
  drain(): string;
}

export class CoreHarness {
  readonly server: RespServer;
  readonly clock = new ManualClock();
  readonly data = new Map<string, string>();

  constructor(
    opts: {
      settings?: Partial<ServerSettings>;
      hooks?: ServerHooks;
      mode?: 'standalone' | 'sentinel';
      extra?: (s: RespServer) => CommandSpec[];
      options?: Partial<RespServerOptions>;
    } = {},
  ) {
    this.server = new RespServer({
      logger: pino({ level: 'silent' }),
      settings: serverSettings(opts.settings ?? {}),
      clock: this.clock,
      hooks: opts.hooks ?? {},
      mode: opts.mode ?? 'standalone',
      ...opts.options,
    });
    this.server.register(...coreCommands(this.server), ...toyCommands(this.server, this.data));
    if (opts.extra !== undefined) this.server.register(...opts.extra(this.server));
    this.server.configure();
  }

  client(addr = '127.0.0.1:50000'): TestClient {
    let out = '';
    const session = this.server.createInternalSession({ addr, laddr: '127.0.0.1:6379', sink: (b) => (out += b.toString('latin1')) });
    const server = this.server;
    return {
      session,
      async run(...args: string[]): Promise<string> {
        const before = out.length;
        await server.execute(session, args);
        const r = out.slice(before);
        out = out.slice(0, before);
        return r;
      },
      drain(): string {
        const r = out;
        out = '';
        return r;
      },
    };
  }
}
