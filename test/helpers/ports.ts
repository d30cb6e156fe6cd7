/**
 * Fixed ports for processes that cannot report an ephemeral port back (real redis-server/redis-sentinel, our
 * daemons started from the CLI). Ports stay below 32768 (the kernel's ephemeral range starts there) and are
 * handed out without probing: each test process owns a block derived from its pid, so parallel vitest workers
 * and parallel test runs on one machine do not collide, and a block is walked in order so a test file never
 * reuses a port it handed out earlier (old sockets may still be closing).
 *
 * In-process servers should listen on port 0 and read the port back instead.
 */
const RANGE_START = 16_000;
const RANGE_END = 32_000; // exclusive; stays below 32768
const BLOCK = 200;
const BLOCKS = Math.floor((RANGE_END - RANGE_START) / BLOCK);

const block = process.pid % BLOCKS;
let next = 0;

/** A port no other test process on this machine will be handed (while fewer than BLOCKS processes run). */
export function allocPort(): number {
  if (next >= BLOCK) next = 0; // wrap within our own block; by then the first ports are long closed
  return RANGE_START + block * BLOCK + next++;
}

/** n consecutive allocations (not necessarily contiguous after a wrap). */
export function allocPorts(n: number): number[] {
  return Array.from({ length: n }, () => allocPort());
}
