import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInfo, parseReplicaLine } from '../../../../src/sentinel/protocol/info-parse.js';

const DIR = 'test/fixtures/redis-7.0.15/info';
const manifest = JSON.parse(readFileSync(`${DIR}/manifest.json`, 'utf8')) as { topology?: unknown };
const txt = (name: string): string => readFileSync(`${DIR}/${name}`, 'latin1');

describe('parseInfo on every captured INFO text', () => {
  const infoFiles = readdirSync(DIR).filter((f) => f.endsWith('.txt') && f.includes('-info'));

  it('covers the fixtures', () => {
    expect(infoFiles.length).toBeGreaterThanOrEqual(8);
    expect(manifest).toBeTruthy();
  });

  for (const f of infoFiles) {
    it(`${f}: role and run id agree with the text`, () => {
      const text = txt(f);
      const s = parseInfo(text);
      const role = /\r\nrole:(master|slave)\r\n|^role:(master|slave)/m.exec(text);
      expect(s.role).toBe(role?.[1] ?? role?.[2] ?? null);
      const runId = /run_id:([0-9a-f]{40})/.exec(text)?.[1] ?? null;
      expect(s.runId).toBe(runId);
    });
  }

  it('master: discovers both replicas from slaveN lines', () => {
    const s = parseInfo(txt('master-info.txt'));
    expect(s.role).toBe('master');
    expect(s.replicas).toEqual([
      { ip: '127.0.0.1', port: 23101 },
      { ip: '127.0.0.1', port: 23102 },
    ]);
    expect(s.masterReplOffset).toBeGreaterThan(0);
    expect(s.masterHost).toBeNull();
  });

  it('replica in sync: master address, link up, priority, offset, announced', () => {
    const s = parseInfo(txt('replica-info.txt'));
    expect(s.role).toBe('slave');
    expect(s.masterHost).toBe('127.0.0.1');
    expect(s.masterPort).toBe(23100);
    expect(s.masterLinkUp).toBe(true);
    expect(s.slavePriority).toBe(100);
    expect(s.slaveReplOffset).toBe(Number(/slave_repl_offset:(\d+)/.exec(txt('replica-info.txt'))![1]));
    expect(s.replicaAnnounced).toBe(1);
    expect(s.masterLinkDownTime).toBe(0);
    expect(s.replicas).toEqual([]);
  });

  it('replica whose master died: link down, down-since 4 s → 4000 ms', () => {
    const s = parseInfo(txt('replica-linkdown-info-replication.txt'));
    expect(s.masterLinkUp).toBe(false);
    expect(s.masterLinkDownTime).toBe(4000);
    expect(s.slaveReplOffset).toBe(102);
  });

  it('replica during initial sync: -1 s down-since becomes -1000 like the reference', () => {
    const s = parseInfo(txt('replica-syncing-info-replication.txt'));
    expect(s.masterLinkDownTime).toBe(-1000);
    expect(s.masterLinkUp).toBe(false);
  });

  it('master during a sync lists the waiting replica', () => {
    const s = parseInfo(txt('master-syncing-info-replication.txt'));
    expect(s.replicas).toEqual([{ ip: '127.0.0.1', port: 23121 }]);
  });

  it('replica fields before the role line are ignored (prefix order quirk)', () => {
    const s = parseInfo('master_host:10.0.0.1\r\nslave_priority:5\r\nrole:slave\r\nmaster_port:6379\r\n');
    expect(s.masterHost).toBeNull();
    expect(s.slavePriority).toBeNull();
    expect(s.masterPort).toBe(6379);
  });

  it('a short run_id is ignored; a long one is cut at 40', () => {
    expect(parseInfo('run_id:abc\r\n').runId).toBeNull();
    expect(parseInfo(`run_id:${'a'.repeat(45)}\r\n`).runId).toBe('a'.repeat(40));
  });

  it('garbage never throws and yields an empty snapshot', () => {
    for (const g of ['', '\r\n\r\n', 'role:', 'slave0:', 'slave1:ip=,port=', '\u0000\u00ff', 'x'.repeat(10000)]) {
      const s = parseInfo(g);
      expect(s.role).toBeNull();
    }
  });

  it('replica lines: new and legacy formats, incomplete ones skipped', () => {
    expect(parseReplicaLine('slave0:ip=10.0.0.2,port=6380,state=online,offset=1,lag=0')).toEqual({ ip: '10.0.0.2', port: 6380 });
    expect(parseReplicaLine('slave0:10.0.0.3,6381,online')).toEqual({ ip: '10.0.0.3', port: 6381 });
    expect(parseReplicaLine('slave0:10.0.0.3,6381')).toBeNull();
    expect(parseReplicaLine('slave0:ip=10.0.0.2')).toBeNull();
    expect(parseReplicaLine('slave0:ip=::1,port=6380,state=online')).toEqual({ ip: '::1', port: 6380 });
  });
});
