import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, rowsOf, textOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { syntheticEmployerMonths } from '../../domain/registry/synthetic/synthetic-payroll.ts';
import {
  planSyntheticProvince,
  type SyntheticConfig,
} from '../../domain/registry/synthetic/synthetic-plan.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { addMonths, type IsoDate } from '../../kernel/dates.ts';
import { makeContext } from '../../rules/context.ts';
import { clampBase, contributionBaseBounds } from '../../rules/contributions/base-clamp.ts';
import { assessContribution, riskClassOf } from '../../rules/contributions/rate-policy.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { checkLedger, trialBalance } from '../fund/ledger/ledger-read.ts';
import { generateSyntheticProvince } from '../registry/generate-province.ts';
import { assessCityMonth } from './assessment.ts';
import { postCollections } from './collection-posting.ts';
import { importCollections, listCollectionRecords } from './collections.ts';
import { importDeclaration } from './declaration-import.ts';
import { reconcile } from './reconciliation.ts';
import { approvedRound, cityActor, HZ, NB, POLICY, setUpContributions } from './testing.ts';

/**
 * Issue 10's acceptance "the ledger after a generated year": a small synthetic province generated
 * into the register and as files, every declaration file imported through the real use case, every
 * city-month assessed and every city's collection file imported and posted under maker-checker,
 * nothing resolved by hand. The expected figures are computed here from the FILES with the rules'
 * own functions, never read back from the tables the code wrote.
 */
const rules = testRuleBook().benefits;
const YEAR = 2025;
const MONTHS = Array.from({ length: 12 }, (_, i) => `${YEAR}-${String(i + 1).padStart(2, '0')}`);
// Late payers pay up to 75 days after the month: the ledger needs periods into the next year.
const PERIODS = Array.from({ length: 15 }, (_, i) => addMonths(`${YEAR}-01-01`, i).slice(0, 7));
const TODAY: IsoDate = `${YEAR + 1}-03-31`;
const config: SyntheticConfig = {
  seed: 20_251,
  employers: 20,
  workers: 200,
  months: 12,
  from: `${YEAR}-01`,
  cities: [
    { code: HZ, name: '杭州市' },
    { code: NB, name: '宁波市' },
  ],
};
const CITIES = [HZ, NB] as const;

const dir = mkdtempSync(join(tmpdir(), 'tc-generated-year-'));
let t: TestDatabase;
let f: Awaited<ReturnType<typeof setUpContributions>>;

function handler(city: string): Actor {
  return {
    userId: `decl-${city}`,
    username: `decl-${city}`,
    role: 'city_handler',
    scopeKind: 'city',
    scopeCode: city,
    permissions: rolePermissions.city_handler,
    requestId: `req-decl-${city}`,
  };
}
const makerOf = (city: string) => cityActor(`${city}-maker`, 'city_handler', city);
const checkerOf = (city: string) => cityActor(`${city}-checker`, 'supervisor', city);

/** The records of a CSV file (header dropped), split on commas (generated fields hold none). */
function csvRecords(path: string): string[][] {
  return readFileSync(join(dir, path), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
}

/** "8500.00" → 850000 fen, without floating point. */
function fenOf(yuan: string): number {
  const [whole = '0', part = ''] = yuan.split('.');
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
}

type FileEmployer = { id: string; city: string; creditCode: string; division: string };

function fileEmployers(): FileEmployer[] {
  return csvRecords('employers.csv').map(([id, city, creditCode, , , standard, division]) => {
    if (standard !== 'GB/T 4754-2017') throw new Error(`unexpected standard ${standard}`);
    return { id: id!, city: city!, creditCode: creditCode!, division: division! };
  });
}

/** Σ over employer-months of round(Σ clamped base × rate), from the declaration files. */
function expectedAssessed(employers: readonly FileEmployer[]): Map<string, number> {
  const perCityMonth = new Map<string, number>();
  for (const e of employers) {
    const folder = join(dir, 'declarations', e.creditCode);
    if (!existsSync(folder)) continue;
    const ctx = makeContext(rules, e.city, {}, false);
    for (const file of readdirSync(folder)) {
      const month = file.replace('.csv', '');
      const date: IsoDate = `${month}-01`;
      const bounds = contributionBaseBounds(ctx, date);
      const riskClass = riskClassOf(ctx, 'GB/T 4754-2017', e.division, date);
      if (!bounds.ok || !riskClass.ok) throw new Error(`no rules for ${e.city} ${month}`);
      const payrollFen = csvRecords(join('declarations', e.creditCode, file))
        .map(([, , wage]) => clampBase(fenOf(wage!), bounds.value))
        .reduce((a, b) => a + b, 0);
      const due = assessContribution(ctx, {
        payrollFen,
        riskClass: riskClass.value,
        grade: 'base',
        date,
      });
      if (!due.ok) throw new Error(due.message);
      const key = `${e.city}|${month}`;
      perCityMonth.set(key, (perCityMonth.get(key) ?? 0) + due.value.amountFen);
    }
  }
  return perCityMonth;
}

/** A city's records split into what must match (known employer of the city, assessed month) and not. */
function expectedCollections(city: string, employers: readonly FileEmployer[]) {
  const declared = new Set<string>();
  for (const e of employers) {
    if (e.city !== city) continue;
    const folder = join(dir, 'declarations', e.creditCode);
    if (existsSync(folder))
      for (const file of readdirSync(folder))
        declared.add(`${e.creditCode}|${file.replace('.csv', '')}`);
  }
  const seen = new Set<string>();
  let matchedFen = 0;
  const unmatched: string[] = [];
  for (const file of collectionFiles(city))
    for (const [voucher, creditCode, month, amount] of csvRecords(join('collections', file))) {
      if (seen.has(voucher!)) continue;
      seen.add(voucher!);
      if (declared.has(`${creditCode}|${month}`)) matchedFen += fenOf(amount!);
      else unmatched.push(voucher!);
    }
  return { matchedFen, unmatched: unmatched.sort(), vouchers: seen.size };
}

/** The city's collection files in the order the bureau sends them: the main one, then re-sent records. */
function collectionFiles(city: string): string[] {
  const all = readdirSync(join(dir, 'collections')).filter((n) => n.startsWith(city));
  return [`${city}.csv`, ...all.filter((n) => n !== `${city}.csv`).sort()];
}

async function ledgerSum(account: string, side: 'D' | 'C', sourceType: string): Promise<number> {
  const r = await t.db.query(
    `SELECT coalesce(sum(p.amount), 0)::int8 AS n
       FROM ledger_postings p JOIN ledger_transactions x ON x.seq = p.tx_seq
       JOIN ledger_accounts a ON a.id = p.account_id
      WHERE a.chart_code = $1 AND p.side = $2 AND x.source_type = $3`,
    [account, side, sourceType],
  );
  return intOf(r.rows[0]!, 'n');
}

async function importYear(): Promise<void> {
  for (const e of fileEmployers()) {
    const folder = join(dir, 'declarations', e.creditCode);
    if (!existsSync(folder)) continue;
    for (const file of readdirSync(folder).sort()) {
      const out = await importDeclaration(t.db, handler(e.city), rules, {
        regionCode: e.city,
        employerId: e.id,
        month: file.replace('.csv', ''),
        fileName: file,
        source: { kind: 'file', path: join(folder, file) },
        today: TODAY,
      });
      if (!out.ok) throw new Error(`${e.creditCode} ${file}: ${JSON.stringify(out)}`);
      if (out.value.status !== 'accepted') throw new Error(`${file}: ${out.value.status}`);
    }
  }
}

async function assessYear(): Promise<void> {
  for (const city of CITIES)
    for (const month of MONTHS)
      await approvedRound(t.db, checkerOf(city), city, (approvalId) =>
        assessCityMonth(t.db, makerOf(city), rules, { city, month, approvalId, policy: POLICY }),
      );
}

/** The vouchers each collection import reported as seen before (not stored again). */
const reportedDuplicates: string[] = [];

async function collectYear(): Promise<void> {
  for (const city of CITIES)
    for (const file of collectionFiles(city)) {
      const imported = await importCollections(t.db, makerOf(city), {
        city,
        fileName: file,
        bytes: readFileSync(join(dir, 'collections', file)),
      });
      if (!imported.ok) throw new Error(`${file}: ${JSON.stringify(imported)}`);
      reportedDuplicates.push(...imported.value.duplicates);
      await approvedRound(t.db, checkerOf(city), city, (approvalId) =>
        postCollections(t.db, makerOf(city), {
          city,
          importId: imported.value.importId,
          approvalId,
          policy: POLICY,
        }),
      );
    }
}

beforeAll(async () => {
  t = await openTestDatabase();
  f = await setUpContributions(t.db, PERIODS);
  for (const city of CITIES)
    for (const [u, role] of [
      [`${city}-maker`, 'city_handler'],
      [`${city}-checker`, 'supervisor'],
    ] as const)
      await t.db.query(
        `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
         VALUES ($1, $1, $1, $2, 'city', $3::text, $3::text, 'x')`,
        [u, role, city],
      );
  const generated = await generateSyntheticProvince(t.db, f.system, rules, {
    config,
    out: { dir, perEmployerFiles: true },
    intoDb: true,
  });
  if (!generated.ok) throw new Error(generated.message);
  await importYear();
  await assessYear();
  await collectYear();
}, 240_000);
afterAll(async () => {
  await t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** The unmatched queue of each city is the generated error records, and the re-sent ones were reported. */
async function expectQueueOfGeneratedErrors(): Promise<void> {
  const employers = fileEmployers();
  const plan = planSyntheticProvince(config, rules);
  if (!plan.ok) throw new Error(plan.message);
  const records = [...syntheticEmployerMonths(plan.value, rules)].flatMap((em) => em.collections);
  const generatedErrors = records.filter(
    (c) => c.kind === 'unknown_credit_code' || c.kind === 'wrong_month',
  );
  // The seed is chosen so that the year holds every kind of error the generator makes.
  expect(new Set(generatedErrors.map((c) => c.kind))).toEqual(
    new Set(['unknown_credit_code', 'wrong_month']),
  );
  const resent = records.filter((c) => c.kind === 'duplicate_voucher').map((c) => c.voucher);
  expect(resent.length).toBeGreaterThan(0);
  expect(reportedDuplicates.sort()).toEqual(resent.sort());
  for (const city of CITIES) {
    const queue = await listCollectionRecords(t.db, {
      regionCode: city,
      queue: true,
      limit: 1e4,
    });
    const vouchers = queue.map((q) => q.voucher).sort();
    expect(vouchers).toEqual(expectedCollections(city, employers).unmatched);
    expect(vouchers).toEqual(
      generatedErrors
        .filter((c) => c.regionCode === city)
        .map((c) => c.voucher)
        .sort(),
    );
  }
}

describe(`the ledger after a generated year on ${testBackend}`, () => {
  it('assessed every employer-month at Σ round(Σ clamped base × rate) of the declaration files', async () => {
    const expected = expectedAssessed(fileEmployers());
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(0);
    expect(await ledgerSum('4101', 'C', 'contribution_assessment')).toBe(total);
    for (const city of CITIES)
      for (const month of MONTHS) {
        const r = await reconcile(t.db, { city, month });
        if (!r.ok) throw new Error(r.message);
        expect([month, r.value.assessedFen]).toEqual([
          month,
          expected.get(`${city}|${month}`) ?? 0,
        ]);
      }
  });

  it('posted exactly the matched records of the files: Σ 1001 = Σ applied + overpaid', async () => {
    const employers = fileEmployers();
    const byCity = CITIES.map((c) => expectedCollections(c, employers));
    const matchedFen = byCity.reduce((a, c) => a + c.matchedFen, 0);
    expect(matchedFen).toBeGreaterThan(0);
    expect(await ledgerSum('1001', 'D', 'contribution_collection')).toBe(matchedFen);
    const posted = await t.db.query(
      `SELECT coalesce(sum(applied_fen + overpaid_fen), 0)::int8 AS n FROM collection_records
        WHERE posting_id IS NOT NULL`,
    );
    expect(intOf(posted.rows[0]!, 'n')).toBe(matchedFen);
    const stored = await t.db.query('SELECT count(*)::int4 AS n FROM collection_records');
    expect(intOf(stored.rows[0]!, 'n')).toBe(byCity.reduce((a, c) => a + c.vouchers, 0));
  });

  it(
    'leaves in the queue exactly the generated error records, and nothing else',
    expectQueueOfGeneratedErrors,
  );

  it('keeps the books: trial balance of every segment, ledger check, audit chain, reconciliation', async () => {
    const segments = await t.db.query('SELECT code FROM ledger_segments ORDER BY code');
    for (const segment of [...rowsOf(segments, (r) => textOf(r, 'code')), 'all']) {
      const tb = await trialBalance(t.db, { segment, asOf: `${YEAR + 1}-12-31` });
      if (!tb.ok) throw new Error(tb.message);
      expect([segment, tb.value.totals.balanced]).toEqual([segment, true]);
    }
    const check = await checkLedger(t.db);
    expect(check.differences).toEqual([]);
    expect(check.ok).toBe(true);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    for (const city of CITIES)
      for (const month of MONTHS) {
        const r = await reconcile(t.db, { city, month });
        if (!r.ok) throw new Error(r.message);
        expect([city, month, r.value.balanced]).toEqual([city, month, true]);
      }
  });

  it.runIf(testBackend === 'pg')(
    '`tongchou ledger check` passes against the database',
    async () => {
      const { transactions } = await checkLedger(t.db);
      const r = spawnSync(process.execPath, ['bin/tongchou.mjs', 'ledger', 'check'], {
        env: { ...process.env, DATABASE_URL: t.url ?? '' },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).toBe(0);
      // The count names this database's transactions: the CLI read the generated year, not another one.
      expect(transactions).toBeGreaterThan(2 * 12);
      expect(r.stdout).toContain(`ledger consistent: ${transactions} transactions`);
    },
  );
});
