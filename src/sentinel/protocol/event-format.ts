/**
 * Event payloads as sentinelEvent builds them (sentinel.md §6): a format starting with `%@` expands to
 * `<type> <name> <ip> <port>`, followed for replicas and sentinels by ` @ <master-name> <master-ip> <master-port>`,
 * then the rest of the format. Hosts are already "announced" (hostnames when announce-hostnames is on).
 */

/** The `%@` fields of an event's instance (also the structured fields of the log line). */
export interface EventSubject {
  readonly kind: 'master' | 'slave' | 'sentinel';
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly master?: { readonly name: string; readonly host: string; readonly port: number };
}

/** `%@` expansion. */
export function formatSubject(s: EventSubject): string {
  const head = `${s.kind} ${s.name} ${s.host} ${s.port}`;
  return s.master === undefined ? head : `${head} @ ${s.master.name} ${s.master.host} ${s.master.port}`;
}

/** Payload of a `%@ …` event: the expansion, then `rest` appended verbatim (the reference's format tail). */
export function formatInstanceEvent(s: EventSubject, rest = ''): string {
  return formatSubject(s) + rest;
}

/** `+switch-master <name> <old-ip> <old-port> <new-ip> <new-port>`. */
export function formatSwitchMaster(name: string, oldHost: string, oldPort: number, newHost: string, newPort: number): string {
  return `${name} ${oldHost} ${oldPort} ${newHost} ${newPort}`;
}
