import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { nodeInfoReadiness, registerNodeMetrics } from '../../../src/ops/tredis-metrics.js';

const FIX = join(import.meta.dirname, '..', '..', 'fixtures', 'redis-7.0.15', 'info');
const read = (f: string): string => readFileSync(join(FIX, f), 'latin1');

async function scrape(info: string): Promise<string> {
  const registry = new Registry();
  registerNodeMetrics(registry, () => info);
  return registry.metrics();
}

describe('tredis_* metrics from INFO (captured Redis 7.0.15 replies)', () => {
  it('a master: role, replicas, offset, keys, clients, memory; no replica-only series', async () => {
    const text = await scrape(`${read('master-info.txt')}# Commandstats\r\ncmdstat_set:calls=7,usec=20,usec_per_call=2.86,rejected_calls=0,failed_calls=0\r\ncmdstat_client|setname:calls=2,usec=1\r\n`);
    expect(text).toMatch(/^tredis_role_info\{role="master"\} 1$/m);
    expect(text).toMatch(/^tredis_role_info\{role="replica"\} 0$/m);
    expect(text).toMatch(/^tredis_connected_replicas 2$/m);
    expect(text).toMatch(/^tredis_repl_offset_bytes 403$/m);
    expect(text).toMatch(/^tredis_keys\{db="0"\} 6$/m);
    expect(text).toMatch(/^tredis_expiring_keys\{db="0"\} 1$/m);
    expect(text).toMatch(/^tredis_connected_clients 1$/m);
    expect(text).toMatch(/^tredis_memory_used_bytes 1206328$/m);
    expect(text).toMatch(/^tredis_loading 0$/m);
    expect(text).toMatch(/^tredis_commands_total\{command="set"\} 7$/m);
    expect(text).toMatch(/^tredis_commands_total\{command="client\|setname"\} 2$/m);
    expect(text).not.toMatch(/^tredis_master_link_up[{ ]/m);
  });

  it('a replica with its link up, and one with the link down', async () => {
    const up = await scrape(read('replica-info.txt'));
    expect(up).toMatch(/^tredis_role_info\{role="replica"\} 1$/m);
    expect(up).toMatch(/^tredis_master_link_up\{master="[^"]+:\d+"\} 1$/m);
    expect(up).toMatch(/^tredis_master_sync_in_progress\{master="[^"]+"\} 0$/m);
    const down = await scrape(read('replica-linkdown-info.txt'));
    expect(down).toMatch(/^tredis_master_link_up\{master="[^"]+"\} 0$/m);
  });

  it('reads INFO once per scrape, not once per metric', async () => {
    let calls = 0;
    const registry = new Registry();
    registerNodeMetrics(registry, () => {
      calls++;
      return read('master-info.txt');
    });
    await registry.metrics();
    expect(calls).toBe(1);
  });

  it('readiness follows the probe rules', async () => {
    expect(await nodeInfoReadiness(() => read('master-info.txt'))).toEqual({ ok: true, reasons: ['ready: master'] });
    expect((await nodeInfoReadiness(() => read('replica-linkdown-info.txt'))).ok).toBe(false);
  });
});
