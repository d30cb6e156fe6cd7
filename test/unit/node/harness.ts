/**
 * Runs tredis command handlers in-process without sockets: a command registry with Redis's arity and
 * unknown-command checks, a fake session, and a RespWriter per call. Unit tests use it directly; the fidelity
 * integration test compares its bytes with a real redis-server's.
 */
import { ManualClock, type Clock } from '../../../src/common/clock.js';
import { seededRandom } from '../../../src/common/random.js';
import { RespWriter } from '../../../src/resp/writer.js';
import type { CommandContext, CommandSpec, Session } from '../../../src/server/types.js';
import { DEFAULT_NODE_SETTINGS, type NodeContext, type NodeSettings } from '../../../src/node/context.js';
import { EncodingTracker } from '../../../src/node/keyspace/encoding.js';
import { Keyspace } from '../../../src/node/keyspace/keyspace.js';
import { Propagator, type PropagatedCommand } from '../../../src/node/propagation.js';
import { Execution } from '../../../src/node/execution.js';
import { BlockingManager } from '../../../src/node/blocking.js';

export type Family = (node: NodeContext, blocking: BlockingManager) => CommandSpec[];

export interface HarnessOptions {
  clock?: Clock;
  families: Family[];
  settings?: Partial<NodeSettings>;
}

export function fakeSession(id = 1): Session {
  return {
    id,
    name: '',
    db: 0,
    proto: 2,
    user: 'default',
    addr: '127.0.0.1:50000',
    laddr: '127.0.0.1:6379',
    libName: '',
    libVer: '',
    kind: 'normal',
    createdAt: 0,
    lastInteraction: 0,
    channels: new Set(),
    patterns: new Set(),
    inMulti: false,
    multiDirty: false,
    closeAfterReply: () => {},
    send: () => {},
  };
}

export class Harness {
  readonly clock: Clock;
  readonly ks: Keyspace;
  readonly enc = new EncodingTracker();
  readonly prop = new Propagator();
  readonly exec: Execution;
  readonly node: NodeContext;
  readonly registry = new Map<string, CommandSpec>();
  readonly propagated: (readonly PropagatedCommand[])[] = [];
  readonly session: Session = fakeSession();
  readonly blocking: BlockingManager;

  constructor(opts: HarnessOptions) {
    this.clock = opts.clock ?? new ManualClock();
    this.ks = new Keyspace({ databases: 16, clock: this.clock });
    this.prop.addConsumer({ propagate: (u) => this.propagated.push(u) });
    this.blocking = new BlockingManager(() => this.clock.now());
    this.exec = new Execution({
      ks: this.ks,
      prop: this.prop,
      preChecks: [],
      afterCommand: () => this.blocking.handleReady(),
      monotonic: () => this.clock.monotonic(),
    });
    this.node = {
      ks: this.ks,
      enc: this.enc,
      prop: this.prop,
      settings: { ...DEFAULT_NODE_SETTINGS, ...opts.settings },
      random: seededRandom(1),
      ready: this.blocking,
      inExec: () => false,
    };
    for (const f of opts.families) for (const s of this.exec.wrapAll(f(this.node, this.blocking))) this.registry.set(s.name, s);
  }

  /** Execute one command; returns the reply bytes as a latin1 string. */
  async run(argv: string[], session: Session = this.session): Promise<string> {
    const w = new RespWriter();
    w.proto = session.proto;
    const name = argv[0]!.toLowerCase();
    let spec = this.registry.get(name);
    if (spec === undefined) {
      const rest = argv
        .slice(1)
        .map((a) => `'${a.slice(0, 128)}' `)
        .join('');
      w.error(`ERR unknown command '${argv[0]!.slice(0, 128)}', with args beginning with: ${rest}`);
      return w.take()!.toString('latin1');
    }
    let fullName = spec.name;
    if (spec.subcommands !== undefined && argv.length >= 2) {
      const sub = spec.subcommands.find((s) => s.name === argv[1]!.toLowerCase());
      if (sub === undefined) {
        w.error(`ERR unknown subcommand '${argv[1]!.slice(0, 128)}'. Try ${spec.name.toUpperCase()} HELP.`);
        return w.take()!.toString('latin1');
      }
      fullName = `${spec.name}|${sub.name}`;
      spec = sub;
    }
    if ((spec.arity > 0 && spec.arity !== argv.length) || argv.length < -spec.arity) {
      w.error(`ERR wrong number of arguments for '${fullName}' command`);
      return w.take()!.toString('latin1');
    }
    const ctx: CommandContext = { session, reply: w, command: spec };
    await spec.handler!(ctx, argv);
    return w.take()?.toString('latin1') ?? '';
  }

  /** Run a sequence; returns the concatenated replies. */
  async runAll(cmds: string[][]): Promise<string[]> {
    const out: string[] = [];
    for (const c of cmds) out.push(await this.run(c));
    return out;
  }
}
