/**
 * The pub/sub engine (pubsub.c, Redis 7.0): channel → subscribers and pattern → subscribers, PUBLISH fan-out
 * with Redis glob matching (util.c stringmatchlen, so `[-+]sdown` selects `+sdown` and `-sdown`), and the
 * message frames: `message`/`pmessage` arrays in RESP2, push frames in RESP3. A message is encoded once per
 * protocol version and the same bytes are handed to every subscriber.
 *
 * No I/O here: subscribers are anything with a protocol version, its subscription sets and a `deliver` port.
 */
import { stringMatch } from '../common/glob.js';

export interface PubsubClient {
  readonly proto: 2 | 3;
  readonly channels: Set<string>;
  readonly patterns: Set<string>;
  /** Queue already-encoded bytes for the client (the core coalesces them into one socket write). */
  deliver(frame: Buffer): void;
}

export class PubsubEngine {
  readonly #channels = new Map<string, Set<PubsubClient>>();
  readonly #patterns = new Map<string, Set<PubsubClient>>();
  /** Messages delivered since start (for diagnostics; Redis has no such counter). */
  delivered = 0;

  /** pubsubSubscribeChannel: false when the client was already subscribed. */
  subscribe(c: PubsubClient, channel: string): boolean {
    if (c.channels.has(channel)) return false;
    c.channels.add(channel);
    let set = this.#channels.get(channel);
    if (set === undefined) this.#channels.set(channel, (set = new Set()));
    set.add(c);
    return true;
  }

  unsubscribe(c: PubsubClient, channel: string): boolean {
    if (!c.channels.delete(channel)) return false;
    const set = this.#channels.get(channel);
    if (set !== undefined) {
      set.delete(c);
      if (set.size === 0) this.#channels.delete(channel);
    }
    return true;
  }

  psubscribe(c: PubsubClient, pattern: string): boolean {
    if (c.patterns.has(pattern)) return false;
    c.patterns.add(pattern);
    let set = this.#patterns.get(pattern);
    if (set === undefined) this.#patterns.set(pattern, (set = new Set()));
    set.add(c);
    return true;
  }

  punsubscribe(c: PubsubClient, pattern: string): boolean {
    if (!c.patterns.delete(pattern)) return false;
    const set = this.#patterns.get(pattern);
    if (set !== undefined) {
      set.delete(c);
      if (set.size === 0) this.#patterns.delete(pattern);
    }
    return true;
  }

  /** Drop every subscription of a closing client. */
  removeClient(c: PubsubClient): void {
    for (const ch of [...c.channels]) this.unsubscribe(c, ch);
    for (const p of [...c.patterns]) this.punsubscribe(c, p);
  }

  /** pubsubPublishMessage: channel subscribers first, then pattern subscribers; returns the receiver count. */
  publish(channel: string, message: string): number {
    let receivers = 0;
    const subs = this.#channels.get(channel);
    if (subs !== undefined && subs.size > 0) {
      const frames = new FramePair(() => encodeMessage(2, channel, message), () => encodeMessage(3, channel, message));
      for (const c of subs) {
        c.deliver(frames.get(c.proto));
        receivers++;
      }
    }
    if (this.#patterns.size > 0) {
      for (const [pattern, clients] of this.#patterns) {
        if (!stringMatch(pattern, channel)) continue;
        const frames = new FramePair(
          () => encodePmessage(2, pattern, channel, message),
          () => encodePmessage(3, pattern, channel, message),
        );
        for (const c of clients) {
          c.deliver(frames.get(c.proto));
          receivers++;
        }
      }
    }
    this.delivered += receivers;
    return receivers;
  }

  /** PUBSUB CHANNELS [pattern]: channels with at least one subscriber. */
  channels(pattern?: string): string[] {
    const out: string[] = [];
    for (const ch of this.#channels.keys()) if (pattern === undefined || stringMatch(pattern, ch)) out.push(ch);
    return out;
  }

  /** PUBSUB NUMSUB for one channel. */
  numsub(channel: string): number {
    return this.#channels.get(channel)?.size ?? 0;
  }

  /** INFO pubsub_channels. */
  get channelCount(): number {
    return this.#channels.size;
  }

  /** PUBSUB NUMPAT / INFO pubsub_patterns: distinct patterns with subscribers. */
  get patternCount(): number {
    return this.#patterns.size;
  }
}

/** Lazily encoded RESP2/RESP3 variants of one frame. */
class FramePair {
  #v2: Buffer | null = null;
  #v3: Buffer | null = null;
  constructor(
    private readonly make2: () => Buffer,
    private readonly make3: () => Buffer,
  ) {}
  get(proto: 2 | 3): Buffer {
    if (proto === 3) return (this.#v3 ??= this.make3());
    return (this.#v2 ??= this.make2());
  }
}

function bulk(s: string): string {
  return `$${s.length}\r\n${s}\r\n`;
}

export function encodeMessage(proto: 2 | 3, channel: string, message: string): Buffer {
  return Buffer.from(`${proto === 3 ? '>' : '*'}3\r\n$7\r\nmessage\r\n${bulk(channel)}${bulk(message)}`, 'latin1');
}

export function encodePmessage(proto: 2 | 3, pattern: string, channel: string, message: string): Buffer {
  return Buffer.from(
    `${proto === 3 ? '>' : '*'}4\r\n$8\r\npmessage\r\n${bulk(pattern)}${bulk(channel)}${bulk(message)}`,
    'latin1',
  );
}
