/**
 * Real-process checks of atomic config writes: a child rewriting the file in a tight loop is SIGKILLed at random
 * moments and the file must always be one complete version; a real single-file bind mount (EBUSY on rename)
 * must take the in-place fallback; an unwritable directory must fail with EACCES and leave the file intact.
 *
 * The child runs our real code: the modules it needs are compiled on the fly with the project's tsc into a temp
 * directory (only these files, so the rest of the tree's state does not matter).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/common/random.js';
import { has, stopAll } from '../helpers/processes.js';

const ROOT = resolve(import.meta.dirname, '../..');
let work = '';
let built = '';

const CHILD = `
import { atomicWriteFile } from './common/atomic-write.js';
import { checkSentinelConfigFile } from './common/config/config-file.js';
const [mode, path, extra] = process.argv.slice(2);
export function version(n) {
  const size = 1000 + ((n * 7919) % 150000);
  return 'v=' + n + '\\n' + 'x'.repeat(size) + '\\nend=' + n + '\\n';
}
if (mode === 'loop') {
  for (let n = Number(extra); ; n++) {
    atomicWriteFile(path, version(n));
    if (n === Number(extra)) process.stdout.write('started\\n');
  }
} else if (mode === 'once') {
  try {
    const r = atomicWriteFile(path, extra);
    console.log(JSON.stringify({ ok: true, ...r }));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, name: e.name, code: e.code, errno: e.errno, step: e.step, message: e.message }));
  }
} else if (mode === 'check') {
  console.log(JSON.stringify({ message: checkSentinelConfigFile(path) ?? null }));
}
`;

/** Parses a file written by version(n); undefined when it is not one complete version. */
function checkVersion(text: string): number | undefined {
  const m = /^v=(\d+)\n(x*)\nend=(\d+)\n$/.exec(text);
  if (m === null || m[1] !== m[3]) return undefined;
  const n = Number(m[1]);
  return m[2]!.length === 1000 + ((n * 7919) % 150000) ? n : undefined;
}

function runChild(args: string[], opts: { uid?: number; gid?: number } = {}): string {
  const r = spawnSync(process.execPath, [join(built, 'child.mjs'), ...args], { encoding: 'utf8', timeout: 30_000, ...opts });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return r.stdout.trim();
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tsentinel-atomic-'));
  chmodSync(work, 0o755);
  built = join(work, 'build');
  mkdirSync(built);
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(
    process.execPath,
    [
      tsc,
      'src/common/atomic-write.ts',
      'src/common/config/config-file.ts',
      '--outDir',
      built,
      '--rootDir',
      'src',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--types',
      'node',
      '--skipLibCheck',
      '--ignoreConfig',
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
  );
  if (!existsSync(join(built, 'common/atomic-write.js'))) throw new Error(`tsc failed: ${r.stdout}${r.stderr}`);
  writeFileSync(join(built, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(built, 'child.mjs'), CHILD);
});

afterAll(async () => {
  await stopAll();
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('atomic config writes under SIGKILL', () => {
  it('the file is always one complete version, whenever the writer dies', async () => {
    const seed = 4242;
    const rnd = seededRandom(seed);
    const dir = mkdtempSync(join(work, 'kill-'));
    const file = join(dir, 'sentinel.conf');
    writeFileSync(file, 'v=0\n' + 'x'.repeat(1000) + '\nend=0\n');
    let next = 1;
    let advanced = 0; // rounds in which the writer got past its first write before dying
    for (let round = 0; round < 25; round++) {
      const child = spawn(process.execPath, [join(built, 'child.mjs'), 'loop', file, String(next)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      await new Promise<void>((ok, fail) => {
        child.stdout.once('data', () => ok());
        child.once('exit', (code) => fail(new Error(`writer exited early (${code}): ${stderr}`)));
      });
      await new Promise((r) => setTimeout(r, 10 + rnd.int(50)));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const n = checkVersion(readFileSync(file, 'latin1'));
      if (n === undefined) throw new Error(`seed ${seed} round ${round}: torn file after SIGKILL`);
      if (n < next) throw new Error(`seed ${seed} round ${round}: version ${n} is older than this writer's first`);
      if (n > next) advanced++;
      next = n + 1_000_000; // a fresh range per round, so a stale version would be noticed
    }
    // the writer was really killed in the middle of its loop, not only right after starting
    expect(advanced).toBeGreaterThanOrEqual(5);
    // leftovers are only temp files named after the target
    expect(readdirSync(dir).every((f) => f === 'sentinel.conf' || /^sentinel\.conf\.[0-9a-f]{6}$/.test(f))).toBe(true);
  });
});

const canBindMount =
  has('unshare') && has('mount') && spawnSync('unshare', ['-m', 'mount', '--bind', '/dev/null', '/dev/null']).status === 0;
if (!canBindMount) console.warn('[skip] unshare/mount --bind not permitted here: skipping the real bind-mount (EBUSY) test');

describe.skipIf(!canBindMount)('single-file bind mount', () => {
  it('rename fails with EBUSY and the in-place fallback updates the mounted file', () => {
    const dir = mkdtempSync(join(work, 'bind-'));
    const host = join(dir, 'host.conf');
    const mounted = join(dir, 'sentinel.conf');
    writeFileSync(host, 'port 26379\n# a long old line that the shorter new content must truncate away\n');
    writeFileSync(mounted, '');
    const script = `mount --bind '${host}' '${mounted}' && exec '${process.execPath}' '${join(built, 'child.mjs')}' once '${mounted}' "$1"`;
    const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', 'port 26380\n'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ ok: true, mode: 'in-place', renameError: 'EBUSY', warnings: [] });
    expect(readFileSync(host, 'utf8')).toBe('port 26380\n');
    expect(readdirSync(dir).sort()).toEqual(['host.conf', 'sentinel.conf']);
  });
});

const isRoot = process.getuid?.() === 0;

describe('unwritable locations', () => {
  it('fails with EACCES and the path, leaving the file intact', () => {
    const dir = mkdtempSync(join(work, 'ro-'));
    const file = join(dir, 'sentinel.conf');
    writeFileSync(file, 'port 26379\n');
    chmodSync(file, 0o644);
    chmodSync(dir, 0o555);
    try {
      // Root bypasses permission bits, so run the writer as nobody when we are root.
      const out = JSON.parse(runChild(['once', file, 'port 1\n'], isRoot ? { uid: 65534, gid: 65534 } : {}));
      expect(out).toMatchObject({ ok: false, name: 'FileWriteError', code: 'EFILEWRITE', errno: 'EACCES', step: 'open-temp' });
      expect(out.message).toBe(`Could not write ${file} (open-temp): Permission denied`);
      expect(readFileSync(file, 'utf8')).toBe('port 26379\n');

      const check = JSON.parse(runChild(['check', file], isRoot ? { uid: 65534, gid: 65534 } : {}));
      expect(check.message).toBe(`Sentinel config file ${file} is not writable: Permission denied. Exiting...`);
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it('accepts a writable file', () => {
    const dir = mkdtempSync(join(work, 'rw-'));
    const file = join(dir, 'sentinel.conf');
    writeFileSync(file, 'port 26379\n');
    expect(JSON.parse(runChild(['check', file])).message).toBeNull();
    expect(JSON.parse(runChild(['once', file, 'port 2\n']))).toEqual({ ok: true, mode: 'rename', warnings: [] });
    expect(readFileSync(file, 'utf8')).toBe('port 2\n');
  });
});
