/** Number formats INFO uses (util.c / server.c). */

/** bytesToHuman: `1.15M`, `23.54G`, `200B`. */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024 || u === 'P') return `${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${n}B`;
}

/** `%.2f`. */
export function f2(x: number): string {
  return (Number.isFinite(x) ? x : 0).toFixed(2);
}

/** `%ld.%06ld` of a seconds value (used_cpu_*). */
export function f6(x: number): string {
  return x.toFixed(6);
}

/** A section: `# Title` then `k:v` lines, each ending in CRLF. */
export function section(title: string, fields: ReadonlyArray<readonly [string, string | number]>): string {
  let s = `# ${title}\r\n`;
  for (const [k, v] of fields) s += `${k}:${v}\r\n`;
  return s;
}
