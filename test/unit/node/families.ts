import type { Family } from './harness.js';
import { expiryCommands } from '../../../src/node/commands/expiry.js';
import { hashCommands } from '../../../src/node/commands/hashes.js';
import { keyCommands } from '../../../src/node/commands/keys.js';
import { blockingListCommands } from '../../../src/node/commands/lists-blocking.js';
import { listCommands } from '../../../src/node/commands/lists.js';
import { setCommands } from '../../../src/node/commands/sets.js';
import { stringCommands } from '../../../src/node/commands/strings.js';
import { zsetCommands } from '../../../src/node/commands/zsets.js';
import { zsetOpsCommands } from '../../../src/node/commands/zsets-ops.js';

/** Every data command family of tredis, for harness-driven tests. */
export const ALL_FAMILIES: Family[] = [
  stringCommands,
  (n) => keyCommands(n),
  expiryCommands,
  hashCommands,
  listCommands,
  blockingListCommands,
  setCommands,
  zsetCommands,
  zsetOpsCommands,
];
