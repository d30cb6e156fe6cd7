/**
 * The config grammar against the real files Redis ships (Debian's /etc/redis/redis.conf and sentinel.conf, the
 * annotated upstream samples): every line parses, and a rewrite that manages nothing keeps every directive.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asciiLower, parseConfigText, rewriteConfigText } from '../../src/common/config/index.js';

const FILES = ['/etc/redis/redis.conf', '/etc/redis/sentinel.conf'];
const present = FILES.filter((f) => existsSync(f));
if (present.length < FILES.length) {
  console.warn(`[skip] ${FILES.filter((f) => !present.includes(f)).join(', ')} not installed: skipping those files`);
}

describe.skipIf(present.length === 0)('Redis sample config files', () => {
  it.each(present)('%s parses cleanly and survives an unmanaged rewrite', (file) => {
    const text = readFileSync(file, 'latin1');
    const { lines, errors } = parseConfigText(text, file);
    expect(errors).toEqual([]);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.every((l) => l.name === asciiLower(l.args[0]!))).toBe(true);

    const keyOf = (args: readonly string[]): string => asciiLower(args[0] ?? '');
    const out = rewriteConfigText(text, [], { keyOf });
    const reparsed = parseConfigText(out, file);
    expect(reparsed.lines.map((l) => l.args)).toEqual(lines.map((l) => l.args));
    // Redis's normalisation (trim, collapse blank runs, keep a trailing empty line) reaches a fixed point
    const twice = rewriteConfigText(out, [], { keyOf });
    expect(rewriteConfigText(twice, [], { keyOf })).toBe(twice);
  });
});
