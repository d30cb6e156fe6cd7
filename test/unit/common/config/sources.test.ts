import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigLines, type ConfigFs } from '../../../../src/common/config/index.js';

/** An in-memory file tree; symlinks map a path to its target for realpath. */
function memFs(files: Record<string, string>, links: Record<string, string> = {}): ConfigFs {
  const enoent = (p: string): Error => Object.assign(new Error(`ENOENT ${p}`), { code: 'ENOENT' });
  const real = (p: string): string => links[p] ?? p;
  return {
    readFile(p) {
      const content = files[real(p)];
      if (content === undefined) throw enoent(p);
      return content;
    },
    realpath(p) {
      if (files[real(p)] === undefined) throw enoent(p);
      return real(p);
    },
    readdir(dir) {
      const prefix = dir.endsWith('/') ? dir : `${dir}/`;
      const names = Object.keys(files)
        .filter((f) => f.startsWith(prefix))
        .map((f) => f.slice(prefix.length).split('/')[0]!);
      if (names.length === 0) throw enoent(dir);
      return [...new Set(names)].reverse(); // readdir order is arbitrary; the loader must sort
    },
  };
}

const args = (r: ReturnType<typeof loadConfigLines>): string[] => r.lines.map((l) => l.args.join(' '));

describe('loadConfigLines', () => {
  it('reads file, then stdin, then command-line options, in that order', () => {
    const fs = memFs({ '/etc/node.conf': 'port 1\nmaxmemory 1mb\n' });
    const r = loadConfigLines(
      { file: '/etc/node.conf', fileDisplay: 'node.conf', stdin: 'port 2\n', options: 'port 3\nreplicaof 127.0.0.1 6379' },
      { fs },
    );
    expect(r.errors).toEqual([]);
    expect(r.lines.map((l) => [l.file, l.line, l.args.join(' ')])).toEqual([
      ['node.conf', 1, 'port 1'],
      ['node.conf', 2, 'maxmemory 1mb'],
      ['(stdin)', 1, 'port 2'],
      ['(command line)', 1, 'port 3'],
      ['(command line)', 2, 'replicaof 127.0.0.1 6379'],
    ]);
  });

  it('splices included files in place, relative to cwd, marking their lines as included', () => {
    const fs = memFs({
      '/etc/main.conf': 'port 1\ninclude common.conf\nport 9\n',
      '/etc/common.conf': 'maxmemory 1mb\nINCLUDE /etc/deep.conf\n',
      '/etc/deep.conf': 'loglevel debug\n',
    });
    const r = loadConfigLines({ file: '/etc/main.conf' }, { fs, cwd: '/etc' });
    expect(r.errors).toEqual([]);
    expect(args(r)).toEqual(['port 1', 'maxmemory 1mb', 'loglevel debug', 'port 9']);
    expect(r.lines.map((l) => l.included)).toEqual([false, true, true, false]);
    expect(r.lines[1]!.file).toBe('common.conf');
    expect(r.lines[2]!.file).toBe('/etc/deep.conf');
  });

  it('reports a missing include at the include line, with strerror text, and continues', () => {
    const fs = memFs({ '/c/main.conf': 'include /c/nope.conf\nport 1\n' });
    const r = loadConfigLines({ file: '/c/main.conf', fileDisplay: 'main.conf' }, { fs });
    expect(args(r)).toEqual(['port 1']);
    expect(r.errors).toEqual([
      {
        file: 'main.conf',
        line: 1,
        text: 'include /c/nope.conf',
        message: "Fatal error, can't open config file '/c/nope.conf': No such file or directory",
      },
    ]);
  });

  it('reports a missing main file without a line', () => {
    const r = loadConfigLines({ file: '/x/none.conf' }, { fs: memFs({}) });
    expect(r.errors).toEqual([
      { file: '/x/none.conf', message: "Fatal error, can't open config file '/x/none.conf': No such file or directory" },
    ]);
  });

  it('detects include cycles, including through symlinks', () => {
    const fs = memFs(
      {
        '/c/a.conf': 'port 1\ninclude /c/b.conf\n',
        '/c/b.conf': 'port 2\ninclude /c/link.conf\n',
      },
      { '/c/link.conf': '/c/a.conf' },
    );
    const r = loadConfigLines({ file: '/c/a.conf' }, { fs });
    expect(args(r)).toEqual(['port 1', 'port 2']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: '/c/b.conf', line: 2, message: "include cycle: '/c/link.conf' is already being read" });
  });

  it('limits include depth', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`/d/${i}.conf`] = `port ${i}\ninclude /d/${i + 1}.conf\n`;
    const r = loadConfigLines({ file: '/d/0.conf' }, { fs: memFs(files), maxIncludeDepth: 5 });
    expect(args(r)).toEqual(['port 0', 'port 1', 'port 2', 'port 3', 'port 4', 'port 5']);
    expect(r.errors).toEqual([
      { file: '/d/5.conf', line: 2, text: 'include /d/6.conf', message: 'include nested deeper than 5 levels' },
    ]);
  });

  it('treats include with a wrong argument count as a bad directive', () => {
    const r = loadConfigLines({ options: 'include a b' }, { fs: memFs({}) });
    expect(r.errors[0]!.message).toBe('Bad directive or wrong number of arguments');
  });

  it('expands include globs in sorted order, skipping hidden files; no match is fine', () => {
    const fs = memFs({
      '/e/main.conf': 'include /e/conf.d/*.conf\ninclude /e/empty.d/*.conf\nport 9\n',
      '/e/conf.d/20-b.conf': 'port 20\n',
      '/e/conf.d/10-a.conf': 'port 10\n',
      '/e/conf.d/.hidden.conf': 'port 99\n',
      '/e/conf.d/notes.txt': 'port 98\n',
    });
    const r = loadConfigLines({ file: '/e/main.conf' }, { fs });
    expect(r.errors).toEqual([]);
    expect(args(r)).toEqual(['port 10', 'port 20', 'port 9']);
    expect(r.lines[0]!.file).toBe('/e/conf.d/10-a.conf');
  });

  it('expands globs in directory components and relative patterns', () => {
    const fs = memFs({
      '/w/a1/x.conf': 'port 1\n',
      '/w/a2/x.conf': 'port 2\n',
      '/w/b1/x.conf': 'port 3\n',
    });
    const r = loadConfigLines({ options: 'include a?/x.conf' }, { fs, cwd: '/w' });
    expect(r.errors).toEqual([]);
    expect(args(r)).toEqual(['port 1', 'port 2']);
    expect(r.lines.map((l) => l.file)).toEqual(['a1/x.conf', 'a2/x.conf']);
  });

  it('collects parse errors from every source', () => {
    const fs = memFs({ '/m.conf': 'port "1\n' });
    const r = loadConfigLines({ file: '/m.conf', stdin: "a 'b\n", options: 'c "d' }, { fs });
    expect(r.errors.map((e) => `${e.file}:${e.line}`)).toEqual(['/m.conf:1', '(stdin):1', '(command line):1']);
  });

  it('uses the real file system by default, reading bytes as latin1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsentinel-src-'));
    try {
      const file = join(dir, 'inc.conf');
      writeFileSync(file, Buffer.from([0x70, 0x20, 0xc3, 0xa9, 0xff, 0x0a]));
      const r = loadConfigLines({ options: `include ${file}` });
      expect(r.errors).toEqual([]);
      expect(r.lines[0]!.args).toEqual(['p', '\xc3\xa9\xff']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
