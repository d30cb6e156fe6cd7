/**
 * Replication wire text in one place: error replies (without the leading '-'), status lines, and the encoders for
 * the commands that travel on a replication link. Wire vocabulary (`master`, `slave`) is kept exactly here.
 *
 * Texts are those of Redis 7.0.15 (replication.c syncCommand/replconfCommand/replicaofCommand/waitCommand/
 * failoverCommand, server.c processCommand).
 */
import type { ByteString } from '../../common/bytes.js';

export const REPL_ERR = {
  NOMASTERLINK_NOT_CONNECTED: "NOMASTERLINK Can't SYNC while not connected with my master",
  NOMASTERLINK_FAILING_OVER: "NOMASTERLINK Can't SYNC while failing over",
  LOADING: 'LOADING Redis is loading the dataset in memory',
  PENDING_OUTPUT: 'ERR SYNC and PSYNC are invalid with pending output',
  NOT_INTEGER: 'ERR value is not an integer or out of range',
  SYNTAX: 'ERR syntax error',
  PSYNC_FAILOVER_TO_MASTER: "ERR PSYNC FAILOVER can't be sent to a master.",
  PSYNC_FAILOVER_REPLID: 'ERR PSYNC FAILOVER replid must match my replid.',
  REPLICA_KEYSPACE: "ERR Replica can't interact with the keyspace",
  NOREPLICAS: 'NOREPLICAS Not enough good replicas to write.',
  READONLY: "READONLY You can't write against a read only replica.",
  MASTERDOWN: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
  WAIT_ON_REPLICA: 'ERR WAIT cannot be used with replica instances. Please also note that since Redis 4.0 if a replica is configured to be writable (which is not the default) writes to replicas are just local and are not propagated.',
  TIMEOUT_NEGATIVE: 'ERR timeout is negative',
  REPLICAOF_FAILING_OVER: 'ERR REPLICAOF not allowed while failing over.',
  REPLICAOF_CLUSTER: 'ERR REPLICAOF not allowed in cluster mode.',
  INVALID_MASTER_PORT: 'ERR Invalid master port',
  REPLICAOF_FROM_REPLICA: 'ERR Command is not valid when client is a replica.',
  FAILOVER_CLUSTER: 'ERR FAILOVER not allowed in cluster mode. Use CLUSTER FAILOVER command instead.',
  FAILOVER_NONE_IN_PROGRESS: 'ERR No failover in progress.',
  FAILOVER_TIMEOUT_POSITIVE: 'ERR FAILOVER timeout must be greater than 0',
  FAILOVER_ALREADY: 'ERR FAILOVER already in progress.',
  FAILOVER_ON_REPLICA: 'ERR FAILOVER is not valid when server is a replica.',
  FAILOVER_NO_REPLICAS: 'ERR FAILOVER requires connected replicas.',
  FAILOVER_FORCE_NEEDS: 'ERR FAILOVER with force option requires both a timeout and target HOST and IP.',
  FAILOVER_TARGET_NOT_REPLICA: 'ERR FAILOVER target HOST and PORT is not a replica.',
  FAILOVER_TARGET_NOT_ONLINE: 'ERR FAILOVER target replica is not online.',
} as const;

/** `ERR Unrecognized REPLCONF option: <opt>` */
export function unrecognizedReplconf(option: string): string {
  return `ERR Unrecognized REPLCONF option: ${option}`;
}

/** The ip-address option is bounded by NET_HOST_STR_LEN (256) in replconfCommand. */
export function replconfIpTooLong(len: number): string {
  return `ERR REPLCONF ip-address provided by replica instance is too long: ${len} bytes`;
}

export const OK_ALREADY_CONNECTED = 'OK Already connected to specified master';

/** Canonical `*n\r\n$len\r\narg\r\n…` encoding; byte strings, so string length is byte length. */
export function encodeCommand(argv: readonly ByteString[]): Buffer {
  let size = 1 + String(argv.length).length + 2;
  for (const a of argv) size += 1 + String(a.length).length + 2 + a.length + 2;
  const buf = Buffer.allocUnsafe(size);
  let pos = buf.latin1Write(`*${argv.length}\r\n`, 0);
  for (const a of argv) {
    pos += buf.latin1Write(`$${a.length}\r\n`, pos);
    pos += buf.latin1Write(a, pos);
    pos += buf.latin1Write('\r\n', pos);
  }
  return buf;
}

/** The master's keepalive PING: lower case, 14 bytes (replicationCron, `ping` shared object). */
export const PING_COMMAND = encodeCommand(['ping']);
/** `REPLCONF GETACK *`, 37 bytes (replicationRequestAckFromSlaves). */
export const GETACK_COMMAND = encodeCommand(['REPLCONF', 'GETACK', '*']);
/** `SELECT <db>` as the master emits it before a command for another db (replicationFeedSlaves). */
export function selectCommand(db: number): Buffer {
  return encodeCommand(['SELECT', String(db)]);
}
export const MULTI_COMMAND = encodeCommand(['MULTI']);
export const EXEC_COMMAND = encodeCommand(['EXEC']);

/** `REPLCONF ACK <offset>` from a replica (replicationSendAck). */
export function ackCommand(offset: number): Buffer {
  return encodeCommand(['REPLCONF', 'ACK', String(offset)]);
}

/** An all-zero replication id: "no secondary history" (replid2 when unset). */
export const NULL_REPLID = '0000000000000000000000000000000000000000';
export const REPLID_LEN = 40;
