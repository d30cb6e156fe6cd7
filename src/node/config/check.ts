/**
 * tredis's check-config target (`tsentinel check-config --node <file>`): the node's directive table and defaults,
 * loaded as start-up loads them. Built without ports, since nothing is applied to a running node; a node config
 * need not be writable (redis-server starts with a read-only one and only CONFIG REWRITE fails).
 */
import type { ConfigCheckTarget } from '../../common/config/index.js';
import { TREDIS_VERSION } from '../version.js';
import { defaultNodeConfig, type NodeConfig } from './node-config.js';
import { nodeConfigTable } from './table.js';

export function nodeCheckTarget(): ConfigCheckTarget<NodeConfig> {
  return { product: `tredis ${TREDIS_VERSION}`, table: nodeConfigTable(), defaults: defaultNodeConfig(), requiresWritableFile: false };
}
