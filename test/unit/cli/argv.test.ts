import { splitArgs } from '../../../src/common/split-args.js';
import { describe, expect, it } from 'vitest';
import {
  configSourcesFromArgv,
  parseDaemonArgv,
  parseTredisArgv,
  parseTsentinelArgv,
  TSENTINEL_SUBCOMMANDS,
  tredisUsage,
  tsentinelUsage,
  versionLine,
  type DaemonRun,
} from '../../../src/cli/argv.js';
import { loadConfigLines, type ConfigFs } from '../../../src/common/config/index.js';

const ctx = { cwd: '/home/op' };

function run(argv: string[], execName?: string): DaemonRun {
  const r = parseDaemonArgv(argv, execName === undefined ? ctx : { ...ctx, execName });
  if (r.kind !== 'run') throw new Error(`expected run, got ${r.kind}`);
  return r;
}

/** The options as the loader will see them: one argument list per line. */
function lines(argv: string[]): string[][] {
  const r = loadConfigLines({ options: run(argv).options });
  expect(r.errors).toEqual([]);
  return r.lines.map((l) => [...l.args]);
}

describe('parseDaemonArgv (redis-server argv rules)', () => {
  it('takes the first argument as the config file, made absolute', () => {
    const r = run(['conf/node.conf', '--port', '7000']);
    expect(r.configFile).toBe('/home/op/conf/node.conf');
    expect(r.configFileArg).toBe('conf/node.conf');
    expect(run(['/etc/x.conf']).configFile).toBe('/etc/x.conf');
    expect(run(['--port', '1']).configFile).toBeUndefined();
  });

  it('turns --name values… into quoted config lines, appended in order', () => {
    const r = run(['node.conf', '--port', '7000', '--replicaof', '127.0.0.1', '6379']);
    expect(r.options).toBe('port "7000" \nreplicaof "127.0.0.1" "6379" ');
    expect(lines(['--port', '7000', '--replicaof', '127.0.0.1', '6379'])).toEqual([
      ['port', '7000'],
      ['replicaof', '127.0.0.1', '6379'],
    ]);
  });

  it('quotes values so spaces, quotes and control bytes survive', () => {
    expect(lines(['--requirepass', 'p a"s\'s\\', '--bind', 'a b'])).toEqual([
      ['requirepass', 'p a"s\'s\\'],
      ['bind', 'a b'],
    ]);
  });

  it('carries non-ASCII arguments as their UTF-8 bytes', () => {
    expect(lines(['--requirepass', 'é'])).toEqual([['requirepass', '\xc3\xa9']]);
  });

  it('lets a value start with --, once the previous option has no value yet', () => {
    expect(lines(['--port', '--6380'])).toEqual([['port', '--6380']]);
    expect(lines(['--dir', '-x', '--port', '1'])).toEqual([
      ['dir', '-x'],
      ['port', '1'],
    ]);
  });

  it('accepts an option and its values in one argument', () => {
    expect(lines(['--port 6380', '--loglevel', 'verbose'])).toEqual([
      ['port', '6380'],
      ['loglevel', 'verbose'],
    ]);
  });

  it('reads stdin for `-` only as the first or last argument', () => {
    expect(run(['-']).readStdin).toBe(true);
    expect(run(['node.conf', '--port', '1', '-']).readStdin).toBe(true);
    const middle = run(['--dir', '-', '--port', '1']);
    expect(middle.readStdin).toBe(false);
    expect(loadConfigLines({ options: middle.options }).lines.map((l) => [...l.args])).toEqual([
      ['dir', '-'],
      ['port', '1'],
    ]);
  });

  it('treats --save with no value as save "" (before another option or at the end)', () => {
    expect(lines(['--save', '--port', '1'])).toEqual([
      ['save', ''],
      ['port', '1'],
    ]);
    expect(lines(['--port', '1', '--SAVE'])).toEqual([
      ['port', '1'],
      ['SAVE', ''],
    ]);
    expect(lines(['--save', '', '--port', '1'])).toEqual([
      ['save', ''],
      ['port', '1'],
    ]);
    expect(lines(['--save', '900', '1', '300', '10'])).toEqual([['save', '900', '1', '300', '10']]);
  });

  it('handles the --sentinel pseudo-option the way redis-server does', () => {
    const a = run(['s.conf', '--sentinel', '--port', '26380']);
    expect(a.sentinelMode).toBe(true);
    expect(lines(['--sentinel', '--port', '26380'])).toEqual([['sentinel'], ['port', '26380']]);
    expect(lines(['--port', '26380', '--sentinel'])).toEqual([['port', '26380'], ['sentinel']]);
    expect(lines(['--sentinel', 'announce-ip', '1.2.3.4'])).toEqual([['sentinel', 'announce-ip', '1.2.3.4']]);
    expect(run(['--port', '1']).sentinelMode).toBe(false);
    expect(run(['--port', '1'], 'redis-sentinel').sentinelMode).toBe(true);
  });

  it('recognises -v/--version and -h/--help only as the first argument', () => {
    expect(parseDaemonArgv(['-v'], ctx)).toEqual({ kind: 'version' });
    expect(parseDaemonArgv(['--version', 'x'], ctx)).toEqual({ kind: 'version' });
    expect(parseDaemonArgv(['-h'], ctx)).toEqual({ kind: 'help' });
    expect(parseDaemonArgv(['--help'], ctx)).toEqual({ kind: 'help' });
    expect(lines(['--port', '1', '--version'])).toEqual([['port', '1'], ['version']]);
  });

  it('keeps stray positional arguments as a nameless line the loader reports', () => {
    const r = loadConfigLines({ options: run(['a.conf', 'b.conf']).options });
    expect(r.lines.map((l) => [...l.args])).toEqual([['b.conf']]);
  });

  it('returns an empty option text for no options', () => {
    expect(run([]).options).toBe('');
    expect(run(['x.conf']).options).toBe('');
  });
});

describe('parseTsentinelArgv', () => {
  it('routes reserved names to subcommands', () => {
    for (const name of TSENTINEL_SUBCOMMANDS) {
      expect(parseTsentinelArgv([name, 'a', '-p', '1'], ctx)).toEqual({ kind: 'subcommand', name, args: ['a', '-p', '1'] });
    }
  });

  it('runs the daemon (always in sentinel mode) for anything else, including ./status', () => {
    const r = parseTsentinelArgv(['./status', '--port', '26380'], ctx);
    expect(r).toMatchObject({ kind: 'run', configFile: '/home/op/status', sentinelMode: true });
    expect(parseTsentinelArgv(['sentinel.conf'], ctx)).toMatchObject({ kind: 'run', sentinelMode: true });
    expect(parseTsentinelArgv(['Status'], ctx)).toMatchObject({ kind: 'run', configFile: '/home/op/Status' });
    expect(parseTsentinelArgv(['-v'], ctx)).toEqual({ kind: 'version' });
  });

  it('takes --sentinel-<sub> as the sentinel directive, like --sentinel <sub>', () => {
    const alias = parseTsentinelArgv(['s.conf', '--port', '26380', '--sentinel-announce-ip', '10.0.0.5', '--sentinel-sentinel-pass', 'pw'], ctx);
    const redisForm = parseTsentinelArgv(['s.conf', '--port', '26380', '--sentinel', 'announce-ip', '10.0.0.5', '--sentinel', 'sentinel-pass', 'pw'], ctx);
    expect(alias.kind === 'run' && alias.options).toBe('port "26380" \nsentinel announce-ip "10.0.0.5" \nsentinel sentinel-pass "pw" ');
    // the same directives as Redis's own spelling (which quotes the sub-directive: same arguments once split)
    const lines = (r: typeof alias): (string[] | null)[] => (r.kind === 'run' ? r.options.split('\n').map(splitArgs) : []);
    expect(lines(alias)).toEqual(lines(redisForm));
    expect(lines(alias)[1]).toEqual(['sentinel', 'announce-ip', '10.0.0.5']);
    // tredis keeps redis-server's rules: there the spelling is the (unknown) directive `sentinel-announce-ip`
    const node = parseTredisArgv(['n.conf', '--sentinel-announce-ip', 'x'], ctx);
    expect(node.kind === 'run' && node.options).toBe('sentinel-announce-ip "x" ');
  });

  it('tredis reports sentinel mode so the caller can refuse it', () => {
    expect(parseTredisArgv(['n.conf', '--sentinel'], ctx)).toMatchObject({ kind: 'run', sentinelMode: true });
  });
});

describe('usage and version texts', () => {
  it('mention the forms and the subcommands', () => {
    expect(tredisUsage()).toContain('tredis [/path/to/node.conf] [options] [-]');
    for (const s of TSENTINEL_SUBCOMMANDS) expect(tsentinelUsage()).toContain(s);
    expect(versionLine('tredis', '0.1.0', 'v20.1.0')).toBe('tredis v=0.1.0 node=v20.1.0 bits=64');
  });
});

describe('configSourcesFromArgv', () => {
  it('loads file, then stdin, then options, so the command line wins', () => {
    const run = parseDaemonArgv(['conf/node.conf', '--port', '7002', '-'], ctx);
    if (run.kind !== 'run') throw new Error('expected run');
    let stdinReads = 0;
    const sources = configSourcesFromArgv(run, () => {
      stdinReads++;
      return 'port 7001\n';
    });
    expect(stdinReads).toBe(1);
    const fs: ConfigFs = { readFile: () => 'port 7000\n', realpath: (p) => p, readdir: () => [] };
    const r = loadConfigLines(sources, { fs });
    expect(r.lines.map((l) => `${l.file}:${l.line} ${l.args.join(' ')}`)).toEqual([
      'conf/node.conf:1 port 7000',
      '(stdin):1 port 7001',
      '(command line):1 port 7002',
    ]);
  });

  it('does not touch stdin without `-`', () => {
    const run = parseDaemonArgv(['--port', '1'], ctx);
    if (run.kind !== 'run') throw new Error('expected run');
    const s = configSourcesFromArgv(run, () => {
      throw new Error('stdin read');
    });
    expect(s).toEqual({ file: undefined, fileDisplay: undefined, stdin: undefined, options: 'port "1" ' });
  });
});
