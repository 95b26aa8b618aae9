import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listMigrations } from '../src/db/migrate.ts';

/** House rules that a reviewer would otherwise have to remember: layers, migrations, focus. */
const root = resolve(import.meta.dirname, '..');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

function resolvedImports(file: string): string[] {
  return imports(file)
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(join(root, 'src'), resolve(file, '..', s)).replaceAll('\\', '/'));
}

// Lowest first: an import only goes down.
const forbidden: Record<string, RegExp> = {
  kernel: /^(rules|domain|usecases|db|api|web|cli|jobs|identity)\//,
  rules: /^(domain|usecases|db|api|web|cli|jobs)\//,
  domain: /^(usecases|db|api|web|cli|jobs)\//,
  identity: /^(usecases|db|api|web|cli|jobs)\//,
  usecases: /^(api|web|cli|jobs)\//,
};

describe('tidy', () => {
  for (const [layer, pattern] of Object.entries(forbidden)) {
    it(`src/${layer} imports only from lower layers`, () => {
      const offenders: string[] = [];
      // Tests may use fixtures from above (e.g. a use-case test driving a job scenario), except in
      // the pure layers, whose tests must stay pure too.
      const pure = layer === 'domain' || layer === 'kernel' || layer === 'rules';
      for (const f of files(join(root, 'src', layer)).filter(
        (x) => pure || !/\.test\.ts$/.test(x),
      )) {
        for (const target of resolvedImports(f)) {
          if (pattern.test(target)) offenders.push(`${relative(root, f)} → src/${target}`);
        }
      }
      expect(offenders).toEqual([]);
    });
  }

  it('the boundary check catches a domain file importing an adapter', () => {
    expect(forbidden['domain']!.test('db/client.ts')).toBe(true);
    expect(forbidden['domain']!.test('api/app.ts')).toBe(true);
    expect(forbidden['domain']!.test('kernel/money.ts')).toBe(false);
  });

  it('migrations are numbered without gaps and never edited (checksums recorded at apply)', () => {
    const m = listMigrations();
    expect(m.map((x) => x.version)).toEqual(m.map((_, i) => i + 1));
  });

  it('no focused tests', () => {
    const focused = [...files(join(root, 'src')), ...files(join(root, 'tests'))].filter((f) =>
      /\b(it|test|describe)\.only\(/.test(readFileSync(f, 'utf8')),
    );
    expect(focused.map((f) => relative(root, f))).toEqual([]);
  });
});
