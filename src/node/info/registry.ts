/**
 * INFO (server.c genRedisInfoString, Redis 7.0): named sections rendered on demand. Sections come from the node
 * itself and from the services (persistence, replication), each a function returning its complete text
 * (`# Title\r\n` + `field:value\r\n` lines). The reply joins the selected sections with an empty line, as Redis.
 *
 * Selection: no argument or `default` → the default sections; `all` → everything but module-generated ones;
 * `everything` → all; otherwise each argument names a section (case-insensitive), unknown names add nothing.
 */

export interface InfoSection {
  /** Lowercase name as used in `INFO <name>`. */
  readonly name: string;
  readonly inDefault: boolean;
  render(): string;
}

export class InfoRegistry {
  readonly #sections: InfoSection[] = [];

  /** Add a section; `before` places it ahead of an existing one (Redis's order is fixed). */
  add(section: InfoSection, before?: string): void {
    const i = before === undefined ? -1 : this.#sections.findIndex((s) => s.name === before);
    if (i < 0) this.#sections.push(section);
    else this.#sections.splice(i, 0, section);
  }

  /** Replace a section's renderer (services registering the real Persistence/Replication sections). */
  replace(name: string, render: () => string): void {
    const i = this.#sections.findIndex((s) => s.name === name);
    if (i < 0) throw new Error(`no INFO section ${name}`);
    const old = this.#sections[i]!;
    this.#sections[i] = { name: old.name, inDefault: old.inDefault, render };
  }

  names(): string[] {
    return this.#sections.map((s) => s.name);
  }

  /** The INFO reply text for the command's arguments (after `INFO`). */
  generate(args: readonly string[]): string {
    const wanted = new Set(args.map((a) => a.toLowerCase()));
    const all = wanted.has('all') || wanted.has('everything');
    const dflt = wanted.size === 0 || wanted.has('default');
    const parts: string[] = [];
    for (const s of this.#sections) {
      if (!(all || (dflt && s.inDefault) || wanted.has(s.name))) continue;
      const text = s.render();
      // every section ends its last line with CRLF, whoever rendered it
      parts.push(text.endsWith('\r\n') ? text : `${text}\r\n`);
    }
    return parts.join('\r\n');
  }
}
