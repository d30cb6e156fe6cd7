/**
 * A Harness (test/unit/node/harness.ts) with the persistence family and a Persistence service rooted in a temp
 * directory, plus a synchronous command applier for AOF replay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ManualClock } from '../../../../src/common/clock.js';
import { RespWriter } from '../../../../src/resp/writer.js';
import { persistenceCommands } from '../../../../src/node/persistence/commands.js';
import { DEFAULT_PERSISTENCE_CONFIG, Persistence, type PersistenceConfig } from '../../../../src/node/persistence/persistence.js';
import { Harness } from '../harness.js';

export interface PHarness {
  h: Harness;
  p: Persistence;
  dir: string;
  clock: ManualClock;
  logs: string[];
  /** Execute a command synchronously as the AOF client would (SELECT/MULTI/EXEC handled here). */
  apply(argv: string[]): void;
  cleanup(): void;
}

export function makeHarness(config: Partial<PersistenceConfig> = {}, dir?: string, clock = new ManualClock()): PHarness {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'tredis-persist-'));
  const logs: string[] = [];
  let p: Persistence | undefined;
  const h = new Harness({
    clock,
    extra: (core) => {
      p = new Persistence(
        { ...DEFAULT_PERSISTENCE_CONFIG, savePoints: [], dir: d, ...config },
        {
          keyspace: core.ks,
          clock,
          log: { notice: (m) => logs.push(`notice: ${m}`), warning: (m) => logs.push(`warning: ${m}`) },
          propagation: core.prop,
        },
      );
      return persistenceCommands(core.node, p);
    },
  });
  let queue: string[][] | null = null;
  const exec = (argv: string[]): void => {
    const name = argv[0]!.toLowerCase();
    if (name === 'select') {
      h.session.db = Number(argv[1]);
      return;
    }
    const spec = h.registry.get(name);
    if (spec === undefined) throw new Error(`Unknown command '${argv[0]!}' reading the append only file`);
    const w = new RespWriter();
    void spec.handler!({ session: h.session, reply: w, command: spec }, argv);
  };
  return {
    h,
    p: p!,
    dir: d,
    clock,
    logs,
    apply(argv) {
      const name = argv[0]!.toLowerCase();
      if (name === 'multi') queue = [];
      else if (name === 'exec') {
        const q = queue ?? [];
        queue = null;
        for (const a of q) exec(a);
      } else if (name === 'discard') queue = null;
      else if (queue !== null) queue.push(argv);
      else exec(argv);
    },
    cleanup() {
      p?.aof.stop();
      if (dir === undefined) rmSync(d, { recursive: true, force: true });
    },
  };
}

/**
 * `makeHarness` for a test file whose tests may start several harnesses (restarts on the same directory): each
 * one is cleaned up after its test. Call at the top level of the file.
 */
export function harnessesPerTest(): (...a: Parameters<typeof makeHarness>) => PHarness {
  const all: PHarness[] = [];
  afterEach(() => {
    for (const t of all.splice(0)) t.cleanup();
  });
  return (...a) => {
    const t = makeHarness(...a);
    all.push(t);
    return t;
  };
}
