import { describe, expect, it } from 'vitest';
import { categoryNames, reportedFlags } from '../../../src/server/categories.js';
import { arityOk, CommandRegistry } from '../../../src/server/registry.js';
import type { CommandSpec } from '../../../src/server/types.js';

const noop = (): void => {};

function reg(): CommandRegistry {
  const r = new CommandRegistry();
  r.register(
    { name: 'get', arity: 2, flags: ['readonly', 'fast'], categories: ['string'], handler: noop },
    { name: 'Config', arity: -2, flags: [], categories: [], subcommands: [{ name: 'GET', arity: -3, flags: ['admin'], categories: [], handler: noop }] },
    { name: 'publish', arity: 3, flags: ['pubsub', 'loading', 'stale', 'fast', 'may_replicate', 'sentinel'], categories: [], handler: noop },
  );
  return r;
}

describe('command registry', () => {
  it('looks names up case-insensitively and builds full names in lower case', () => {
    const r = reg();
    expect(r.lookup('GET')?.fullName).toBe('get');
    expect(r.lookup('gEt')?.fullName).toBe('get');
    expect(r.lookup('config')?.subcommands?.get('get')?.fullName).toBe('config|get');
    expect(r.lookupFullName('CONFIG|Get')?.fullName).toBe('config|get');
    expect(r.lookup('nope')).toBeUndefined();
  });

  it('adds implicit categories from flags and @slow for everything not @fast (setImplicitACLCategories)', () => {
    const r = reg();
    expect(categoryNames(r.lookup('get')!.categories)).toEqual(['read', 'string', 'fast']);
    expect(categoryNames(r.lookupFullName('config|get')!.categories)).toEqual(['admin', 'slow', 'dangerous']);
    expect(categoryNames(r.lookup('config')!.categories)).toEqual(['slow']);
    expect(categoryNames(r.lookup('publish')!.categories)).toEqual(['pubsub', 'fast']);
  });

  it('reports flags in Redis order and hides may_replicate/sentinel', () => {
    expect(reportedFlags(reg().lookup('publish')!.flags)).toEqual(['pubsub', 'loading', 'stale', 'fast']);
  });

  it('rename-command moves a command to its new name only; "" removes it; ACL lookups keep the original', () => {
    const r = reg();
    r.applyRenames({ config: 'cfg', get: '' });
    expect(r.lookup('config')).toBeUndefined();
    expect(r.lookup('CFG')?.fullName).toBe('config');
    expect(r.lookup('get')).toBeUndefined();
    expect(r.lookupOriginal('get')?.fullName).toBe('get');
    expect(r.liveCommands().map((e) => e.fullName).sort()).toEqual(['config', 'publish']);
    r.applyRenames({});
    expect(r.lookup('get')?.fullName).toBe('get');
  });

  it('re-registering a command replaces it under the same id and keeps renames', () => {
    const r = reg();
    r.applyRenames({ get: 'fetch' });
    const id = r.lookup('fetch')!.id;
    const replacement: CommandSpec = { name: 'get', arity: -2, flags: [], categories: [], handler: noop };
    r.register(replacement);
    expect(r.lookup('fetch')!.spec).toBe(replacement);
    expect(r.lookup('fetch')!.id).toBe(id);
    expect(r.lookup('get')).toBeUndefined();
  });

  it('arity: positive is exact, negative is a minimum', () => {
    expect(arityOk(2, 2)).toBe(true);
    expect(arityOk(2, 3)).toBe(false);
    expect(arityOk(-2, 5)).toBe(true);
    expect(arityOk(-2, 1)).toBe(false);
  });
});
