/**
 * The docker-compose topology without Docker: 3 nodes and 3 sentinels, each in its own network namespace with its
 * own address and host name, configured by name (resolve-hostnames / announce-hostnames yes) like the compose file.
 * Scenarios: the master's "container" stopped (every process in its namespace killed) → failover, and the
 * restarted old master rejoins as a replica; the master partitioned from the sentinels with iptables → failover,
 * and the isolated old master rejoins as a replica when the partition heals.
 *
 * Runs with real redis-server + redis-sentinel, and with tredis + tsentinel once their bins are built.
 * Root only (CI runs as root); every namespace, process and firewall rule is the test's own and removed after.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { has, tempDir } from '../helpers/processes.js';
import { NetnsLab, labUnavailable } from './ops-netns.js';
import { builtOpsCli, waitFor } from './ops-support.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const NODES = ['tredis-1', 'tredis-2', 'tredis-3'];
const SENTINELS = ['tsentinel-1', 'tsentinel-2', 'tsentinel-3'];

interface Flavour {
  name: string;
  node: string[];
  sentinel: string[];
  real: boolean;
  missing: string | undefined;
}

const ours = (file: string): string => join(ROOT, 'dist', 'cli', file);
const FLAVOURS: Flavour[] = [
  {
    name: 'redis-server + redis-sentinel',
    node: ['redis-server'],
    sentinel: ['redis-sentinel'],
    real: true,
    missing: !has('redis-server') || !has('redis-sentinel') ? 'redis-server/redis-sentinel not installed' : undefined,
  },
  {
    name: 'tredis + tsentinel',
    node: [process.execPath, ours('tredis.js')],
    sentinel: [process.execPath, ours('tsentinel.js')],
    real: false,
    missing: !existsSync(ours('tredis.js')) || !existsSync(ours('tsentinel.js')) ? 'dist/cli/tredis.js or tsentinel.js not built' : undefined,
  },
];

const unavailable = labUnavailable() ?? (has('redis-cli') ? undefined : 'redis-cli not installed');
if (unavailable !== undefined) console.warn(`[skip] namespace topology tests: ${unavailable}`);

for (const flavour of FLAVOURS) {
  if (unavailable === undefined && flavour.missing !== undefined) console.warn(`[skip] namespace topology with ${flavour.name}: ${flavour.missing}`);

  describe.skipIf(unavailable !== undefined || flavour.missing !== undefined)(`compose topology in network namespaces: ${flavour.name}`, () => {
    const tmp = tempDir('tsentinel-topo-');
    const lab = new NetnsLab([...NODES, ...SENTINELS, 'client'], tmp.dir);

    const cli = (argv: string[]) => lab.execAsync('client', ['redis-cli', '--no-auth-warning', ...argv]);
    const lines = (s: string): string[] => s.split('\n').map((l) => l.trim()).filter((l) => l !== '');

    async function masterSeenBy(sentinel: string): Promise<string> {
      const r = await cli(['-h', sentinel, '-p', '26379', 'SENTINEL', 'get-master-addr-by-name', 'mymaster']);
      return lines(r.out).join(':');
    }
    async function allSentinelsSay(addr: string): Promise<boolean> {
      return (await Promise.all(SENTINELS.map(masterSeenBy))).every((a) => a === addr);
    }
    async function role(node: string): Promise<string[]> {
      return lines((await cli(['-h', node, '-p', '6379', 'ROLE'])).out);
    }
    async function currentMaster(): Promise<string> {
      const a = await masterSeenBy('tsentinel-1');
      return a.split(':')[0] ?? '';
    }

    function startNode(name: string, replicaOf?: string): void {
      const dir = join(tmp.dir, name);
      mkdirSync(dir, { recursive: true });
      const conf = join(dir, 'node.conf');
      writeFileSync(
        conf,
        [
          'port 6379', 'bind 0.0.0.0', 'protected-mode no', `dir ${dir}`, 'save ""', 'appendonly no',
          ...(flavour.real ? ['repl-diskless-sync-delay 0'] : []),
          `replica-announce-ip ${name}`,
          ...(replicaOf !== undefined ? [`replicaof ${replicaOf} 6379`] : []),
          '',
        ].join('\n'),
      );
      lab.start(name, [...flavour.node, conf], { cwd: dir });
    }

    function startSentinel(name: string): void {
      const dir = join(tmp.dir, name);
      mkdirSync(dir, { recursive: true });
      const conf = join(dir, 'sentinel.conf');
      writeFileSync(
        conf,
        [
          'port 26379', 'bind 0.0.0.0', 'protected-mode no', `dir ${dir}`,
          'sentinel resolve-hostnames yes', 'sentinel announce-hostnames yes', `sentinel announce-ip ${name}`,
          'sentinel monitor mymaster tredis-1 6379 2',
          'sentinel down-after-milliseconds mymaster 1000',
          'sentinel failover-timeout mymaster 6000',
          '',
        ].join('\n'),
      );
      lab.start(name, [...flavour.sentinel, conf], { cwd: dir });
    }

    beforeAll(async () => {
      lab.create();
      startNode('tredis-1');
      await waitFor('tredis-1', async () => lines((await cli(['-h', 'tredis-1', 'PING'])).out)[0] === 'PONG');
      startNode('tredis-2', 'tredis-1');
      startNode('tredis-3', 'tredis-1');
      for (const n of ['tredis-2', 'tredis-3']) {
        await waitFor(`${n} to sync`, async () => (await cli(['-h', n, 'INFO', 'replication'])).out.includes('master_link_status:up'));
      }
      for (const s of SENTINELS) startSentinel(s);
      // discovery by name: every sentinel knows both replicas and both peers
      for (const s of SENTINELS) {
        await waitFor(`${s} discovery`, async () => {
          const r = await cli(['-h', s, '-p', '26379', 'SENTINEL', 'SENTINELS', 'mymaster']);
          const r2 = await cli(['-h', s, '-p', '26379', 'SENTINEL', 'REPLICAS', 'mymaster']);
          return lines(r.out).filter((l) => l === 'runid').length === 2 && lines(r2.out).filter((l) => l === 'runid').length === 2;
        }, 60_000);
      }
    }, 120_000);

    afterAll(async () => {
      await lab.destroy();
      tmp.cleanup();
    });

    it('every process has its own address and host name; sentinels report names, not IPs', async () => {
      const me = await lab.execAsync('tredis-2', ['sh', '-c', 'hostname; ip -4 -o addr show dev eth0']);
      expect(me.out).toContain('tredis-2\n');
      expect(me.out).toContain(`inet ${lab.ipOf('tredis-2')}/24`);
      expect(await masterSeenBy('tsentinel-2')).toBe('tredis-1:6379');
      // the admin CLI, from the client namespace, by name
      const st = await lab.execAsync('client', [process.execPath, builtOpsCli(), 'status', '-h', 'tsentinel-1', '--json']);
      expect(st.status, st.err).toBe(0);
      const doc = JSON.parse(st.out) as { masters: { address: string; replicas: { address: string }[]; sentinels: { address: string }[] }[] };
      expect(doc.masters[0]?.address).toBe('tredis-1:6379');
      expect(doc.masters[0]?.replicas.map((r) => r.address).sort()).toEqual(['tredis-2:6379', 'tredis-3:6379']);
      expect(doc.masters[0]?.sentinels.map((r) => r.address).sort()).toEqual(['tsentinel-2:26379', 'tsentinel-3:26379']);
    }, 240_000);

    it('stopping the master container fails over; the restarted old master rejoins as a replica', async () => {
      await cli(['-h', 'tredis-1', 'SET', 'before-stop', 'kept']);
      expect(lines((await cli(['-h', 'tredis-1', 'WAIT', '2', '5000'])).out)[0]).toBe('2');
      await lab.stopService('tredis-1');
      expect(lab.pidsIn('tredis-1')).toEqual([]);
      await waitFor('failover to a replica', async () => {
        const a = await masterSeenBy('tsentinel-1');
        return a === 'tredis-2:6379' || a === 'tredis-3:6379';
      }, 60_000);
      const promoted = await currentMaster();
      await waitFor('all sentinels to agree', () => allSentinelsSay(`${promoted}:6379`), 30_000);
      expect(lines((await cli(['-h', promoted, 'GET', 'before-stop'])).out)[0]).toBe('kept');
      startNode('tredis-1'); // the container restarts with its original config: it believes it is a master
      await waitFor('the old master to be converted into a replica of the new one', async () => {
        const r = await role('tredis-1');
        return r[0] === 'slave' && r[1] === promoted && r[3] === 'connected';
      }, 90_000);
    }, 240_000);

    it('a master partitioned from the sentinels is replaced, and rejoins as a replica when the partition heals', async () => {
      const isolated = await currentMaster();
      lab.partition(isolated, SENTINELS);
      // the promoted node is read from the sentinel that reported the change: another sentinel may still name the
      // isolated master until the leader's hello reaches it
      let promoted = '';
      await waitFor('failover away from the isolated master', async () => {
        const a = await masterSeenBy('tsentinel-2');
        promoted = a.split(':')[0] ?? '';
        return a !== '' && a !== `${isolated}:6379`;
      }, 60_000);
      await waitFor('all sentinels to agree', () => allSentinelsSay(`${promoted}:6379`), 30_000);
      // the isolated node is still up, and still thinks it is a master: nobody could tell it otherwise
      expect((await role(isolated))[0]).toBe('master');
      lab.heal(isolated);
      await waitFor('the old master to rejoin as a replica', async () => {
        const r = await role(isolated);
        return r[0] === 'slave' && r[1] === promoted && r[3] === 'connected';
      }, 90_000);
      const replicas = await cli(['-h', 'tsentinel-3', '-p', '26379', 'SENTINEL', 'REPLICAS', 'mymaster']);
      expect(replicas.out).toContain(isolated);
    }, 240_000);
  });
}
