import { describe, expect, it } from 'vitest';
import { StreamEncoder, type PropagatedOp } from '../../../../src/node/replication/primary/stream-encoder.js';
import { encodeCommand, GETACK_COMMAND, PING_COMMAND } from '../../../../src/node/replication/wire.js';
import { commandsFixture, fixture } from './fixtures.js';

/**
 * Rebuild what each client command of the captured workload propagated (one unit per top-level command, SELECT
 * and MULTI/EXEC left to the encoder), then check the encoder reproduces the master's stream byte for byte.
 */
function unitsFromCapture(): { units: PropagatedOp[][]; tail: string[][] } {
  const units: PropagatedOp[][] = [];
  const tail: string[][] = [];
  let db = 0;
  let tx: PropagatedOp[] | null = null;
  for (const c of commandsFixture().commands) {
    const name = c.argv[0]!.toLowerCase();
    if (name === 'select') db = Number(c.argv[1]);
    else if (name === 'multi') tx = [];
    else if (name === 'exec') {
      units.push(tx!);
      tx = null;
    } else if (name === 'ping') tail.push(c.argv);
    else if (tx !== null) tx.push({ db, argv: c.argv });
    else units.push([{ db, argv: c.argv }]);
  }
  return { units, tail };
}

describe('StreamEncoder', () => {
  it('reproduces the captured 7.0.15 stream byte for byte (SELECT rules, MULTI/EXEC wrapping, ping)', () => {
    const { units, tail } = unitsFromCapture();
    expect(units).toHaveLength(14);
    const enc = new StreamEncoder();
    const parts = units.map((u) => enc.encodeUnit(u));
    for (const t of tail) parts.push(encodeCommand(t));
    const expected = fixture('stream/replication-stream.bin');
    expect(Buffer.concat(parts).equals(expected)).toBe(true);
    expect(expected.length).toBe(commandsFixture().final_master_repl_offset);
  });

  it('places SELECT before MULTI for the first op and never before EXEC', () => {
    const enc = new StreamEncoder();
    const out = enc.encodeUnit([
      { db: 3, argv: ['SET', 'a', '1'] },
      { db: 5, argv: ['SET', 'b', '2'] },
    ]);
    const expected = Buffer.concat([
      encodeCommand(['SELECT', '3']),
      encodeCommand(['MULTI']),
      encodeCommand(['SET', 'a', '1']),
      encodeCommand(['SELECT', '5']),
      encodeCommand(['SET', 'b', '2']),
      encodeCommand(['EXEC']),
    ]);
    expect(out.toString('latin1')).toBe(expected.toString('latin1'));
    expect(enc.currentDb).toBe(5);
  });

  it('re-selects after resetDb (full-resync setup, promotion) and sends unwrapped expiry deletes', () => {
    const enc = new StreamEncoder();
    enc.encodeUnit([{ db: 0, argv: ['SET', 'k', 'v'] }]);
    expect(enc.encodeUnit([{ db: 0, argv: ['SET', 'k', 'v'] }]).equals(encodeCommand(['SET', 'k', 'v']))).toBe(true);
    enc.resetDb();
    expect(enc.encodeUnit([{ db: 0, argv: ['DEL', 'k'] }]).toString('latin1')).toBe(
      '*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*2\r\n$3\r\nDEL\r\n$1\r\nk\r\n',
    );
    const unwrapped = enc.encodeUnit(
      [
        { db: 0, argv: ['DEL', 'a'] },
        { db: 0, argv: ['DEL', 'b'] },
      ],
      false,
    );
    expect(unwrapped.toString('latin1')).toBe('*2\r\n$3\r\nDEL\r\n$1\r\na\r\n*2\r\n$3\r\nDEL\r\n$1\r\nb\r\n');
  });

  it('encodes the fixed link commands with their observed sizes', () => {
    expect(PING_COMMAND.toString('latin1')).toBe('*1\r\n$4\r\nping\r\n');
    expect(PING_COMMAND.length).toBe(14);
    expect(GETACK_COMMAND.length).toBe(37);
    expect(encodeCommand(['SELECT', '0']).length).toBe(23);
    // byte strings: a latin1 char is one byte
    expect(encodeCommand(['SET', '\xff\x00', 'v']).toString('latin1')).toBe('*3\r\n$3\r\nSET\r\n$2\r\n\xff\x00\r\n$1\r\nv\r\n');
  });
});
