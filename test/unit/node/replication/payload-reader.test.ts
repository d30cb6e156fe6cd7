import { describe, expect, it } from 'vitest';
import { PayloadReader, type PayloadEvent } from '../../../../src/node/replication/replica/payload-reader.js';
import { fixture } from './fixtures.js';

function run(data: Buffer, cuts: number[]): { events: PayloadEvent[]; r: PayloadReader; payload: Buffer; rest: Buffer } {
  const r = new PayloadReader();
  const events: PayloadEvent[] = [];
  let prev = 0;
  for (const c of [...cuts, data.length]) {
    if (c > prev) r.feed(data.subarray(prev, c), (e) => events.push(e));
    prev = c;
  }
  const payload = Buffer.concat(events.flatMap((e) => (e.kind === 'data' ? [e.chunk] : [])));
  const end = events.find((e) => e.kind === 'end');
  return { events, r, payload, rest: end?.kind === 'end' ? end.rest : Buffer.alloc(0) };
}

describe('PayloadReader', () => {
  // session-diskless.bin from the +FULLRESYNC line's end: `$EOF:<mark>\r\n` + 224-byte RDB + mark + 837 stream bytes
  const eof = fixture('stream/session-diskless.bin').subarray(78);
  const sized = fixture('stream/session-disk.bin').subarray(73);

  it('EOF form at every split: the RDB, read bytes = RDB + mark, the rest is stream', () => {
    for (let cut = 1; cut < eof.length; cut += 3) {
      const { r, payload, rest, events } = run(eof, [cut]);
      expect(payload.equals(fixture('stream/fullresync-diskless.rdb')), `cut ${cut}`).toBe(true);
      expect(r.readBytes, `cut ${cut}`).toBe(224 + 40);
      expect(r.totalBytes).toBe(0);
      expect(events.filter((e) => e.kind === 'end')).toHaveLength(1);
      // the rest may arrive in the same chunk as the mark or later; what the reader returns is a prefix of the stream
      expect(fixture('stream/replication-stream.bin').subarray(0, rest.length).equals(rest)).toBe(true);
    }
  });

  it('$len form: exact length, no trailing CRLF expected, keepalives before the header', () => {
    const data = Buffer.concat([Buffer.from('\n\n'), sized]);
    const { r, payload, rest, events } = run(data, [1, 5]);
    expect(events.filter((e) => e.kind === 'keepalive')).toHaveLength(2);
    expect(payload.equals(fixture('stream/fullresync-disk.rdb'))).toBe(true);
    expect(r.totalBytes).toBe(192);
    expect(r.readBytes).toBe(192);
    expect(rest.length).toBe(60);
  });

  it('errors: master abort, a non-$ header, an EOF header with a short mark is read as a length', () => {
    expect(run(Buffer.from('-ERR no\r\n'), []).events.at(-1)).toEqual({ kind: 'error', reason: 'MASTER aborted replication with an error: ERR no' });
    expect(run(Buffer.from('+OK\r\n'), []).events.at(-1)?.kind).toBe('error');
    // `$EOF:` with fewer than 40 chars is not the EOF form (strtol of "EOF:…" fails: bad length)
    expect(run(Buffer.from('$EOF:abc\r\n'), []).events.at(-1)?.kind).toBe('error');
  });
});
