/**
 * The driver: the only part of tsentinel that does I/O on the core's behalf. It feeds inputs (timer, link events,
 * replies, pub/sub messages, DNS answers) to the core and executes the effects in order: connections through the
 * LinkPool, persistence through `persist` (synchronous, so a vote is on disk before anything after it is sent),
 * events to the log, to our own pub/sub channels and to metrics, scripts through the ScriptRunner. One timer,
 * armed at the core's next deadline.
 */
import { lookup } from 'node:dns/promises';
import type { Logger } from 'pino';
import type { Clock } from '../../common/clock.js';
import type { SentinelCore } from '../core/core.js';
import type { Effect, Input, SentinelEvent } from '../core/io.js';
import { eventLevel, type EventLevel } from '../protocol/wire-names.js';
import { LinkPool } from './links.js';
import type { SentinelMetrics } from './metrics.js';
import { ScriptRunner } from './scripts.js';

export interface DriverDeps {
  readonly core: SentinelCore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Rewrite the config file from the core's state now; throws on failure. */
  persist(): void;
  /** Publish an event on our own pub/sub (channel = event name). */
  publish(channel: string, payload: string): void;
  readonly metrics?: SentinelMetrics;
  /** SENTINEL SIMULATE-FAILURE crash: the process must exit with this code. */
  exit(code: number): void;
  readonly connectTimeout?: number;
  /** Retry period for a failed config rewrite. */
  readonly persistRetryMs?: number;
}

const PINO: Readonly<Record<EventLevel, 'warn' | 'info' | 'debug' | 'trace'>> = { warning: 'warn', notice: 'info', verbose: 'debug', debug: 'trace' };

export class SentinelDriver {
  readonly scripts: ScriptRunner;
  readonly #d: DriverDeps;
  readonly #links: LinkPool;
  #timer: NodeJS.Timeout | null = null;
  #persistRetry: NodeJS.Timeout | null = null;
  #persistFailing = false;
  #stopped = false;
  readonly #pingSent = new Map<number, number>();

  constructor(deps: DriverDeps) {
    this.#d = deps;
    this.#links = new LinkPool(
      {
        up: (link, conn, localIp) => this.input({ type: 'link-up', link, conn, localIp }),
        down: (link, conn, reason) => this.input({ type: 'link-down', link, conn, reason }),
        reply: (link, _conn, req, reply) => {
          const sent = this.#pingSent.get(req);
          if (sent !== undefined) {
            this.#pingSent.delete(req);
            const owner = this.#d.core.state.links.get(link)?.owner;
            if (owner !== undefined && reply.kind !== 'closed') this.#d.metrics?.observePing(owner, (this.#now() - sent) / 1000);
          }
          this.input({ type: 'reply', link, req, reply });
        },
        message: (link, channel, payload) => this.input({ type: 'message', link, channel, payload }),
      },
      deps.connectTimeout !== undefined ? { connectTimeout: deps.connectTimeout } : {},
    );
    const core = deps.core;
    this.scripts = new ScriptRunner({
      now: () => this.#now(),
      maxRuntime: () => core.state.timing.scriptMaxRuntime,
      retryDelay: () => core.state.timing.scriptRetryDelay,
      event: (type, payload) => this.#fanOut({ type, level: eventLevel(type), payload }),
      debug: (msg) => this.#d.logger.trace(msg),
      wake: () => this.#arm(),
    });
  }

  #now(): number {
    return this.#d.clock.monotonic();
  }

  /** Start ticking. */
  start(): void {
    this.input({ type: 'tick' });
  }

  /** Feed one input to the core and execute what it decides. */
  input(input: Input): void {
    if (this.#stopped) return;
    let effects: Effect[];
    try {
      effects = this.#d.core.handle(input, this.#now());
    } catch (err) {
      // A bug in the core must not take the daemon down with it; the next tick starts from the state as it is.
      this.#d.logger.error({ err, input: input.type }, 'BUG: sentinel core failed to process an input');
      this.#arm();
      return;
    }
    this.execute(effects);
  }

  /**
   * Execute effects in order. The config is written at the first `persist` (the core's state already holds every
   * change of this step, so one write covers them all) before any later effect runs.
   */
  execute(effects: readonly Effect[]): { persistFailed: boolean } {
    let persisted = false;
    let persistFailed = false;
    for (const e of effects) {
      if (this.#stopped) break;
      switch (e.type) {
        case 'connect':
          this.#links.connect(e.link, e.conn, e.ip, e.port);
          break;
        case 'disconnect':
          this.#links.disconnect(e.link, e.conn);
          break;
        case 'send':
          if (e.args.length === 1 && e.args[0] === 'PING' && e.req !== 0) this.#pingSent.set(e.req, this.#now());
          this.#links.send(e.link, e.conn, e.req, e.args);
          break;
        case 'persist':
          if (!persisted) {
            persisted = true;
            persistFailed = !this.flush(e.reason);
          }
          break;
        case 'event':
          this.#fanOut(e.event);
          break;
        case 'script':
          this.scripts.schedule(e.path, e.args);
          break;
        case 'log':
          this.#log(e.level, e.msg, e.fields);
          break;
        case 'resolve':
          this.#resolve(e.host);
          break;
        case 'exit':
          this.#d.logger.warn(e.msg);
          this.#d.exit(e.code);
          return { persistFailed };
      }
    }
    this.#arm();
    return { persistFailed };
  }

  /**
   * Write the config now. On failure: a warning (the reference's text), a metric, and a retry timer — supervision
   * carries on, the state is written as soon as the disk lets us.
   */
  flush(reason: string): boolean {
    try {
      this.#d.persist();
      this.#d.metrics?.onRewrite(true);
      if (this.#persistFailing) this.#d.logger.warn('Sentinel configuration saved on disk again');
      else this.#d.logger.info({ reason }, 'Sentinel new configuration saved on disk');
      this.#persistFailing = false;
      return true;
    } catch (err) {
      this.#d.metrics?.onRewrite(false);
      const msg = err instanceof Error ? err.message : String(err);
      this.#d.logger.warn({ reason, err: msg }, `WARNING: Sentinel was not able to save the new configuration on disk!!!: ${msg}`);
      this.#persistFailing = true;
      if (this.#persistRetry === null && !this.#stopped) {
        this.#persistRetry = setTimeout(() => {
          this.#persistRetry = null;
          if (this.#persistFailing && !this.#stopped) this.flush('retry');
        }, this.#d.persistRetryMs ?? 1000);
      }
      return false;
    }
  }

  #fanOut(ev: SentinelEvent): void {
    const fields: Record<string, unknown> = { event: ev.type };
    if (ev.masterName !== undefined) fields.master = ev.masterName;
    if (ev.subject !== undefined) fields.instance = ev.subject;
    if (ev.type === '+switch-master') {
      const t = ev.payload.split(' ');
      fields.oldAddr = `${t[1]}:${t[2]}`;
      fields.newAddr = `${t[3]}:${t[4]}`;
      const m = ev.masterName === undefined ? undefined : this.#d.core.state.masters.get(ev.masterName);
      if (m !== undefined) fields.epoch = m.configEpoch;
    }
    this.#d.logger[PINO[ev.level]](fields, `${ev.type} ${ev.payload}`);
    if (ev.level !== 'debug') {
      try {
        this.#d.publish(ev.type, ev.payload);
      } catch (err) {
        this.#d.logger.error({ err }, 'BUG: publishing an event failed');
      }
    }
    this.#d.metrics?.onEvent(ev);
  }

  #log(level: EventLevel, msg: string, fields?: Readonly<Record<string, string | number>>): void {
    let text = msg;
    if (fields !== undefined && typeof fields.atInMs === 'number') text = msg.replace('{at}', ctime(Date.now() + fields.atInMs));
    this.#d.logger[PINO[level]]({ ...fields }, text);
  }

  #resolve(host: string): void {
    lookup(host).then(
      (r) => this.input({ type: 'resolved', host, ip: r.address }),
      () => this.input({ type: 'resolved', host, ip: null }),
    );
  }

  #arm(): void {
    if (this.#stopped) return;
    const now = this.#now();
    let next = this.#d.core.nextDeadline(now);
    const s = this.scripts.nextDue();
    if (s !== null && s < next) next = s;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.scripts.run();
      this.input({ type: 'tick' });
    }, Math.max(1, Math.ceil(next - now)));
  }

  /** Close every link and timer; running scripts are killed. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#persistRetry !== null) clearTimeout(this.#persistRetry);
    this.#timer = null;
    this.#persistRetry = null;
    this.#links.closeAll();
    this.scripts.stop();
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime_r without the newline: `Tue Sep 30 15:08:46 2025` (local time). */
export function ctime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${d.getFullYear()}`;
}
