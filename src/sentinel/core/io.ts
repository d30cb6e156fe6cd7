/**
 * What goes into the core and what comes out (etcd-raft's Step/Ready split): the driver feeds `Input`s stamped
 * with `now` and executes the returned `Effect`s in order. Order matters: a `persist` precedes any `send`/reply
 * that reveals the state it saves ("persist before you speak" — a granted vote is on disk before the peer hears it).
 */
import type { EventSubject } from '../protocol/event-format.js';
import type { Reply } from '../protocol/reply.js';
import type { EventLevel, EventName } from '../protocol/wire-names.js';

export type { EventSubject, Reply };

export type ConnKind = 'cmd' | 'pubsub';

export type Input =
  /** Timer: periodic work, TILT detection, deadlines. */
  | { readonly type: 'tick' }
  /** A connection the core asked for is established; `localIp` is getsockname() of it. */
  | { readonly type: 'link-up'; readonly link: number; readonly conn: ConnKind; readonly localIp?: string | null }
  /** A connection failed or closed (also after a `disconnect` effect). */
  | { readonly type: 'link-down'; readonly link: number; readonly conn: ConnKind; readonly reason?: string }
  | { readonly type: 'reply'; readonly link: number; readonly req: number; readonly reply: Reply }
  /** A pub/sub message on a node's pub/sub link (channel, payload as byte strings). */
  | { readonly type: 'message'; readonly link: number; readonly channel: string; readonly payload: string }
  /** Asynchronous DNS result for a hostname the core asked about (null: could not resolve). */
  | { readonly type: 'resolved'; readonly host: string; readonly ip: string | null };

export interface SentinelEvent {
  readonly type: EventName;
  readonly level: EventLevel;
  /** Exactly what is published on the channel and logged after the event name (sentinel.md §6). */
  readonly payload: string;
  /** Master the event concerns, when any. */
  readonly masterName?: string;
  readonly subject?: EventSubject;
}

export type Effect =
  | {
      readonly type: 'connect';
      readonly link: number;
      readonly conn: ConnKind;
      readonly host: string;
      readonly ip: string;
      readonly port: number;
    }
  | { readonly type: 'disconnect'; readonly link: number; readonly conn: ConnKind }
  /** Send a command on a connection; the reply comes back as a `reply` input carrying `req` (0: discard). */
  | { readonly type: 'send'; readonly link: number; readonly conn: ConnKind; readonly req: number; readonly args: readonly string[] }
  /** Rewrite the config file from the current state, before executing the effects after this one. */
  | { readonly type: 'persist'; readonly reason: string }
  | { readonly type: 'event'; readonly event: SentinelEvent }
  /** Queue a script run (notification-script, client-reconfig-script). */
  | { readonly type: 'script'; readonly path: string; readonly args: readonly string[] }
  /** A log line that is not an event ("Next failover delay…", "… voted for …"). */
  | { readonly type: 'log'; readonly level: EventLevel; readonly msg: string; readonly fields?: Readonly<Record<string, string | number>> }
  /** Resolve a hostname asynchronously; answer with a `resolved` input. */
  | { readonly type: 'resolve'; readonly host: string }
  /** SENTINEL SIMULATE-FAILURE: exit the process now with this code. */
  | { readonly type: 'exit'; readonly code: number; readonly msg: string };
