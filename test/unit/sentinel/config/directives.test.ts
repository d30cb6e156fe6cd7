import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { splitArgs } from '../../../../src/common/split-args.js';
import { ConfigError } from '../../../../src/common/errors.js';
import { SentinelCore } from '../../../../src/sentinel/core/core.js';
import { loadSentinelDirectives, type SentinelDirective } from '../../../../src/sentinel/config/directives.js';

const ID = 'e1d19d8c32c75a28bbf84a13e304b11a6d28213a';
const ID2 = 'f30ad046f859401dfd0ebdde4e853f69db64c56c';

function directives(text: string): SentinelDirective[] {
  return text
    .split('\n')
    .map((line, i) => ({ line, i }))
    .filter(({ line }) => line.trim().length > 0)
    .map(({ line, i }) => {
      const args = splitArgs(line)!;
      return { args: args.slice(1), line: i + 1, file: 'sentinel.conf', text: line };
    });
}

function load(text: string, executable = true): SentinelCore {
  const core = new SentinelCore({ random: seededRandom(1), now: 0 });
  loadSentinelDirectives(core, 0, directives(text), { isExecutable: () => executable });
  return core;
}

function loadError(text: string, executable = true): ConfigError {
  try {
    load(text, executable);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a config error');
}

describe('sentinel directives', () => {
  it('applies pre-monitor, monitor, then the rest whatever the order in the file', () => {
    const core = load(
      [
        `sentinel known-replica mymaster 127.0.0.1 6380`,
        `sentinel known-sentinel mymaster 127.0.0.1 26380 ${ID2}`,
        `sentinel config-epoch mymaster 5`,
        `sentinel leader-epoch mymaster 4`,
        `sentinel down-after-milliseconds mymaster 1000`,
        `sentinel monitor mymaster 127.0.0.1 6379 2`,
        `SENTINEL myid ${ID}`,
        `sentinel current-epoch 3`,
        `sentinel announce-ip "10.1.1.1"`,
        `sentinel resolve-hostnames no`,
      ].join('\n'),
    );
    const st = core.state;
    const m = st.masters.get('mymaster')!;
    expect(st.myid).toBe(ID);
    expect(st.currentEpoch).toBe(5); // config-epoch raises the current epoch
    expect(m.configEpoch).toBe(5);
    expect(m.leaderEpoch).toBe(4);
    expect(m.downAfter).toBe(1000);
    expect([...m.replicas.keys()]).toEqual(['127.0.0.1:6380']);
    expect(m.replicas.get('127.0.0.1:6380')!.downAfter).toBe(1000);
    expect([...m.sentinels.keys()]).toEqual([ID2]);
    expect(st.config.announceIp).toBe('10.1.1.1');
  });

  it('the 3-argument known-sentinel (no runid) is silently ignored; known-slave is an alias', () => {
    const core = load(['sentinel monitor m 127.0.0.1 6379 1', 'sentinel known-sentinel m 127.0.0.1 26380', 'sentinel known-slave m 127.0.0.1 6380'].join('\n'));
    const m = core.state.masters.get('m')!;
    expect(m.sentinels.size).toBe(0);
    expect(m.replicas.size).toBe(1);
  });

  it.each([
    ['sentinel bogus 1', 'Unrecognized sentinel configuration statement.'],
    ['sentinel monitor m 127.0.0.1 6379', 'Unrecognized sentinel configuration statement.'],
    ['sentinel down-after-milliseconds nope 1000', 'No such master with specified name.'],
    ['sentinel monitor m 127.0.0.1 6379 0', 'Quorum must be 1 or greater.'],
    ['sentinel monitor m localhost 6379 2', "Can't resolve instance hostname."],
    ['sentinel monitor m 127.0.0.1 70000 2', 'Invalid port number.'],
    ['sentinel myid abc', 'Malformed Sentinel id in myid option.'],
    ['sentinel deny-scripts-reconfig maybe', 'Please specify yes or no for the deny-scripts-reconfig options.'],
    ['sentinel resolve-hostnames maybe', 'Please specify yes or no for the resolve-hostnames option.'],
  ])('%s → %s', (line, msg) => {
    const e = loadError(`sentinel monitor mymaster 127.0.0.1 6379 2\n${line}`);
    expect(e.message).toContain(msg);
    expect(e.message).toMatch(/^sentinel\.conf:2: /);
    expect(e.line).toBe(2);
  });

  it.each([
    [['sentinel monitor m 127.0.0.1 6379 2', 'sentinel monitor m 127.0.0.1 6380 2'], 'Duplicate master name.'],
    [['sentinel monitor m 127.0.0.1 6379 2', 'sentinel known-replica m 127.0.0.1 6380', 'sentinel known-replica m 127.0.0.1 6380'], 'Duplicate hostname and port for replica.'],
    [['sentinel monitor m 127.0.0.1 6379 2', `sentinel known-sentinel m 127.0.0.1 1 ${ID}`, `sentinel known-sentinel m 127.0.0.1 2 ${ID}`], 'Duplicate runid for sentinel.'],
    [['sentinel monitor m 127.0.0.1 6379 2', 'sentinel rename-command m CONFIG X', 'sentinel rename-command m config Y'], 'Same command renamed multiple times with rename-command.'],
    [['sentinel monitor m 127.0.0.1 6379 2', 'sentinel down-after-milliseconds m 0'], 'negative or zero time parameter.'],
    [['sentinel monitor m 127.0.0.1 6379 2', 'sentinel master-reboot-down-after-period m -1'], 'negative time parameter.'],
  ])('%j → %s', (lines, msg) => {
    expect(loadError(lines.join('\n')).message).toContain(msg);
  });

  it('scripts must be executable at load', () => {
    const e = loadError('sentinel monitor m 127.0.0.1 6379 2\nsentinel notification-script m /nope', false);
    expect(e.message).toContain('Notification script seems non existing or non executable.');
    const e2 = loadError('sentinel monitor m 127.0.0.1 6379 2\nsentinel client-reconfig-script m /nope', false);
    expect(e2.message).toContain('Client reconfiguration script seems non existing or non executable.');
  });

  it('hostnames are accepted with resolve-hostnames yes (whatever the line order)', () => {
    const core = load('sentinel monitor m redis-0.example 6379 2\nsentinel resolve-hostnames yes');
    expect(core.state.masters.get('m')!.addr.host).toBe('redis-0.example');
  });

  it('IPv6 replicas are named [ip]:port', () => {
    const core = load('sentinel monitor m ::1 6379 2\nsentinel known-replica m ::1 6380');
    expect([...core.state.masters.get('m')!.replicas.keys()]).toEqual(['[::1]:6380']);
  });
});
