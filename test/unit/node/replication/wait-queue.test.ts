import { describe, expect, it } from 'vitest';
import { WaitQueue } from '../../../../src/node/replication/primary/wait-queue.js';

describe('WaitQueue (WAIT numreplicas timeout)', () => {
  it('answers as soon as enough replicas acked, else at the deadline with the count then', () => {
    const q = new WaitQueue();
    const replies: string[] = [];
    q.add({ targetOffset: 100, numReplicas: 2, deadline: 1000, reply: (n) => replies.push(`a:${n}`) });
    q.add({ targetOffset: 50, numReplicas: 1, deadline: null, reply: (n) => replies.push(`b:${n}`) });
    const acks = [40, 60];
    const count = (off: number): number => acks.filter((a) => a >= off).length;
    q.process(count, 10);
    expect(replies).toEqual(['b:1']);
    expect(q.nextDeadline()).toBe(1000);
    q.process(count, 999);
    expect(replies).toEqual(['b:1']);
    acks[0] = 100;
    q.process(count, 999);
    expect(replies).toEqual(['b:1']); // 100 and 60: only one at 100
    q.process(count, 1000);
    expect(replies).toEqual(['b:1', 'a:1']);
    expect(q.size).toBe(0);
  });

  it('waits forever with timeout 0 and can drop a disconnected client', () => {
    const q = new WaitQueue();
    let replied = false;
    const w = { targetOffset: 1, numReplicas: 1, deadline: null, reply: () => (replied = true) };
    q.add(w);
    q.process(() => 0, 1e12);
    expect(replied).toBe(false);
    q.remove(w);
    q.process(() => 5, 0);
    expect(replied).toBe(false);
    expect(q.nextDeadline()).toBeNull();
  });
});
