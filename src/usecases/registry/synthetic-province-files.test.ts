import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCollectionFile } from '../../domain/contributions/collection-file.ts';
import {
  planSyntheticProvince,
  type SyntheticConfig,
} from '../../domain/registry/synthetic/synthetic-plan.ts';
import { checkCitizenId, checkCreditCode } from '../../kernel/ids.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import {
  COLLECTION_FILE_HEADER,
  DECLARATION_FILE_HEADER,
  writeSyntheticProvinceFiles,
  yuanText,
} from './synthetic-province-files.ts';

const rules = testRuleBook().benefits;
const root = mkdtempSync(join(tmpdir(), 'tc-synthetic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config: SyntheticConfig = {
  seed: 7,
  employers: 60,
  workers: 600,
  months: 14,
  from: '2024-03',
  cities: [
    { code: '330100', name: '杭州市' },
    { code: '330200', name: '宁波市' },
  ],
};

async function write(dir: string, over: Partial<SyntheticConfig> = {}) {
  const plan = planSyntheticProvince({ ...config, ...over }, rules);
  if (!plan.ok) throw new Error(plan.message);
  return writeSyntheticProvinceFiles(plan.value, rules, {
    dir: join(root, dir),
    perEmployerFiles: true,
  });
}

/** Every file under a directory with the SHA-256 of its bytes, by relative path. */
function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

function rowsOf(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.split(','));
}

describe('synthetic province files', () => {
  it('the same seed writes the same bytes, another seed other bytes', async () => {
    const a = await write('a');
    await write('b');
    await write('c', { seed: 8 });
    const [da, db, dc] = [
      digests(join(root, 'a')),
      digests(join(root, 'b')),
      digests(join(root, 'c')),
    ];
    expect(Object.keys(da).length).toBeGreaterThan(6);
    expect(db).toEqual(da);
    expect(dc['workers.csv']).not.toBe(da['workers.csv']);
    expect(dc['declarations.csv']).not.toBe(da['declarations.csv']);
    expect(rowsOf(join(root, 'a', 'employers.csv'))).toHaveLength(a.employers + 1);
    expect(rowsOf(join(root, 'a', 'workers.csv'))).toHaveLength(a.workers + 1);
    expect(rowsOf(join(root, 'a', 'spells.csv'))).toHaveLength(a.spells + 1);
    expect(rowsOf(join(root, 'a', 'declarations.csv'))).toHaveLength(a.declarationLines + 1);
  });

  it('collection files parse in the tax bureau layout', () => {
    const dir = join(root, 'a', 'collections');
    const files = readdirSync(dir).sort();
    expect(files.filter((n) => !n.includes('-resent'))).toEqual(['330100.csv', '330200.csv']);
    let rows = 0;
    for (const file of readdirSync(dir)) {
      const [header, ...body] = rowsOf(join(dir, file));
      expect(header).toEqual([...COLLECTION_FILE_HEADER]);
      for (const [voucher, code, month, amount, paidOn, ...rest] of body) {
        expect(rest).toEqual([]);
        expect(voucher).toMatch(/^\d{21}$/);
        expect(checkCreditCode(code ?? '')).toMatchObject({ valid: true });
        expect(month).toMatch(/^\d{4}-(0[1-9]|1[0-2])$/);
        expect(amount).toMatch(/^\d+\.\d{2}$/);
        expect(paidOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(code?.slice(2, 8)).toBe(file.slice(0, 6));
        rows += 1;
      }
    }
    expect(rows).toBeGreaterThan(0);
  });

  it('every collection file passes the import; a re-sent voucher comes in the later -resent file', () => {
    const dir = join(root, 'a', 'collections');
    const vouchersOf = (file: string) => {
      const parsed = parseCollectionFile(readFileSync(join(dir, file)));
      if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed)}`);
      return parsed.value.map((r) => r.voucher);
    };
    const resent = readdirSync(dir).filter((n) => n.endsWith('-resent.csv'));
    expect(resent.length).toBeGreaterThan(0);
    for (const file of resent) {
      const main = new Set(vouchersOf(file.replace('-resent', '')));
      const again = vouchersOf(file);
      expect(again.length).toBeGreaterThan(0);
      expect(again.filter((v) => !main.has(v))).toEqual([]);
    }
  });

  it('per-employer declaration files match declarations.csv line for line', () => {
    const [, ...all] = rowsOf(join(root, 'a', 'declarations.csv'));
    let lines = 0;
    for (const code of readdirSync(join(root, 'a', 'declarations'))) {
      for (const file of readdirSync(join(root, 'a', 'declarations', code))) {
        const [header, ...body] = rowsOf(join(root, 'a', 'declarations', code, file));
        expect(header).toEqual([...DECLARATION_FILE_HEADER]);
        const month = file.replace('.csv', '');
        const expected = all.filter((r) => r[0] === code && r[1] === month).map((r) => r.slice(2));
        expect(body).toEqual(expected);
        for (const [id, , wage] of body) {
          expect(checkCitizenId(id ?? '', '2026-12-31')).toMatchObject({ valid: true });
          expect(wage).toMatch(/^\d+\.\d{2}$/);
        }
        lines += body.length;
      }
    }
    expect(lines).toBe(all.length);
  });

  it('writes yuan from fen exactly', () => {
    expect([yuanText(850000), yuanText(5), yuanText(0), yuanText(123456789)]).toEqual([
      '8500.00',
      '0.05',
      '0.00',
      '1234567.89',
    ]);
  });
});
