/**
 * One tredis as its own process for bench/node-vs-redis.ts: default settings (no persistence), the given port,
 * logging off. Prints `READY <port>` once listening. Usage: node .tmp/bench/bench/node-tredis.js <port>
 */
import pino from 'pino';
import { defaultNodeConfig } from '../src/node/config/node-config.js';
import { startNode } from '../src/node/main.js';

const port = Number(process.argv[2] ?? '0');
const cfg = defaultNodeConfig();
cfg.server.port = port;
cfg.server.bind = ['127.0.0.1'];
cfg.persistence.savePoints = [];
cfg.persistence.dir = process.argv[3] ?? '/tmp';
const handle = await startNode(cfg, { logger: pino({ level: 'silent' }), ephemeralPort: port === 0 });
process.stdout.write(`READY ${handle.port}\n`);
const stop = (): void => {
  void handle.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
