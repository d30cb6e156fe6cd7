/**
 * The data side of a tredis node, without sockets: keyspace, encodings, propagation, blocking, the execution
 * wrapper and the command families, wired together. main.ts puts this behind the RESP server core; tests drive it
 * directly.
 */
import type { Clock } from '../common/clock.js';
import type { Random } from '../common/random.js';
import type { CommandSpec } from '../server/types.js';
import { BlockingManager } from './blocking.js';
import { expiryCommands } from './commands/expiry.js';
import { hashCommands } from './commands/hashes.js';
import { keyCommands, type KeysHooks } from './commands/keys.js';
import { blockingListCommands } from './commands/lists-blocking.js';
import { listCommands } from './commands/lists.js';
import { setCommands } from './commands/sets.js';
import { stringCommands } from './commands/strings.js';
import { zsetCommands } from './commands/zsets.js';
import { zsetOpsCommands } from './commands/zsets-ops.js';
import { DEFAULT_NODE_SETTINGS, type NodeContext, type NodeSettings } from './context.js';
import { Execution } from './execution.js';
import { ActiveExpire } from './keyspace/active-expire.js';
import { EncodingTracker } from './keyspace/encoding.js';
import { Keyspace } from './keyspace/keyspace.js';
import { Propagator } from './propagation.js';
import { transactionCommands, type ExecState, type TransactionPort } from './commands/transactions.js';
import { WatchRegistry } from './watch.js';

export interface NodeCoreOptions {
  readonly clock: Clock;
  readonly random: Random;
  readonly databases?: number;
  readonly settings?: Partial<NodeSettings>;
  readonly keysHooks?: KeysHooks;
}

export class NodeCore {
  readonly ks: Keyspace;
  readonly enc = new EncodingTracker();
  readonly prop = new Propagator();
  readonly blocking: BlockingManager;
  readonly exec: Execution;
  readonly activeExpire: ActiveExpire;
  readonly settings: NodeSettings;
  readonly node: NodeContext;
  readonly watch: WatchRegistry;
  /** EXECs in progress: blocking commands answer at once inside one (CLIENT_DENY_BLOCKING). */
  readonly execState: ExecState = { depth: 0 };
  readonly #keysHooks: KeysHooks;

  constructor(opts: NodeCoreOptions) {
    this.ks = new Keyspace({ databases: opts.databases ?? 16, clock: opts.clock });
    this.settings = { ...DEFAULT_NODE_SETTINGS, ...opts.settings };
    this.blocking = new BlockingManager(() => opts.clock.now());
    this.activeExpire = new ActiveExpire(this.ks);
    this.#keysHooks = opts.keysHooks ?? {};
    this.watch = new WatchRegistry(this.ks);
    this.exec = new Execution({
      ks: this.ks,
      prop: this.prop,
      afterCommand: () => this.blocking.handleReady(),
    });
    this.node = {
      ks: this.ks,
      enc: this.enc,
      prop: this.prop,
      settings: this.settings,
      random: opts.random,
      ready: this.blocking,
      inExec: () => this.execState.depth > 0,
    };
    // Expired keys are deleted on the master only, and the deletion is what replicas and the AOF see
    // (replication.md §2.9): inside a command it precedes the command's own entry, from the active cycle it is
    // a unit of its own.
    this.ks.addExpiredListener((db, key) => {
      this.prop.also(db.index, [this.settings.lazyfreeLazyExpire ? 'UNLINK' : 'DEL', key]);
    });
  }

  /**
   * Every data command family plus, given the server core's transaction port, MULTI/EXEC/WATCH. Handlers are
   * NOT wrapped: the server core calls them through `exec.execute` (tests without the core use exec.wrapAll).
   */
  commands(tx?: TransactionPort): CommandSpec[] {
    const n = this.node;
    const families = [
      stringCommands(n),
      keyCommands(n, this.#keysHooks),
      expiryCommands(n),
      hashCommands(n),
      listCommands(n),
      blockingListCommands(n, this.blocking),
      setCommands(n),
      zsetCommands(n),
      zsetOpsCommands(n, this.blocking),
      tx === undefined ? [] : transactionCommands(n, this.watch, tx, this.execState),
    ];
    return families.flat();
  }
}
