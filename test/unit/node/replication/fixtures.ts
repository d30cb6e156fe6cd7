/** Paths and loaders for the Redis 7.0.15 replication fixtures used by these tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(process.cwd(), 'test/fixtures/redis-7.0.15');

export function fixture(rel: string): Buffer {
  return readFileSync(join(FIXTURES, rel));
}

export interface StreamCommand {
  readonly offset: number;
  readonly stream_pos: number;
  readonly length: number;
  readonly argv: string[];
}

export interface CommandsFixture {
  readonly fullresync_replid: string;
  readonly fullresync_offset: number;
  readonly final_master_repl_offset: number;
  readonly commands: StreamCommand[];
}

export function commandsFixture(): CommandsFixture {
  return JSON.parse(fixture('stream/commands.json').toString('utf8')) as CommandsFixture;
}
