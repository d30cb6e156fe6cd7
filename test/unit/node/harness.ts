/**
 * Runs tredis command handlers in-process without sockets: the node's data core (NodeCore) behind a command
 * registry with Redis's arity and unknown-command checks, a fake session and a RespWriter per call. Unit tests use
 * it directly; the fidelity integration test compares its bytes with a real redis-server's.
 */
import { ManualClock, type Clock } from '../../../src/common/clock.js';
import { seededRandom } from '../../../src/common/random.js';
import { RespWriter } from '../../../src/resp/writer.js';
import type { CommandContext, CommandSpec, QueuedCommand, Session } from '../../../src/server/types.js';
import type { TransactionPort } from '../../../src/node/commands/transactions.js';
import type { BlockingManager } from '../../../src/node/blocking.js';
import type { NodeContext, NodeSettings } from '../../../src/node/context.js';
import { NodeCore } from '../../../src/node/core.js';
import type { PropagatedCommand } from '../../../src/node/propagation.js';

/** A command family factory (the shape of every src/node/commands/*.ts export). */
export type Family = (node: NodeContext, blocking: BlockingManager) => CommandSpec[];

export interface HarnessOptions {
  clock?: Clock;
  settings?: Partial<NodeSettings>;
  /** Exactly these families instead of every data family (NodeCore.commands()). */
  families?: Family[];
  /** More command families built on the same core (server commands, …). */
  extra?: (core: NodeCore) => CommandSpec[];
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
  readonly core: NodeCore;
  readonly registry = new Map<string, CommandSpec>();
  /** Every propagated unit, in order. */
  readonly propagated: (readonly PropagatedCommand[])[] = [];
  readonly session: Session = fakeSession();

  constructor(opts: HarnessOptions = {}) {
    this.clock = opts.clock ?? new ManualClock();
    this.core = new NodeCore({ clock: this.clock, random: seededRandom(1), settings: opts.settings });
    this.core.prop.addConsumer({ propagate: (u) => this.propagated.push(u) });
    const base = this.core.exec.wrapAll(
      opts.families === undefined
        ? this.core.commands(this.#txPort())
        : opts.families.flatMap((f) => f(this.core.node, this.core.blocking)),
    );
    const specs = [...base, ...this.core.exec.wrapAll(opts.extra?.(this.core) ?? [])];
    for (const s of specs) this.registry.set(s.name, s);
  }

  get ks() {
    return this.core.ks;
  }

  get node(): NodeContext {
    return this.core.node;
  }

  get prop() {
    return this.core.prop;
  }

  get blocking() {
    return this.core.blocking;
  }

  get enc() {
    return this.core.enc;
  }

  get exec() {
    return this.core.exec;
  }

  /** Queued commands per session while in MULTI (the server core's job, emulated here). */
  readonly #queues = new Map<number, QueuedCommand[]>();

  #txPort(): TransactionPort {
    return {
      queue: (s) => this.#queues.get(s.id) ?? [],
      resetMulti: (s) => {
        s.inMulti = false;
        s.multiDirty = false;
        this.#queues.delete(s.id);
      },
      runQueued: (s, q, out) => q.command.handler!({ session: s, reply: out, command: q.command }, q.args),
    };
  }

  /** Execute one command; returns the reply bytes as a latin1 string. */
  async run(argv: string[], session: Session = this.session): Promise<string> {
    const w = new RespWriter();
    w.proto = session.proto;
    const reject = (err: string): string => {
      if (session.inMulti) session.multiDirty = true;
      w.error(err);
      return w.take()!.toString('latin1');
    };
    let spec = this.registry.get(argv[0]!.toLowerCase());
    if (spec === undefined) {
      const rest = argv
        .slice(1)
        .map((a) => `'${a.slice(0, 128)}' `)
        .join('');
      return reject(`ERR unknown command '${argv[0]!.slice(0, 128)}', with args beginning with: ${rest}`);
    }
    let fullName = spec.name;
    if (spec.subcommands !== undefined && argv.length >= 2) {
      const sub = spec.subcommands.find((s) => s.name === argv[1]!.toLowerCase());
      if (sub === undefined) {
        return reject(`ERR unknown subcommand '${argv[1]!.slice(0, 128)}'. Try ${spec.name.toUpperCase()} HELP.`);
      }
      fullName = `${spec.name}|${sub.name}`;
      spec = sub;
    }
    if ((spec.arity > 0 && spec.arity !== argv.length) || argv.length < -spec.arity) {
      return reject(`ERR wrong number of arguments for '${fullName}' command`);
    }
    if (session.inMulti && !['exec', 'discard', 'multi', 'watch', 'quit', 'reset'].includes(fullName)) {
      let q = this.#queues.get(session.id);
      if (q === undefined) this.#queues.set(session.id, (q = []));
      q.push({ args: argv, command: spec, fullName });
      return '+QUEUED\r\n';
    }
    const ctx: CommandContext = { session, reply: w, command: spec };
    await spec.handler!(ctx, argv);
    return w.take()?.toString('latin1') ?? '';
  }

  /** Run a sequence; returns the replies. */
  async runAll(cmds: string[][]): Promise<string[]> {
    const out: string[] = [];
    for (const c of cmds) out.push(await this.run(c));
    return out;
  }
}
