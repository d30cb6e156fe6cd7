/**
 * Byte strings.
 *
 * Redis keys, values, channel names and arguments are arbitrary bytes. Inside tredis and the server core they are
 * carried as JavaScript strings in which each char code 0..255 is one byte ("latin1"/"binary" strings): Map lookups
 * and comparisons on strings are much faster than on Buffers, V8 stores them one byte per char, and the conversion
 * to and from the wire (`buf.latin1Slice`, `buf.write(s, 'latin1')`) is exact for every byte sequence.
 *
 * Text that is genuinely Unicode (log lines, file paths, UTF-8 config values) is converted at the edge with these
 * helpers. ASCII is the same in both representations, so most protocol text needs no conversion at all.
 */
export type ByteString = string;

export function bytesFromBuffer(buf: Buffer, start = 0, end = buf.length): ByteString {
  return buf.latin1Slice(start, end);
}

export function bytesToBuffer(s: ByteString): Buffer {
  return Buffer.from(s, 'latin1');
}

/** Unicode text → byte string holding its UTF-8 encoding. */
export function utf8ToBytes(text: string): ByteString {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Byte string → Unicode text (invalid UTF-8 becomes U+FFFD). */
export function bytesToUtf8(s: ByteString): string {
  return Buffer.from(s, 'latin1').toString('utf8');
}

/** Number of bytes a byte string occupies on the wire. */
export function byteLength(s: ByteString): number {
  return s.length;
}
