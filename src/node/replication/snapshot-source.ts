/**
 * Full-sync snapshots from persistence's fork-free point-in-time Snapshot: the dataset is captured the moment
 * `start` is called (the instant whose offset the +FULLRESYNC line carries) and serialised in time slices while
 * the node keeps serving writes; the RDB's aux fields carry repl-stream-db / repl-id / repl-offset (§3.4).
 */
import type { Clock } from '../../common/clock.js';
import type { Keyspace } from '../keyspace/keyspace.js';
import type { EncodingLimits } from '../persistence/rdb-constants.js';
import { Snapshot } from '../persistence/snapshot.js';
import type { ChunkSink, RunningSnapshot, SnapshotProducer } from './primary/full-sync.js';

export interface SnapshotSettings {
  readonly compression: boolean;
  readonly checksum: boolean;
  readonly limits: EncodingLimits;
  /** INFO used_memory for the used-mem aux field. */
  usedMemory(): number;
}

export function keyspaceSnapshots(keyspace: Keyspace, clock: Clock, settings: () => SnapshotSettings): SnapshotProducer {
  return {
    start(aux, sink: ChunkSink): RunningSnapshot {
      const s = settings();
      const snap = new Snapshot(keyspace, sink, {
        compression: s.compression,
        checksum: s.checksum,
        limits: s.limits,
        clock,
        aux: {
          ctime: Math.floor(clock.now() / 1000),
          usedMem: s.usedMemory(),
          repl: { streamDb: aux.streamDb, replId: aux.replId, offset: aux.offset },
        },
      });
      return { done: snap.run().then(() => undefined), abort: () => snap.abort() };
    },
  };
}
