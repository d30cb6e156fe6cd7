import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { RespWriter } from '../../../../src/resp/writer.js';
import type { CommandContext, CommandSpec, Session } from '../../../../src/server/types.js';
import { loadSentinelDirectives } from '../../../../src/sentinel/config/directives.js';
import { SentinelCore } from '../../../../src/sentinel/core/core.js';
import type { Effect } from '../../../../src/sentinel/core/io.js';
import { sentinelCommand } from '../../../../src/sentinel/server/sentinel-command.js';
import { renderSentinelInfo, sentinelModeCommands } from '../../../../src/sentinel/server/mode-commands.js';
import type { SentinelService } from '../../../../src/sentinel/server/service.js';

const DIR = 'test/fixtures/redis-7.0.15/info';
const ME = 'a'.repeat(40);

function service(): SentinelService & { effects: Effect[]; persistOk: boolean } {
  const core = new SentinelCore({ random: seededRandom(5), now: 1000, myid: ME });
  loadSentinelDirectives(
    core,
    1000,
    [
      { args: ['monitor', 'mymaster', '127.0.0.1', '23100', '2'] },
      { args: ['known-replica', 'mymaster', '127.0.0.1', '23101'] },
      { args: ['known-replica', 'mymaster', '127.0.0.1', '23102'] },
    ],
    { isExecutable: () => true },
  );
  const svc = {
    core,
    effects: [] as Effect[],
    persistOk: true,
    now: () => 2000,
    execute(effects: readonly Effect[]) {
      svc.effects.push(...effects);
      return { persistFailed: !svc.persistOk && effects.some((e) => e.type === 'persist') };
    },
    flush: () => svc.persistOk,
    scripts: () => ({ running: 0, queued: 0, pending: [] }),
    isExecutable: () => true,
    resolve: async () => null,
    infoSection: (n: string) => `# ${n[0]!.toUpperCase()}${n.slice(1)}\r\nx:1\r\n`,
    shutdown: () => {},
  };
  return svc;
}

async function call(spec: CommandSpec, args: string[], proto: 2 | 3 = 2): Promise<string> {
  const w = new RespWriter();
  w.proto = proto;
  let target = spec;
  if (spec.subcommands !== undefined) {
    const s = spec.subcommands.find((x) => x.name === args[1]!.toLowerCase());
    if (s === undefined) throw new Error(`no subcommand ${args[1]}`);
    target = s;
  }
  const session = { proto, closeAfterReply: () => {} } as unknown as Session;
  const ctx: CommandContext = { session, reply: w, command: target };
  await target.handler!(ctx, args);
  return (w.take() ?? Buffer.alloc(0)).toString('latin1');
}

describe('SENTINEL replies', () => {
  it('GET-MASTER-ADDR-BY-NAME is byte-identical to redis-sentinel (RESP2 and RESP3); unknown → null array', async () => {
    const svc = service();
    const cmd = sentinelCommand(svc);
    expect(await call(cmd, ['sentinel', 'get-master-addr-by-name', 'mymaster'])).toBe(readFileSync(`${DIR}/sentinel-get-master-addr-by-name.resp2.bin`, 'latin1'));
    expect(await call(cmd, ['sentinel', 'get-master-addr-by-name', 'mymaster'], 3)).toBe(readFileSync(`${DIR}/sentinel-get-master-addr-by-name.resp3.bin`, 'latin1'));
    expect(await call(cmd, ['sentinel', 'get-master-addr-by-name', 'nope'])).toBe('*-1\r\n');
    expect(await call(cmd, ['sentinel', 'get-master-addr-by-name', 'nope'], 3)).toBe('_\r\n');
  });

  it('MASTER: flat array of 40 in RESP2 and a %20 map in RESP3 with bulk-string values', async () => {
    const cmd = sentinelCommand(service());
    const r2 = await call(cmd, ['sentinel', 'master', 'mymaster']);
    expect(r2.startsWith('*40\r\n$4\r\nname\r\n$8\r\nmymaster\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n$4\r\nport\r\n$5\r\n23100\r\n')).toBe(true);
    expect(r2).not.toMatch(/\r\n:/); // numbers are bulk strings
    expect((await call(cmd, ['sentinel', 'master', 'mymaster'], 3)).startsWith('%20\r\n')).toBe(true);
    expect(await call(cmd, ['sentinel', 'master', 'nope'])).toBe('-ERR No such master with that name\r\n');
  });

  it('REPLICAS hides replica-announced no, SLAVES is an alias', async () => {
    const svc = service();
    const cmd = sentinelCommand(svc);
    svc.core.state.masters.get('mymaster')!.replicas.get('127.0.0.1:23101')!.replicaAnnounced = false;
    expect((await call(cmd, ['sentinel', 'replicas', 'mymaster'])).startsWith('*1\r\n*42\r\n')).toBe(true);
    expect((await call(cmd, ['sentinel', 'slaves', 'mymaster'])).startsWith('*1\r\n*42\r\n')).toBe(true);
  });

  it('IS-MASTER-DOWN-BY-ADDR replies [int, bulk, int]; a vote that could not be persisted is not revealed', async () => {
    const svc = service();
    const cmd = sentinelCommand(svc);
    const peer = 'b'.repeat(40);
    expect(await call(cmd, ['sentinel', 'is-master-down-by-addr', '127.0.0.1', '23100', '0', '*'])).toBe('*3\r\n:0\r\n$1\r\n*\r\n:0\r\n');
    svc.persistOk = false;
    expect(await call(cmd, ['sentinel', 'is-master-down-by-addr', '127.0.0.1', '23100', '1', peer])).toBe('*3\r\n:0\r\n$1\r\n*\r\n:0\r\n');
    svc.persistOk = true;
    expect(await call(cmd, ['sentinel', 'is-master-down-by-addr', '127.0.0.1', '23100', '2', peer])).toBe(`*3\r\n:0\r\n$40\r\n${peer}\r\n:2\r\n`);
    expect(await call(cmd, ['sentinel', 'is-master-down-by-addr', '127.0.0.1', 'x', '2', peer])).toBe('-ERR value is not an integer or out of range\r\n');
  });

  it('CKQUORUM, DEBUG, CONFIG GET, HELP, SIMULATE-FAILURE HELP, FAILOVER errors', async () => {
    const svc = service();
    const cmd = sentinelCommand(svc);
    expect(await call(cmd, ['sentinel', 'ckquorum', 'mymaster'])).toBe(
      '-NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master\r\n',
    );
    svc.core.state.masters.get('mymaster')!.quorum = 1;
    expect(await call(cmd, ['sentinel', 'ckquorum', 'mymaster'])).toBe('+OK 1 usable Sentinels. Quorum and failover authorization can be reached\r\n');
    const dbg = await call(cmd, ['sentinel', 'debug']);
    expect(dbg.startsWith('*26\r\n$11\r\nINFO-PERIOD\r\n$5\r\n10000\r\n$11\r\nPING-PERIOD\r\n$4\r\n1000\r\n')).toBe(true);
    expect(await call(cmd, ['sentinel', 'config', 'get', '*'])).toBe(
      '*12\r\n$17\r\nresolve-hostnames\r\n$2\r\nno\r\n$18\r\nannounce-hostnames\r\n$2\r\nno\r\n$11\r\nannounce-ip\r\n$0\r\n\r\n$13\r\nannounce-port\r\n$1\r\n0\r\n$13\r\nsentinel-user\r\n$0\r\n\r\n$13\r\nsentinel-pass\r\n$0\r\n\r\n',
    );
    expect(await call(cmd, ['sentinel', 'config', 'set', 'foo'])).toBe('-ERR Only SENTINEL CONFIG GET <option> / SET <option> <value> are supported.\r\n');
    const help = await call(cmd, ['sentinel', 'help']);
    expect(help.startsWith('*49\r\n+SENTINEL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CKQUORUM <master-name>\r\n')).toBe(true);
    expect(await call(cmd, ['sentinel', 'simulate-failure', 'help'])).toBe('*2\r\n$20\r\ncrash-after-election\r\n$21\r\ncrash-after-promotion\r\n');
    expect(await call(cmd, ['sentinel', 'failover', 'mymaster'])).toBe('-NOGOODSLAVE No suitable replica to promote\r\n');
    expect(await call(cmd, ['sentinel', 'failover', 'nope'])).toBe('-ERR No such master with that name\r\n');
  });

  it('ROLE, PUBLISH and INFO in sentinel mode', async () => {
    const svc = service();
    const cmds = Object.fromEntries(sentinelModeCommands(svc).map((c) => [c.name, c]));
    expect(await call(cmds.role!, ['role'])).toBe('*2\r\n$8\r\nsentinel\r\n*1\r\n$8\r\nmymaster\r\n');
    expect(await call(cmds.publish!, ['publish', 'foo', 'bar'])).toBe('-ERR Only HELLO messages are accepted by Sentinel instances.\r\n');
    expect(await call(cmds.publish!, ['publish', '__sentinel__:hello', 'garbage'])).toBe(':1\r\n');
    const all = renderSentinelInfo(svc, []);
    expect(all.split('\r\n').filter((l) => l.startsWith('#'))).toEqual(['# Server', '# Clients', '# Stats', '# Cpu', '# Sentinel']);
    expect(renderSentinelInfo(svc, ['replication'])).toBe('');
    expect(renderSentinelInfo(svc, ['SENTINEL']).startsWith('# Sentinel\r\nsentinel_masters:1\r\n')).toBe(true);
    expect((await call(cmds.info!, ['info'], 3)).startsWith('$')).toBe(true); // plain bulk even in RESP3
  });
});
