import { describe, expect, it } from 'vitest';
import { encodeMessage, encodePmessage, PubsubEngine, type PubsubClient } from '../../../src/server/pubsub.js';

function client(proto: 2 | 3 = 2): PubsubClient & { got: string[] } {
  const got: string[] = [];
  return { proto, channels: new Set(), patterns: new Set(), deliver: (f) => got.push(f.toString('latin1')), got };
}

describe('pub/sub engine', () => {
  it('delivers to channel subscribers, then pattern subscribers, and counts receivers', () => {
    const ps = new PubsubEngine();
    const a = client();
    const b = client(3);
    ps.subscribe(a, 'news');
    ps.psubscribe(a, 'n*');
    ps.psubscribe(b, 'n?ws');
    expect(ps.publish('news', 'hi')).toBe(3);
    expect(a.got).toEqual(['*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$2\r\nhi\r\n', '*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$2\r\nhi\r\n']);
    expect(b.got).toEqual(['>4\r\n$8\r\npmessage\r\n$4\r\nn?ws\r\n$4\r\nnews\r\n$2\r\nhi\r\n']);
    expect(ps.publish('other', 'x')).toBe(0);
  });

  it('glob classes select channels as Redis does ([-+]sdown)', () => {
    const ps = new PubsubEngine();
    const c = client();
    ps.psubscribe(c, '[-+]sdown');
    expect(ps.publish('+sdown', 'm')).toBe(1);
    expect(ps.publish('-sdown', 'm')).toBe(1);
    expect(ps.publish('+odown', 'm')).toBe(0);
    expect(ps.publish('xsdown', 'm')).toBe(0);
  });

  it('binary-safe channels and payloads: lengths are bytes', () => {
    expect(encodeMessage(2, 'c\r\n', '\xff\x00').toString('latin1')).toBe('*3\r\n$7\r\nmessage\r\n$3\r\nc\r\n\r\n$2\r\n\xff\x00\r\n');
    expect(encodePmessage(3, '*', 'c', '').toString('latin1')).toBe('>4\r\n$8\r\npmessage\r\n$1\r\n*\r\n$1\r\nc\r\n$0\r\n\r\n');
  });

  it('keeps channel/pattern tables and counts in step with subscriptions', () => {
    const ps = new PubsubEngine();
    const a = client();
    const b = client();
    expect(ps.subscribe(a, 'x')).toBe(true);
    expect(ps.subscribe(a, 'x')).toBe(false);
    ps.subscribe(b, 'x');
    ps.subscribe(b, 'y');
    ps.psubscribe(b, 'p*');
    expect(ps.numsub('x')).toBe(2);
    expect(ps.channels().sort()).toEqual(['x', 'y']);
    expect(ps.channels('y*')).toEqual(['y']);
    expect(ps.patternCount).toBe(1);
    ps.removeClient(b);
    expect(ps.numsub('x')).toBe(1);
    expect(ps.channelCount).toBe(1);
    expect(ps.patternCount).toBe(0);
    expect(b.channels.size + b.patterns.size).toBe(0);
    expect(ps.unsubscribe(a, 'nope')).toBe(false);
    expect(ps.unsubscribe(a, 'x')).toBe(true);
    expect(ps.channelCount).toBe(0);
  });

  it('encodes a message once per protocol however many subscribers there are', () => {
    const ps = new PubsubEngine();
    const frames = new Set<Buffer>();
    for (let i = 0; i < 50; i++) {
      const proto = i % 2 === 0 ? 2 : 3;
      ps.subscribe({ proto, channels: new Set(), patterns: new Set(), deliver: (f) => frames.add(f) }, 'ch');
    }
    expect(ps.publish('ch', 'payload')).toBe(50);
    expect(frames.size).toBe(2);
  });
});
