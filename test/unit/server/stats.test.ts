import { describe, expect, it } from 'vitest';
import { errorCode } from '../../../src/server/session.js';
import { ServerStats } from '../../../src/server/stats.js';

describe('server statistics', () => {
  it('instantaneous ops/sec is the mean rate over the last 16 samples (trackInstantaneousMetric)', () => {
    const st = new ServerStats();
    st.sample(0);
    for (let t = 100; t <= 1600; t += 100) {
      st.totalCommandsProcessed += 50; // 500 ops/s
      st.sample(t);
    }
    expect(st.instantaneousOpsPerSec).toBe(500);
    for (let t = 1700; t <= 2400; t += 100) st.sample(t); // 8 idle samples: half the window
    expect(st.instantaneousOpsPerSec).toBe(250);
  });

  it('errorstats count by code in first-seen order and stop growing after 128 codes', () => {
    const st = new ServerStats();
    st.countError('ERR');
    st.countError('WRONGTYPE');
    st.countError('ERR');
    expect([...st.errorStats()]).toEqual([
      ['ERR', 2],
      ['WRONGTYPE', 1],
    ]);
    for (let i = 0; i < 200; i++) st.countError(`E${i}`);
    expect(st.errorStats().size).toBe(128);
    expect(st.errorStatsFull).toBe(true);
    expect(st.totalErrorReplies).toBe(203);
  });

  it('the error code is the text up to the first space within 32 bytes, else ERR (afterErrorReply)', () => {
    expect(errorCode('WRONGTYPE Operation against a key')).toBe('WRONGTYPE');
    expect(errorCode('NOAUTH Authentication required.')).toBe('NOAUTH');
    expect(errorCode('NOSPACEATALL')).toBe('ERR');
    expect(errorCode(`${'X'.repeat(40)} text`)).toBe('ERR');
  });
});
