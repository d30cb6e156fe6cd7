/**
 * What the replica's master link does to the rest of the node (the MasterLinkHost of a ReplicationService):
 * handshake settings from the config, the PSYNC2 id bookkeeping on +FULLRESYNC/+CONTINUE (replication.c
 * syncWithMaster, slaveTryPartialResynchronization, readSyncBulkPayload), installing the synced dataset, running
 * the stream through the master client, and feeding the applied bytes to our own backlog and sub-replicas.
 */
import { effectiveBacklogSize } from '../config.js';
import type { FailoverControl } from '../failover-control.js';
import type { ReplicationHistory } from '../history.js';
import type { ReplicaFeeder } from '../primary/feeder.js';
import type { MasterClient, ReplicationPorts } from '../service.js';
import type { MasterLinkHost } from './master-link.js';

/** The replica's client for its master's stream, opened on first use and closed when the link goes down. */
export class MasterClientSlot {
  #client: MasterClient | null = null;
  readonly #open: () => MasterClient;

  constructor(open: () => MasterClient) {
    this.#open = open;
  }

  get current(): MasterClient | null {
    return this.#client;
  }

  get(): MasterClient {
    this.#client ??= this.#open();
    return this.#client;
  }

  /** Forget the client without closing it (it is already gone: CLIENT KILL TYPE master). */
  forget(): void {
    this.#client = null;
  }

  close(): void {
    const c = this.#client;
    this.#client = null;
    c?.close();
  }
}

export interface LinkHostDeps {
  readonly ports: ReplicationPorts;
  readonly history: ReplicationHistory;
  readonly feeder: ReplicaFeeder;
  readonly failover: FailoverControl;
  readonly masterClient: MasterClientSlot;
}

export function masterLinkHost(d: LinkHostDeps): MasterLinkHost {
  const { ports: p, history, feeder, failover, masterClient } = d;
  return {
    clock: p.clock,
    dial: (h, port) => p.dial(h, port),
    handshakeSettings: () => {
      const c = p.config();
      return {
        listeningPort: c.replicaAnnouncePort !== 0 ? c.replicaAnnouncePort : p.ownPort(),
        announceIp: c.replicaAnnounceIp,
        masterUser: c.masteruser,
        masterAuth: c.masterauth,
      };
    },
    databases: p.databases,
    replTimeoutMs: () => p.config().replTimeout * 1000,
    failoverHandover: () => failover.handingOver,
    fullSyncStarting: () => {
      // our sub-replicas must full-sync too, and our backlog no longer describes what they would get
      feeder.dropAll('full resync with my master: sub-replicas must resync too');
      history.freeBacklog();
    },
    partialSyncAccepted: (newReplid) => {
      if (newReplid !== null && newReplid.toLowerCase() !== history.replid.toLowerCase()) {
        history.switchToMasterReplid(newReplid);
        // sub-replicas learn the new id by reconnecting (and continue through replid2)
        feeder.dropAll('master replication id changed');
        p.log('notice', `Master replication ID changed to ${newReplid}`);
      }
      if (history.backlog === null) history.createBacklog(effectiveBacklogSize(p.config()));
    },
    installDataset: (result, replid, offset) => {
      p.installDataset(result);
      history.adoptMasterHistory(replid ?? history.replid, offset, effectiveBacklogSize(p.config()));
    },
    runMasterCommand: (argv) => masterClient.get().run(argv),
    masterDb: () => masterClient.current?.db ?? 0,
    setMasterDb: (db) => {
      masterClient.get().db = db;
    },
    currentReplid: () => history.replid,
    streamApplied: (raw) => feeder.feed(raw),
    psyncOutcome: (o) => failover.psyncOutcome(o),
    linkUp: () => p.log('notice', 'MASTER <-> REPLICA sync: link up'),
    linkDown: () => {
      masterClient.close();
      p.log('notice', 'Connection with master lost.');
    },
    attemptFailed: () => failover.handoverFailed(),
    log: (m) => p.log('notice', m),
  };
}
