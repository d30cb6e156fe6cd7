/**
 * A small in-process RESP node for replication integration tests: real sockets, the real RESP codec, the real
 * keyspace, propagation port, persistence snapshot and loader, and the complete replication module, with a toy
 * command set (strings, SELECT, MULTI/EXEC, PUBLISH, INFO replication, CLIENT KILL TYPE master). It lets the
 * replication protocol be tested against real redis-server processes independently of the full tredis node.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { systemClock } from '../../src/common/clock.js';
import { systemRandom } from '../../src/common/random.js';
import { Keyspace } from '../../src/node/keyspace/keyspace.js';
import { DEFAULT_ENCODING_LIMITS } from '../../src/node/persistence/rdb-constants.js';
import { Propagator } from '../../src/node/propagation.js';
import { replicationCommands, type RawConnectionPort } from '../../src/node/replication/commands.js';
import { DEFAULT_REPLICATION_CONFIG, type ReplicationConfig } from '../../src/node/replication/config.js';
import { replicationGate } from '../../src/node/replication/gate.js';
import { replicationInfoSection } from '../../src/node/replication/info.js';
import { ReplicationService } from '../../src/node/replication/service.js';
import { keyspaceSnapshots } from '../../src/node/replication/snapshot-source.js';
import { RequestParser } from '../../src/resp/request-parser.js';
import { RespWriter } from '../../src/resp/writer.js';
import type { CommandContext, CommandSpec, Session } from '../../src/server/types.js';

class HarnessSession implements Session {
  name = '';
  db = 0;
  proto: 2 | 3 = 2;
  user: string | null = 'default';
  libName = '';
  libVer = '';
  kind: 'normal' | 'replica' | 'master' = 'normal';
  readonly createdAt = Date.now();
  lastInteraction = Date.now();
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  inMulti = false;
  multiDirty = false;
  queue: string[][] = [];
  noReply = false;
  /** Replies of this connection not yet written (raw sends must come after them). */
  readonly writer = new RespWriter();
  constructor(
    readonly id: number,
    readonly addr: string,
    readonly laddr: string,
    readonly sock: Socket | null,
  ) {}
  closeAfterReply(): void {
    this.sock?.end();
  }
  send(data: Buffer): void {
    const pending = this.writer.take();
    if (pending !== null) this.sock?.write(pending);
    this.sock?.write(data);
  }
}

export interface HarnessNode {
  readonly port: number;
  readonly svc: ReplicationService;
  readonly ks: Keyspace;
  readonly config: ReplicationConfig;
  readonly log: string[];
  close(): Promise<void>;
}

let nextId = 1;

export async function startHarnessNode(opts: { config?: Partial<ReplicationConfig> } = {}): Promise<HarnessNode> {
  const config: ReplicationConfig = { ...structuredClone(DEFAULT_REPLICATION_CONFIG), ...opts.config };
  const ks = new Keyspace({ databases: 16, clock: systemClock });
  const prop = new Propagator();
  const log: string[] = [];
  let paused = 0;
  const pausedQueue: (() => void)[] = [];
  const server: Server = createServer();
  const sessions = new Map<number, HarnessSession>();
  let port = 0;
  const masterSession = new HarnessSession(0, '', '', null);
  masterSession.kind = 'master';

  const svc = new ReplicationService({
    clock: systemClock,
    random: systemRandom,
    log: (level, msg) => log.push(`${level}: ${msg}`),
    config: () => config,
    databases: 16,
    ownPort: () => port,
    snapshots: keyspaceSnapshots(ks, systemClock, () => ({
      compression: true,
      checksum: true,
      limits: DEFAULT_ENCODING_LIMITS,
      usedMemory: () => 1_000_000,
    })),
    dial: (h, p) => createConnection({ host: h, port: p }),
    installDataset: (r) => ks.replaceAll(r.dbs),
    openMasterClient: () => ({
      id: 0,
      run: (argv) => void execute(masterSession, argv, new RespWriter()),
      get db() {
        return masterSession.db;
      },
      set db(v: number) {
        masterSession.db = v;
      },
      close: () => {},
    }),
    pauseWrites: () => void paused++,
    unpauseWrites: () => {
      paused = Math.max(0, paused - 1);
      if (paused === 0) for (const f of pausedQueue.splice(0)) f();
    },
    writesPaused: () => paused > 0,
    schedule: (fn) => setImmediate(fn),
  });
  ks.deletesExpired = true;
  prop.addConsumer(svc);

  const raw: RawConnectionPort = {
    noReply: (ctx) => {
      (ctx.session as HarnessSession).noReply = true;
    },
    // after pending output (an rdb-only payload must arrive whole), like Session.closeAfterReply
    close: (s) => (s as HarnessSession).sock?.end(),
    backpressure: (s) => {
      const sock = (s as HarnessSession).sock;
      if (sock === null || sock.writableLength < 4 * 1024 * 1024) return null;
      return new Promise((r) => sock.once('drain', () => r()));
    },
  };

  const specs = new Map<string, CommandSpec>();
  const add = (spec: CommandSpec): void => void specs.set(spec.name, spec);
  for (const s of replicationCommands(svc, raw)) add(s);
  const toy = (name: string, arity: number, flags: CommandSpec['flags'], handler: CommandSpec['handler']): void =>
    add({ name, arity, flags, categories: [], ...(handler !== undefined ? { handler } : {}) });
  toy('ping', -1, ['fast'], (ctx) => ctx.reply.simple('PONG'));
  toy('select', 2, ['loading', 'stale', 'fast'], (ctx, a) => {
    ctx.session.db = Number(a[1]);
    ctx.reply.ok();
  });
  toy('set', -3, ['write', 'denyoom'], (ctx, a) => {
    ks.db(ctx.session.db).set(a[1]!, a[2]!);
    ks.dirty++;
    ctx.reply.ok();
  });
  toy('get', 2, ['readonly', 'fast'], (ctx, a) => {
    const v = ks.db(ctx.session.db).lookupRead(a[1]!);
    if (v === undefined) ctx.reply.nil();
    else ctx.reply.bulk(v as string);
  });
  toy('incr', 2, ['write', 'denyoom', 'fast'], (ctx, a) => {
    const d = ks.db(ctx.session.db);
    const n = Number((d.lookupWrite(a[1]!) as string | undefined) ?? '0') + 1;
    d.set(a[1]!, String(n), true);
    ks.dirty++;
    ctx.reply.int(n);
  });
  toy('del', -2, ['write'], (ctx, a) => {
    let n = 0;
    for (const k of a.slice(1)) if (ks.db(ctx.session.db).delete(k)) n++;
    ks.dirty += n;
    ctx.reply.int(n);
  });
  toy('dbsize', 1, ['readonly', 'fast'], (ctx) => ctx.reply.int(ks.db(ctx.session.db).size));
  toy('flushall', -1, ['write'], (ctx) => {
    ks.flushAll();
    ks.dirty++;
    ctx.reply.ok();
  });
  toy('publish', 3, ['pubsub', 'loading', 'stale', 'fast', 'may_replicate'], (ctx) => {
    prop.force();
    ctx.reply.int(0);
  });
  toy('info', -1, ['loading', 'stale'], (ctx) => ctx.reply.bulk(replicationInfoSection(svc.view())));
  toy('client', -2, ['admin', 'noscript', 'loading', 'stale'], (ctx, a) => {
    // CLIENT KILL TYPE master: drop the master link (it is cached and reconnects)
    if (a[1]?.toLowerCase() === 'kill' && a[3]?.toLowerCase() === 'master') {
      const up = svc.link?.state === 'connected';
      svc.link?.kill();
      ctx.reply.int(up ? 1 : 0);
    } else ctx.reply.error('ERR unsupported in the harness');
  });

  function execute(s: HarnessSession, argv: string[], w: RespWriter): void | Promise<void> {
    const name = argv[0]!.toLowerCase();
    if (name === 'multi') {
      s.inMulti = true;
      s.queue = [];
      return w.ok();
    }
    if (name === 'exec' && s.inMulti) {
      s.inMulti = false;
      const q = s.queue;
      prop.beginUnit();
      w.array(q.length);
      for (const c of q) void runOne(s, c, w);
      prop.endUnit();
      return;
    }
    if (s.inMulti && s.kind !== 'master') {
      s.queue.push(argv);
      return w.simple('QUEUED');
    }
    if (s.inMulti) {
      s.queue.push(argv);
      return;
    }
    prop.beginUnit();
    try {
      return runOne(s, argv, w);
    } finally {
      prop.endUnit();
    }
  }

  function runOne(s: HarnessSession, argv: string[], w: RespWriter): void | Promise<void> {
    const spec = specs.get(argv[0]!.toLowerCase());
    if (spec?.handler === undefined) return w.error(`ERR unknown command '${argv[0]!}'`);
    if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
      return w.error(`ERR wrong number of arguments for '${spec.name}' command`);
    }
    const err = replicationGate(svc.gateState(), { flags: spec.flags, fromMaster: s.kind === 'master' });
    if (err !== null) return w.error(err);
    const ctx: CommandContext = { session: s, reply: w, command: spec };
    const before = ks.dirty;
    ks.fromMaster = s.kind === 'master';
    prop.beginCommand(s.db, argv);
    try {
      return spec.handler(ctx, argv);
    } finally {
      prop.endCommand(ks.dirty !== before);
      ks.fromMaster = false;
      if (s.kind === 'normal') svc.noteClientCommand(s.id);
    }
  }

  server.on('connection', (sock) => {
    sock.setNoDelay(true);
    const id = nextId++;
    const s = new HarnessSession(id, `${sock.remoteAddress ?? '?'}:${sock.remotePort ?? 0}`, '', sock);
    sessions.set(id, s);
    const parser = new RequestParser();
    const w = s.writer;
    let busy: Promise<void> | null = null;
    const flush = (): void => {
      const out = w.take();
      if (out !== null) sock.write(out);
    };
    const run = (argv: string[]): void => {
      s.noReply = false;
      const r = execute(s, argv, w);
      if (r instanceof Promise) {
        busy = r.then(() => {
          busy = null;
          flush();
          pump();
        });
      }
    };
    const pump = (): void => {
      while (busy === null) {
        const argv = parser.next();
        if (argv === null) break;
        if (argv.length === 0) continue;
        const spec = specs.get(argv[0]!.toLowerCase());
        const isWrite = spec !== undefined && (spec.flags.includes('write') || spec.flags.includes('may_replicate'));
        if (paused > 0 && s.kind === 'normal' && isWrite) {
          // deferred, not rejected, until unpause (pauseClients WRITE)
          busy = new Promise<void>((r) => pausedQueue.push(r)).then(() => {
            busy = null;
            run(argv);
            flush();
            pump();
          });
          break;
        }
        run(argv);
      }
      flush();
    };
    sock.on('data', (d) => {
      parser.feed(d);
      pump();
    });
    sock.on('error', () => {});
    sock.on('close', () => {
      sessions.delete(id);
      svc.clientClosed(id);
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  svc.start();
  return {
    port,
    svc,
    ks,
    config,
    log,
    close: async () => {
      svc.stop();
      for (const s of sessions.values()) s.sock?.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
