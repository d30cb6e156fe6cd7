/**
 * The per-step context every rule receives: the state, `now`, the injected Random, and the sinks that turn
 * decisions into effects (events, sends, persistence, scripts, logs). One step = one Ctx; rules never keep it.
 */
import type { Random } from '../../common/random.js';
import { announceHost } from '../protocol/addr.js';
import { formatSubject, type EventSubject } from '../protocol/event-format.js';
import { eventLevel, type EventLevel, type EventName } from '../protocol/wire-names.js';
import type { ConnKind, Effect, SentinelEvent } from './io.js';
import type { Instance, Master, SentinelState } from './model.js';

/** What a reply is for: how the core interprets it when it comes back. */
export type Purpose =
  | 'discard'
  | 'ping'
  | 'info'
  | 'publish'
  | 'ask'
  /** Last command (EXEC) of a SLAVEOF transaction to the promoted replica: poll its INFO at once. */
  | 'promote-exec'
  /** Reply to FAILOVER TO (coordinated failover). */
  | 'failover-to';

export interface PendingRequest {
  readonly purpose: Purpose;
  readonly ri: Instance;
  readonly link: number;
  readonly conn: ConnKind;
}

export class Ctx {
  readonly out: Effect[] = [];

  constructor(
    readonly state: SentinelState,
    readonly now: number,
    readonly random: Random,
    readonly pending: Map<number, PendingRequest>,
    private readonly nextReq: () => number,
  ) {}

  get timing() {
    return this.state.timing;
  }

  get tuning() {
    return this.state.tuning;
  }

  /** The instance's `%@` fields as the reference prints them right now. */
  subject(ri: Instance): EventSubject {
    const ah = this.state.config.announceHostnames;
    const base = { kind: ri.kind, name: ri.name, host: announceHost(ri.addr, ah), port: ri.addr.port };
    if (ri.kind === 'master') return base;
    const m = ri.master;
    return { ...base, master: { name: m.name, host: announceHost(m.addr, ah), port: m.addr.port } };
  }

  /** sentinelEvent(level, type, ri, "%@<rest>"). */
  instanceEvent(type: EventName, ri: Instance, rest = ''): void {
    const subject = this.subject(ri);
    this.#emit(type, formatSubject(subject) + rest, ri, subject);
  }

  /** sentinelEvent with a format that does not start with %@ (payload given whole); `ri` decides the script. */
  plainEvent(type: EventName, payload: string, ri: Instance | null = null): void {
    this.#emit(type, payload, ri, undefined);
  }

  #emit(type: EventName, payload: string, ri: Instance | null, subject: EventSubject | undefined): void {
    const level = eventLevel(type);
    const master = ri === null ? null : ri.kind === 'master' ? ri : ri.master;
    const event: SentinelEvent = {
      type,
      level,
      payload,
      ...(master !== null ? { masterName: master.name } : {}),
      ...(subject !== undefined ? { subject } : {}),
    };
    this.out.push({ type: 'event', event });
    // Only WARNING events about an instance run the master's notification script (sentinelEvent).
    if (level === 'warning' && master !== null && master.notificationScript !== null) {
      this.out.push({ type: 'script', path: master.notificationScript, args: [type, payload] });
    }
  }

  persist(reason: string): void {
    this.out.push({ type: 'persist', reason });
  }

  log(level: EventLevel, msg: string, fields?: Record<string, string | number>): void {
    this.out.push(fields === undefined ? { type: 'log', level, msg } : { type: 'log', level, msg, fields });
  }

  script(path: string, args: readonly string[]): void {
    this.out.push({ type: 'script', path, args });
  }

  /** sentinelInstanceMapCommand: command names go through the master's rename-command map. */
  mapCommand(ri: Instance, name: string): string {
    const m = ri.kind === 'master' ? ri : ri.master;
    return m.renamedCommands.get(name.toLowerCase())?.to ?? name;
  }

  /**
   * redisAsyncCommand on the instance's command (or pub/sub) connection. Returns false, sending nothing, when that
   * connection is not up (the reference's redisAsyncCommand fails on a NULL context the same way).
   */
  send(ri: Instance, args: readonly string[], purpose: Purpose, conn: ConnKind = 'cmd'): boolean {
    const link = ri.link;
    if ((conn === 'cmd' ? link.cc : link.pc) !== 'up') return false;
    const mapped = [this.mapCommand(ri, args[0]!), ...args.slice(1)];
    const req = this.nextReq();
    this.pending.set(req, { purpose, ri, link: link.id, conn });
    if (conn === 'cmd') link.pendingCommands++;
    this.out.push({ type: 'send', link: link.id, conn, req, args: mapped });
    return true;
  }

  connect(ri: Instance, conn: ConnKind): void {
    this.out.push({ type: 'connect', link: ri.link.id, conn, host: ri.addr.host, ip: ri.addr.ip, port: ri.addr.port });
  }

  disconnect(linkId: number, conn: ConnKind): void {
    this.out.push({ type: 'disconnect', link: linkId, conn });
  }

  /** The master a record belongs to. */
  static masterOf(ri: Instance): Master {
    return ri.kind === 'master' ? ri : ri.master;
  }
}
