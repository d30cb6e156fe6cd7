/**
 * One tsentinel as its own process for the failover benchmark: `startSentinel(<conf>)` with the default logger
 * writing JSON lines to stdout. Usage: node .tmp/bench/bench/failover-tsentinel.js <sentinel.conf>
 */
import { startSentinel } from '../src/sentinel/main.js';

const conf = process.argv[2];
if (conf === undefined) {
  process.stderr.write('usage: failover-tsentinel <sentinel.conf>\n');
  process.exit(2);
}
const handle = await startSentinel(conf);
process.stdout.write(`READY ${handle.port}\n`);
const stop = (): void => {
  void handle.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
