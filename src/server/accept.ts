/**
 * A new socket from a listener becomes a client (networking.c acceptCommonHandler, clientAcceptHandler): refused
 * with the error line written straight to the socket when maxclients is reached or protected mode applies,
 * otherwise set up (TCP_NODELAY, keepalive) and registered as a session with its Connection.
 */
import type { Socket } from 'node:net';
import type { Acl } from './acl/acl.js';
import { formatAddr } from './client-info.js';
import { Connection, type ConnectionHost } from './connection.js';
import { MAX_CLIENTS_LINE, PROTECTED_MODE_DENIED } from './replies.js';
import type { ClientSession } from './session.js';
import type { SessionTable } from './session-table.js';
import type { ServerSettings } from './settings.js';
import type { ServerStats } from './stats.js';

export interface AcceptHost {
  readonly settings: ServerSettings;
  readonly acl: Acl;
  readonly stats: ServerStats;
  readonly sessions: SessionTable;
  readonly connHost: ConnectionHost;
  /** Protected mode's notion of a local peer (connIsLocal). */
  isLocal(ip: string): boolean;
  /** The onSessionOpen hook. */
  opened(s: ClientSession): void;
}

export function acceptConnection(sock: Socket, unix: boolean, h: AcceptHost): void {
  sock.on('error', () => {});
  const { settings, stats } = h;
  // acceptCommonHandler: maxclients first (the error is written straight to the socket)
  if (h.sessions.size >= settings.maxclients) {
    stats.rejectedConnections++;
    sock.end(MAX_CLIENTS_LINE);
    return;
  }
  // clientAcceptHandler: protected mode refuses non-local peers while the default user has no password
  if (settings.protectedMode && h.acl.defaultUser.nopass && !unix && !h.isLocal(sock.remoteAddress ?? '')) {
    stats.rejectedConnections++;
    sock.end(PROTECTED_MODE_DENIED);
    return;
  }
  sock.setNoDelay(true);
  if (settings.tcpKeepalive > 0 && !unix) sock.setKeepAlive(true, settings.tcpKeepalive * 1000);
  const conn = new Connection(sock, h.connHost);
  const path = settings.unixsocket;
  const session = h.sessions.open({
    addr: unix ? `${path}:0` : formatAddr(sock.remoteAddress, sock.remotePort),
    laddr: unix ? `${path}:0` : formatAddr(sock.localAddress, sock.localPort),
    unixSocket: unix,
    transport: conn,
  });
  h.sessions.attachConnection(session, conn);
  stats.totalConnectionsReceived++;
  conn.attach(session);
  h.opened(session);
}
