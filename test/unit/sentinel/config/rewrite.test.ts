import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../src/common/random.js';
import { splitArgs } from '../../../../src/common/split-args.js';
import { SentinelCore } from '../../../../src/sentinel/core/core.js';
import { loadSentinelDirectives } from '../../../../src/sentinel/config/directives.js';
import { renderStateLines, rewriteSentinelConfigText, REWRITE_MARKER } from '../../../../src/sentinel/config/rewrite.js';

const DEFAULTS = { downAfter: 30_000, failoverTimeout: 180_000 };

function loadText(text: string): SentinelCore {
  const core = new SentinelCore({ random: seededRandom(1), now: 0 });
  const ds = text
    .split('\n')
    .map((l, i) => ({ args: splitArgs(l) ?? [], line: i + 1 }))
    .filter((d) => d.args.length > 1 && d.args[0]!.toLowerCase() === 'sentinel')
    .map((d) => ({ args: d.args.slice(1), line: d.line }));
  loadSentinelDirectives(core, 0, ds, { isExecutable: () => true });
  return core;
}

const APPENDIX_A = [
  'sentinel myid e1d19d8c32c75a28bbf84a13e304b11a6d28213a',
  'sentinel monitor mymaster 127.0.0.1 46381 2',
  'sentinel config-epoch mymaster 1',
  'sentinel leader-epoch mymaster 1',
  'sentinel known-replica mymaster 127.0.0.1 46379',
  'sentinel known-replica mymaster 127.0.0.1 46380',
  'sentinel known-sentinel mymaster 127.0.0.1 46479 138f19779cc6acb8c7e41b3db262ccab9b9df32b',
  'sentinel known-sentinel mymaster 127.0.0.1 46480 f30ad046f859401dfd0ebdde4e853f69db64c56c',
  'sentinel current-epoch 1',
];

describe('config rewrite', () => {
  it('renders the state lines in the reference order (sentinel.md Appendix A)', () => {
    const core = loadText(APPENDIX_A.join('\n'));
    const lines = renderStateLines(core.state, DEFAULTS).map((l) => l.text);
    expect(lines).toEqual([
      'sentinel myid e1d19d8c32c75a28bbf84a13e304b11a6d28213a',
      'sentinel monitor mymaster 127.0.0.1 46381 2',
      'sentinel config-epoch mymaster 1',
      'sentinel leader-epoch mymaster 1',
      'sentinel known-replica mymaster 127.0.0.1 46379',
      'sentinel known-replica mymaster 127.0.0.1 46380',
      'sentinel known-sentinel mymaster 127.0.0.1 46479 138f19779cc6acb8c7e41b3db262ccab9b9df32b',
      'sentinel known-sentinel mymaster 127.0.0.1 46480 f30ad046f859401dfd0ebdde4e853f69db64c56c',
      'sentinel current-epoch 1',
    ]);
  });

  it('writes non-default options, scripts, auth, rename-command and the globals in their places', () => {
    const core = loadText(
      [
        'sentinel myid e1d19d8c32c75a28bbf84a13e304b11a6d28213a',
        'sentinel deny-scripts-reconfig no',
        'sentinel monitor m 10.0.0.1 6379 2',
        'sentinel down-after-milliseconds m 1000',
        'sentinel failover-timeout m 5000',
        'sentinel parallel-syncs m 2',
        'sentinel notification-script m /bin/n.sh',
        'sentinel client-reconfig-script m /bin/r.sh',
        'sentinel auth-pass m secret',
        'sentinel auth-user m bob',
        'sentinel master-reboot-down-after-period m 3000',
        'sentinel rename-command m CONFIG GUESSME',
        'sentinel announce-ip 10.9.9.9',
        'sentinel announce-port 26400',
        'sentinel sentinel-user sen',
        'sentinel sentinel-pass word',
      ].join('\n'),
    );
    expect(renderStateLines(core.state, DEFAULTS).map((l) => l.text)).toEqual([
      'sentinel myid e1d19d8c32c75a28bbf84a13e304b11a6d28213a',
      'sentinel deny-scripts-reconfig no',
      'sentinel monitor m 10.0.0.1 6379 2',
      'sentinel down-after-milliseconds m 1000',
      'sentinel failover-timeout m 5000',
      'sentinel parallel-syncs m 2',
      'sentinel notification-script m /bin/n.sh',
      'sentinel client-reconfig-script m /bin/r.sh',
      'sentinel auth-pass m secret',
      'sentinel auth-user m bob',
      'sentinel master-reboot-down-after-period m 3000',
      'sentinel config-epoch m 0',
      'sentinel leader-epoch m 0',
      'sentinel rename-command m CONFIG GUESSME',
      'sentinel current-epoch 0',
      'sentinel announce-ip "10.9.9.9"',
      'sentinel announce-port 26400',
      'sentinel sentinel-user sen',
      'sentinel sentinel-pass word',
    ]);
  });

  it('rewrites in place, keeps user lines and comments, drops stale state lines, appends the rest once', () => {
    const original = [
      '# my sentinel',
      'port 26379',
      'sentinel monitor mymaster 127.0.0.1 46379 2',
      'sentinel known-slave mymaster 127.0.0.1 46999',
      'dir /tmp',
      '',
    ].join('\n');
    const core = loadText(APPENDIX_A.join('\n'));
    const out = rewriteSentinelConfigText(original, core.state);
    const lines = out.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '# my sentinel',
      'port 26379',
      'sentinel monitor mymaster 127.0.0.1 46381 2',
      'sentinel known-replica mymaster 127.0.0.1 46379',
      'dir /tmp',
    ]);
    expect(lines.filter((l) => l === REWRITE_MARKER).length).toBe(1);
    expect(out).not.toContain('46999');
    // rewriting again changes nothing but the final blank line Redis's rewrite also leaves (sdssplitlen)
    const again1 = rewriteSentinelConfigText(out, core.state);
    expect(again1.replace(/\n+$/, '')).toBe(out.replace(/\n+$/, ''));
    expect(rewriteSentinelConfigText(again1, core.state)).toBe(again1);
    // and loading it back gives the same state lines
    const again = loadText(out);
    expect(renderStateLines(again.state, DEFAULTS)).toEqual(renderStateLines(core.state, DEFAULTS));
  });

  it('a replica at the current (promoted) master address is written as the old master', () => {
    const core = loadText(['sentinel monitor m 10.0.0.1 6379 2', 'sentinel known-replica m 10.0.0.2 6379'].join('\n'));
    const m = core.state.masters.get('m')!;
    const r = m.replicas.get('10.0.0.2:6379')!;
    m.failoverInProgress = true;
    m.failoverState = 5;
    m.promoted = r;
    const lines = renderStateLines(core.state, DEFAULTS).map((l) => l.text);
    expect(lines).toContain('sentinel monitor m 10.0.0.2 6379 2');
    expect(lines).toContain('sentinel known-replica m 10.0.0.1 6379');
  });
});
