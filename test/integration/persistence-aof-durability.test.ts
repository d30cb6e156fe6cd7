/**
 * `appendfsync always`: a write whose reply was produced survives kill -9. A child process runs the node's
 * command core with the AOF (compiled dist/, as the other process-level tests) and announces each SET only after
 * the command returned — the moment its reply would be written to the socket — with a synchronous write to
 * stdout. The parent kills it with SIGKILL at a random point, restarts from the same directory and checks that
 * every announced write is there.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/common/random.js';
import { tempDir } from '../helpers/processes.js';
import { makeHarness } from '../unit/node/persistence/harness.js';

const DIST = resolve('dist');
const built = existsSync(join(DIST, 'node/core.js')) && existsSync(join(DIST, 'node/persistence/persistence.js'));
if (!built) console.warn('[skip] dist/ is not built (npm run build): skipping the kill -9 AOF durability test');

const child = (dir: string): string => `
import { writeSync } from 'node:fs';
import { systemClock } from '${DIST}/common/clock.js';
import { seededRandom } from '${DIST}/common/random.js';
import { RespWriter } from '${DIST}/resp/writer.js';
import { NodeCore } from '${DIST}/node/core.js';
import { DEFAULT_PERSISTENCE_CONFIG, Persistence } from '${DIST}/node/persistence/persistence.js';
const core = new NodeCore({ clock: systemClock, random: seededRandom(1) });
const p = new Persistence(
  { ...DEFAULT_PERSISTENCE_CONFIG, dir: ${JSON.stringify(dir)}, appendonly: true, appendfsync: 'always', savePoints: [] },
  { keyspace: core.ks, clock: systemClock, log: { notice() {}, warning() {} }, propagation: core.prop },
);
p.loadAtStartup({ apply() { throw new Error('fresh directory expected'); } });
// commands are not wrapped by NodeCore (the server core runs them through exec.execute): wrap them here
const set = core.exec.wrapAll(core.commands()).find((s) => s.name === 'set');
const session = { id: 1, db: 0, proto: 2, name: '', user: 'default', inMulti: false, multiDirty: false, kind: 'normal',
  channels: new Set(), patterns: new Set(), closeAfterReply() {}, send() {} };
writeSync(1, 'ready\\n');
for (let i = 0; ; i++) {
  const w = new RespWriter();
  set.handler({ session, reply: w, command: set }, ['SET', 'k' + i, 'v' + i + '-' + 'x'.repeat(i % 97)]);
  if (w.take().toString() !== '+OK\\r\\n') throw new Error('unexpected reply');
  writeSync(1, 'ack ' + i + '\\n'); // the reply would be sent now
}
`;

describe.skipIf(!built)('AOF durability across kill -9 (appendfsync always)', () => {
  const { dir: root, cleanup } = tempDir('tredis-aof-kill-');
  afterAll(cleanup);

  for (const seed of [1, 2, 3, 4, 5]) {
    it(`every acknowledged SET is in the AOF after SIGKILL (seed ${seed})`, async () => {
      const dir = join(root, `run-${seed}`);
      mkdirSync(dir);
      const script = join(dir, 'child.mjs');
      writeFileSync(script, child(dir));
      const killAfter = 50 + seededRandom(seed).int(400);
      const proc = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let lastAck = -1;
      proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<string | number | null>((res) => proc.once('exit', (code, sig) => res(sig ?? code)));
      await new Promise<void>((res, rej) => {
        proc.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /ack (\d+)\n(?![\s\S]*ack \d+\n)/.exec(out);
          if (m !== null) lastAck = Number(m[1]);
          if (lastAck >= killAfter && proc.exitCode === null && proc.signalCode === null) {
            proc.kill('SIGKILL');
            res();
          }
        });
        proc.once('exit', () => (lastAck >= killAfter ? res() : rej(new Error(`child exited early: ${err}`))));
      });
      expect(await exited).toBe('SIGKILL');
      // acks that arrived after the kill decision are acknowledged writes too
      const acks = [...out.matchAll(/ack (\d+)\n/g)].map((m) => Number(m[1]));
      const maxAck = Math.max(...acks);
      expect(maxAck).toBeGreaterThanOrEqual(killAfter);

      const t = makeHarness({ appendonly: true }, dir);
      try {
        t.p.loadAtStartup(t);
        const db = t.h.ks.db(0);
        for (let i = 0; i <= maxAck; i++) expect(db.dict.get(`k${i}`), `k${i}`).toBe(`v${i}-${'x'.repeat(i % 97)}`);
        // at most the one write in flight when the signal landed may also be there, nothing beyond it
        expect(db.dict.has(`k${maxAck + 2}`)).toBe(false);
      } finally {
        t.cleanup();
      }
    });
  }
});
