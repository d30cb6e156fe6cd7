/**
 * What ACL changes do to connected clients (acl.c, Redis 7.0): deleting a user disconnects its clients
 * (ACLFreeUserAndKillClients), and narrowing a user's channel permissions disconnects its subscribers that hold a
 * channel or pattern it may no longer use (ACLKillPubsubClientsIfNeeded). The caller itself is closed after its
 * reply rather than at once.
 */
import type { Acl } from './acl/acl.js';
import type { AclUser } from './acl/user.js';
import type { ClientSession } from './session.js';
import type { Session } from './types.js';

export interface ClientDirectory {
  clients(): IterableIterator<ClientSession>;
  killClient(s: ClientSession, reason: string): void;
}

export function disconnectUser(dir: ClientDirectory, acl: Acl, u: AclUser, caller: Session | null): void {
  const def = acl.defaultUser;
  for (const c of [...dir.clients()]) {
    if (c.aclUser !== u) continue;
    // defensive, as Redis: back to the default user, unauthenticated, before the (deferred) close
    c.aclUser = def;
    c.user = null;
    if (c.id === caller?.id) c.closeAfterReply();
    else dir.killClient(c, 'user deleted');
  }
}

export function dropRevokedSubscribers(dir: ClientDirectory, acl: Acl, u: AclUser, caller: Session | null): void {
  if (u.allChannels) return;
  for (const c of [...dir.clients()]) {
    if (c.aclUser !== u || !c.isPubsub) continue;
    let revoked = false;
    for (const p of c.patterns) if (!acl.channelAllowed(u, p, true)) revoked = true;
    for (const ch of c.channels) if (!acl.channelAllowed(u, ch, false)) revoked = true;
    if (!revoked) continue;
    if (c.id === caller?.id) c.closeAfterReply();
    else dir.killClient(c, 'channel permissions revoked');
  }
}
