/**
 * A replica that is still loading its payload sends its master a bare `\n` at most once a second instead of
 * REPLCONF ACK, and the master counts it as proof of life (replication.md §1.4; networking.c processInlineBuffer
 * sets repl_ack_time for an empty line from a replica). Two hand-made replicas complete a full sync with a tredis
 * master whose repl-timeout is 2 s: the one that only sends newlines stays, the silent one is dropped.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeArgv } from './node-raw-client.js';
import { infoField, TestClient, until } from './replication-client.js';
import { startTestNode, type TestNode } from './replication-node.js';

interface FakeReplica {
  readonly sock: Socket;
  closed: boolean;
}

/** REPLCONF + PSYNC as a 7.0 replica sends them; everything the master sends is read and ignored. */
async function fakeReplica(port: number, listeningPort: number): Promise<FakeReplica> {
  const sock = connect({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', reject);
  });
  const r: FakeReplica = { sock, closed: false };
  sock.on('data', () => {});
  sock.on('error', () => {});
  sock.on('close', () => (r.closed = true));
  sock.write(
    Buffer.concat([
      encodeArgv(['REPLCONF', 'listening-port', String(listeningPort)]),
      encodeArgv(['REPLCONF', 'capa', 'eof', 'capa', 'psync2']),
      encodeArgv(['PSYNC', '?', '-1']),
    ]),
  );
  return r;
}

/** The `slaveN:` lines of INFO replication, by listening port. */
function onlineReplicas(info: string): number[] {
  const ports: number[] = [];
  for (const line of info.split('\r\n')) {
    const m = /^slave\d+:.*port=(\d+),state=online/.exec(line);
    if (m !== null) ports.push(Number(m[1]));
  }
  return ports.sort((a, b) => a - b);
}

describe('empty-line keepalives from a replica (repl-timeout)', () => {
  let master: TestNode;
  let c: TestClient;
  const timers: NodeJS.Timeout[] = [];
  const replicas: FakeReplica[] = [];

  beforeAll(async () => {
    master = await startTestNode({ config: { replTimeout: 2, replDisklessSyncDelay: 0 } });
    c = await TestClient.connect(master.port);
  });
  afterAll(async () => {
    for (const t of timers) clearInterval(t);
    for (const r of replicas) r.sock.destroy();
    c?.close();
    await master?.close();
  });

  it('a replica sending only newlines stays past repl-timeout; a silent one is dropped', async () => {
    const talking = await fakeReplica(master.port, 7001);
    const silent = await fakeReplica(master.port, 7002);
    replicas.push(talking, silent);
    await until(async () => onlineReplicas(String(await c.call('INFO', 'replication'))).length === 2, 'both replicas online', 15_000);
    // what a loading replica sends: `\n`, here a few times a second
    timers.push(setInterval(() => talking.sock.write('\n'), 300));

    await until(() => silent.closed, 'the silent replica to be dropped', 10_000);
    const info = String(await c.call('INFO', 'replication'));
    expect(onlineReplicas(info)).toEqual([7001]);
    expect(infoField(info, 'connected_slaves')).toBe('1');
    expect(master.log.some((l) => l.includes('Disconnecting timedout replica') && l.includes(':7002'))).toBe(true);

    // two more repl-timeouts: still there, still online
    await new Promise((r) => setTimeout(r, 4_500));
    expect(talking.closed).toBe(false);
    expect(onlineReplicas(String(await c.call('INFO', 'replication')))).toEqual([7001]);
  }, 40_000);
});
