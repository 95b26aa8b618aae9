import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { listMigrations } from '../src/db/migrate.ts';

/**
 * House rules that a reviewer would otherwise have to remember: the floors and what each may
 * import (closed world: a folder or package nobody listed fails), no import cycle, migrations
 * numbered, no focused test. The import check is a pure function over a map of files, so it is
 * proven on planted violations before it is trusted on the real tree.
 */
const root = resolve(import.meta.dirname, '..');

// ───────────────────────────── the rules ─────────────────────────────

/** Lowest first; an import only goes down. jobs and api are peers, both below cli. */
const floors = [
  'kernel',
  'rules',
  'identity',
  'domain',
  'db',
  'usecases',
  'contract',
  'runtime',
  'jobs',
  'api',
  'cli',
  'web',
] as const;
type Floor = (typeof floors)[number];

interface FloorRule {
  /** Floors this one may import (its own floor always). */
  floors: readonly Floor[];
  /** Floors it may import with `import type` only. */
  typeOnlyFloors?: readonly Floor[];
  /** Packages it may name in `import type` only (erased before the bundle). */
  typeOnlyPackages?: readonly string[];
  /** npm packages and node: built-ins it may import (a sub-path counts as its package). */
  packages: readonly string[];
}

const pure: readonly Floor[] = ['kernel', 'rules', 'identity', 'domain'];
const belowRuntime: readonly Floor[] = [...pure, 'db', 'usecases', 'contract'];
const belowAdapters: readonly Floor[] = [...belowRuntime, 'runtime'];

/**
 * What each floor may import. The package lists are the tree's own (nothing more), except where
 * the target forbids what today's tree still does (those are violations to fix, not to allow).
 */
const floorRules: Record<Floor, FloorRule> = {
  // zod only as types: the kernel turns zod issues into input problems (validation.ts).
  kernel: { floors: [], packages: ['zod'] },
  // node:crypto only hashes here (parameter fingerprints, the audit chain, posting keys): pure and
  // deterministic, no I/O. It is the one built-in the pure floors may use.
  rules: { floors: ['kernel'], packages: ['zod', 'node:crypto'] },
  identity: { floors: ['kernel', 'rules'], packages: [] },
  domain: { floors: ['kernel', 'rules', 'identity'], packages: ['node:crypto'] },
  db: {
    floors: pure,
    // Migrations are numbered .sql files read from disk; tmp directories for throw-away databases.
    packages: [
      'pg',
      '@electric-sql/pglite',
      'drizzle-orm',
      'node:crypto',
      'node:fs',
      'node:os',
      'node:path',
      'node:url',
    ],
  },
  usecases: {
    floors: [...pure, 'db'],
    packages: [
      'zod',
      // Ordinary reads and writes go through Drizzle's query builder (ADR 0006).
      'drizzle-orm',
      'exceljs',
      'pdfmake',
      '@node-rs/argon2',
      'node:crypto',
      // Report files are written under a directory the caller names.
      'node:fs',
      'node:path',
      'node:os',
      // exceljs's streaming reader is loaded privately with its UTF-8 chunk fix (xlsx-stream-reader.ts).
      'node:module',
    ],
  },
  contract: { floors: pure, packages: ['zod'] },
  runtime: {
    floors: belowRuntime,
    // node:crypto checks that a TLS key belongs to its certificate before the server starts.
    packages: [
      'zod',
      'yaml',
      'node:crypto',
      'node:fs',
      'node:path',
      'node:url',
      'node:child_process',
      // The FHIR R4 JSON schema is found in its npm package and compiled with ajv (fhir-schema.ts).
      'node:module',
      'ajv',
    ],
  },
  jobs: {
    floors: belowAdapters,
    packages: ['node:crypto', 'node:fs', 'node:path', 'node:url', 'node:os'],
  },
  api: {
    floors: belowAdapters,
    packages: [
      'fastify',
      'cookie',
      '@fastify/rate-limit',
      '@fastify/static',
      '@fastify/swagger',
      '@fastify/swagger-ui',
      'fastify-type-provider-zod',
      'helmet',
      'pino',
      'zod',
      'exceljs',
      'node:crypto',
      'node:fs',
      'node:path',
      'node:url',
      'node:http',
      // HTTPS when TLS_CERT_FILE / TLS_KEY_FILE are set (the server's own TLS).
      'node:https',
      'node:stream',
      'node:util',
    ],
  },
  cli: {
    floors: [...belowAdapters, 'jobs', 'api'],
    packages: ['commander', 'node:crypto', 'node:fs', 'node:path'],
  },
  web: {
    floors: ['kernel', 'identity', 'domain'],
    typeOnlyFloors: ['contract'],
    packages: ['react', 'react-dom', 'antd', '@ant-design/icons', 'echarts', 'dayjs'],
    // `z.infer` of the contract's schemas: types only, so zod never reaches the browser bundle.
    typeOnlyPackages: ['zod'],
  },
};

/** Tests and their helpers (testing.ts, arbitraries.ts) may also use the test tools and read
 * fixtures, YAML ones included. */
const testPackages = ['vitest', 'fast-check', '@fast-check/vitest', 'yaml', 'node:'];
const RULE_BOOK_FIXTURE = 'src/runtime/testing.ts';
const isTest = (path: string) => /\.test\.tsx?$/.test(path);
const isTestSupport = (path: string) =>
  isTest(path) || /(^|\/)(testing|arbitraries)\.ts$/.test(path);

/** Build configuration that lives beside its floor but is not part of it (runs in Node under Vite). */
const toolingFiles: Record<string, readonly string[]> = {
  'src/web/vite.config.ts': ['vite', '@vitejs/plugin-react', 'node:url'],
};

/** No I/O, parser, driver or framework in the pure floors, whatever a list above says. */
const neverInPureFloors = ['node:fs', 'yaml', 'pg', 'fastify', 'react'];

// ───────────────────────────── the checker ─────────────────────────────

type ImportKind = 'static' | 'type' | 'dynamic' | 'side-effect';
interface ImportRef {
  specifier: string;
  kind: ImportKind;
}
type ViolationKind =
  | 'unknown-folder'
  | 'upward-import'
  | 'forbidden-package'
  | 'type-only'
  | 'outside-src'
  | 'computed-import'
  | 'cycle';
interface Violation {
  kind: ViolationKind;
  file: string;
  detail: string;
}

/** Every import of a TS/TSX source: static, `import type`, re-exports, side-effect and `import()`. */
function importsOf(file: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kindOf(file));
  const found: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    const ref = importAt(node);
    if (ref) found.push(ref);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function kindOf(file: string): ts.ScriptKind {
  return file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

function importAt(node: ts.Node): ImportRef | null {
  if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
    const clause = node.importClause;
    const specifier = node.moduleSpecifier.text;
    if (!clause) return { specifier, kind: 'side-effect' };
    return { specifier, kind: isTypeOnlyClause(clause) ? 'type' : 'static' };
  }
  if (
    ts.isExportDeclaration(node) &&
    node.moduleSpecifier &&
    ts.isStringLiteral(node.moduleSpecifier)
  )
    return { specifier: node.moduleSpecifier.text, kind: node.isTypeOnly ? 'type' : 'static' };
  if (ts.isImportTypeNode(node)) {
    const arg = node.argument;
    if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal))
      return { specifier: arg.literal.text, kind: 'type' };
  }
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
    const arg = node.arguments[0];
    // A computed specifier cannot be checked, so it is a violation by itself (specifier '').
    return { specifier: arg && ts.isStringLiteralLike(arg) ? arg.text : '', kind: 'dynamic' };
  }
  return null;
}

function isTypeOnlyClause(clause: ts.ImportClause): boolean {
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  // `import { type A, type B }` is erased too; an empty `import {}` keeps the module's effects.
  return (
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** `drizzle-orm/pg-core` → drizzle-orm, `@fastify/static` stays, `node:fs/promises` → node:fs. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function floorOf(path: string): Floor | null {
  const [top, folder] = path.split('/');
  if (top !== 'src' || folder === undefined || !path.slice(4).includes('/')) return null;
  return floors.find((floor) => floor === folder) ?? null;
}

/** Floors whose tests obey the floor's own rule; elsewhere a test may drive code from above. */
const testsStayInFloor: readonly Floor[] = [...pure, 'contract', 'web'];

function packageAllowed(path: string, floor: Floor, pkg: string, kind: string): boolean {
  const allowed = [...(toolingFiles[path] ?? floorRules[floor].packages)];
  if (kind === 'type') allowed.push(...(floorRules[floor].typeOnlyPackages ?? []));
  if (isTestSupport(path)) allowed.push(...testPackages);
  return allowed.includes(pkg) || (allowed.includes('node:') && pkg.startsWith('node:'));
}

/** The problem with one relative import (null when allowed); the edge is recorded by the caller. */
function floorProblem(
  path: string,
  floor: Floor,
  target: string,
  ref: ImportRef,
): Violation | null {
  if (!target.startsWith('src/'))
    return { kind: 'outside-src', file: path, detail: `${ref.specifier} leaves src/` };
  const to = floorOf(target);
  if (to === floor || (to && floorRules[floor].floors.includes(to))) return null;
  if (to && floorRules[floor].typeOnlyFloors?.includes(to)) {
    if (ref.kind === 'type') return null;
    const detail = `${ref.kind} import of ${target}: src/${to} only as \`import type\``;
    return { kind: 'type-only', file: path, detail };
  }
  if (isTest(path) && !testsStayInFloor.includes(floor)) return null;
  // The one fixture every floor's tests share: the committed rule book, read once per worker by the
  // loader adapters use (tests of pure floors need the law but must not read files themselves).
  if (isTest(path) && target === RULE_BOOK_FIXTURE) return null;
  const detail = `${ref.kind} import of ${target} (src/${floor} may import ${floorRules[floor].floors.join(', ') || 'no floor'})`;
  return { kind: 'upward-import', file: path, detail };
}

function checkFile(path: string, text: string, edges: Map<string, string[]>): Violation[] {
  const floor = floorOf(path);
  if (!floor) {
    const detail = 'not under a known floor folder (add the folder to a floor, or move the file)';
    return [{ kind: 'unknown-folder', file: path, detail }];
  }
  const out: Violation[] = [];
  const targets: string[] = [];
  for (const ref of importsOf(path, text)) {
    if (ref.specifier === '') {
      out.push({ kind: 'computed-import', file: path, detail: 'import() of a computed specifier' });
    } else if (ref.specifier.startsWith('.')) {
      const target = posix.normalize(posix.join(posix.dirname(path), ref.specifier));
      targets.push(target);
      const problem = toolingFiles[path]
        ? { kind: 'upward-import' as const, file: path, detail: `tooling imports ${target}` }
        : floorProblem(path, floor, target, ref);
      if (problem) out.push(problem);
    } else if (!packageAllowed(path, floor, packageOf(ref.specifier), ref.kind)) {
      const detail = `${ref.kind} import of package ${ref.specifier} (not allowed in src/${floor})`;
      out.push({ kind: 'forbidden-package', file: path, detail });
    }
  }
  edges.set(path, targets);
  return out;
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
function cyclesOf(edges: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) connect(v);
  return cycles;
}

/** Checks a map of repo-relative paths (src/…) to their text; returns every violation found. */
function checkImports(files: ReadonlyMap<string, string>): Violation[] {
  const edges = new Map<string, string[]>();
  const out: Violation[] = [];
  for (const [path, text] of files) out.push(...checkFile(path, text, edges));
  for (const cycle of cyclesOf(edges)) {
    const detail = `import cycle of ${cycle.length} files: ${cycle.join(' → ')}`;
    out.push({ kind: 'cycle', file: cycle[0]!, detail });
  }
  return out;
}

// ───────────────────────────── the real tree ─────────────────────────────

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

function sourceTree(): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of files(join(root, 'src')))
    map.set(relative(root, file).replaceAll('\\', '/'), readFileSync(file, 'utf8'));
  return map;
}

const report = (violations: Violation[]) => violations.map((v) => `${v.file}: ${v.detail}`);

describe('tidy: the real tree', () => {
  const violations = checkImports(sourceTree());
  const kinds: ViolationKind[] = [
    'unknown-folder',
    'upward-import',
    'type-only',
    'outside-src',
    'forbidden-package',
    'computed-import',
    'cycle',
  ];
  for (const kind of kinds) {
    it(`has no ${kind} violation`, () => {
      expect(report(violations.filter((v) => v.kind === kind))).toEqual([]);
    });
  }

  it('keeps node:fs, yaml, pg, fastify and react out of the pure floors', () => {
    for (const floor of pure)
      expect(floorRules[floor].packages.filter((p) => neverInPureFloors.includes(p))).toEqual([]);
  });

  it('lists no package a floor does not use (the lists stay tight as code moves)', () => {
    const used = new Set<string>();
    for (const [path, text] of sourceTree()) {
      const floor = floorOf(path);
      for (const ref of importsOf(path, text)) used.add(`${floor}:${packageOf(ref.specifier)}`);
    }
    const present = new Set([...sourceTree().keys()].map(floorOf));
    const unused = floors
      .filter((floor) => present.has(floor))
      .flatMap((floor) => floorRules[floor].packages.map((pkg) => `${floor}:${pkg}`))
      .filter((entry) => !used.has(entry));
    expect(unused).toEqual([]);
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

// ───────────────────────────── the check proves itself ─────────────────────────────

/** A small tree that obeys every rule; each planted case adds one file to it. */
const cleanTree: Record<string, string> = {
  'src/kernel/money.ts': 'export const fen = 1;',
  'src/domain/fund/ledger/ledger.ts':
    "import { fen } from '../../../kernel/money.ts';\nexport const x = fen;",
  'src/contract/fund/ledger.ts': "import { z } from 'zod';\nexport const entry = z.object({});",
  'src/api/routes/fund/ledger.ts':
    "import type { Hook } from 'fastify';\nimport '../../../contract/fund/ledger.ts';",
  'src/web/modules/fund/page.tsx':
    "import type { entry } from '../../../contract/fund/ledger.ts';\nimport './styles.css';\nimport 'dayjs/locale/zh-cn';\nconst P = () => import('./lazy.tsx');",
  'src/web/modules/fund/lazy.tsx': "import { Button } from 'antd';",
  'src/usecases/fund/ledger/post.test.ts':
    "import '../../../jobs/fund/run.ts';\nimport { readFileSync } from 'node:fs';",
  'src/jobs/fund/run.ts': "import { fen } from '../../kernel/money.ts';",
};

function planted(path: string, text: string): Violation[] {
  return checkImports(new Map(Object.entries({ ...cleanTree, [path]: text })));
}

const kindsOf = (violations: Violation[]) => violations.map((v) => v.kind);

describe('tidy: the import check on a clean tree', () => {
  it('finds nothing (type-only contract in web, tests driving a job, a CSS side effect)', () => {
    expect(report(checkImports(new Map(Object.entries(cleanTree))))).toEqual([]);
  });

  it('reads every kind of import', () => {
    const text = `import a from 'a';\nimport type { B } from 'b';\nimport { type C } from 'c';\nimport 'd';\nexport * from 'e';\nexport type { F } from 'f';\nconst g = await import('g');\ntype H = typeof import('h');`;
    expect(importsOf('src/x/y.ts', text)).toEqual([
      { specifier: 'a', kind: 'static' },
      { specifier: 'b', kind: 'type' },
      { specifier: 'c', kind: 'type' },
      { specifier: 'd', kind: 'side-effect' },
      { specifier: 'e', kind: 'static' },
      { specifier: 'f', kind: 'type' },
      { specifier: 'g', kind: 'dynamic' },
      { specifier: 'h', kind: 'type' },
    ]);
  });
});

describe('tidy: the import check on planted violations', () => {
  it('an upward import (domain → db), also when type-only', () => {
    expect(kindsOf(planted('src/domain/a.ts', "import { x } from '../db/client.ts';"))).toEqual([
      'upward-import',
    ]);
    expect(kindsOf(planted('src/kernel/a.ts', "import type { X } from '../rules/x.ts';"))).toEqual([
      'upward-import',
    ]);
  });

  it('a forbidden package, in a static, a side-effect and a test-free pure file', () => {
    expect(kindsOf(planted('src/domain/a.ts', "import { readFileSync } from 'node:fs';"))).toEqual([
      'forbidden-package',
    ]);
    expect(kindsOf(planted('src/rules/a.ts', "import 'yaml';"))).toEqual(['forbidden-package']);
    expect(kindsOf(planted('src/web/a.tsx', "import { Pool } from 'pg';"))).toEqual([
      'forbidden-package',
    ]);
    expect(kindsOf(planted('src/api/a.ts', "import x from 'left-pad';"))).toEqual([
      'forbidden-package',
    ]);
  });

  it('a file in an unknown folder, or loose in src/', () => {
    expect(kindsOf(planted('src/helpers/a.ts', 'export {};'))).toEqual(['unknown-folder']);
    expect(kindsOf(planted('src/config.ts', 'export {};'))).toEqual(['unknown-folder']);
  });

  it('a dynamic import going up, or one whose specifier is computed', () => {
    const up = "export const f = () => import('../../usecases/fund/run.ts');";
    expect(kindsOf(planted('src/domain/fund/a.ts', up))).toEqual(['upward-import']);
    expect(kindsOf(planted('src/api/a.ts', "await import('fast' + 'ify');"))).toEqual([
      'computed-import',
    ]);
    expect(kindsOf(planted('src/web/a.tsx', "const m = () => import('react-router');"))).toEqual([
      'forbidden-package',
    ]);
  });
});

describe('tidy: the import check on planted cycles and web rules', () => {
  it('a cycle, even inside one floor, and a file importing itself', () => {
    const cyclic = new Map(Object.entries(cleanTree));
    cyclic.set('src/api/app.ts', "import './routes/fund/ledger.ts';");
    cyclic.set('src/api/routes/fund/ledger.ts', "import '../../app.ts';");
    expect(kindsOf(checkImports(cyclic))).toEqual(['cycle']);
    expect(kindsOf(planted('src/kernel/a.ts', "import './a.ts';"))).toEqual(['cycle']);
  });

  it('web takes the contract as types only, and no other floor above domain', () => {
    const value = "import { entry } from '../contract/fund/ledger.ts';";
    expect(kindsOf(planted('src/web/a.tsx', value))).toEqual(['type-only']);
    expect(kindsOf(planted('src/web/a.tsx', "import type { C } from '../rules/c.ts';"))).toEqual([
      'upward-import',
    ]);
    expect(kindsOf(planted('src/web/a.test.tsx', "import '../api/app.ts';"))).toEqual([
      'upward-import',
    ]);
  });

  it('web names zod in `import type` only (no zod in the browser bundle)', () => {
    expect(kindsOf(planted('src/web/a.ts', "import type { z } from 'zod';"))).toEqual([]);
    expect(kindsOf(planted('src/web/a.ts', "import { z } from 'zod';"))).toEqual([
      'forbidden-package',
    ]);
  });

  it('an import leaving src/ is refused', () => {
    expect(kindsOf(planted('src/api/a.ts', "import '../../bench/x.ts';"))).toEqual(['outside-src']);
  });
});
