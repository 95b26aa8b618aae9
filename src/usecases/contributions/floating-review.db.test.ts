import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf, withColumns } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import type { Actor } from '../../identity/actor.ts';
import { type Role, rolePermissions } from '../../identity/roles.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { DEFAULT_APPROVAL_POLICY } from '../approvals/approval-policy.ts';
import { decideApproval } from '../approvals/approvals.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { registerEmployer } from '../registry/employers.ts';
import { demoCreditCode } from '../seed/demo-ids.ts';
import { importExperience } from './floating-experience.ts';
import { floatingReviewLetters } from './floating-letters.ts';
import { type FloatingReviewView, runFloatingReview } from './floating-review.ts';
import { applyFloatingReview } from './floating-review-apply.ts';

/**
 * The floating-rate review end to end on both backends, with figures computed by hand under the
 * 浙江 demo ladder (3-year window; ratio bounds 0.2 / 0.5 / 1 / 1.5; incidence step above 10‰):
 * a class 1 employer with a good record stays base, a class 4 employer with a low ratio goes down
 * two grades, a class 3 employer with a high ratio goes up two, one without experience is listed
 * as left out.
 */
const rules = testRuleBook().benefits;
const TODAY = '2026-03-01';

function actor(username: string, role: Role, scope: string): Actor {
  return {
    userId: username,
    username,
    role,
    scopeKind: scope.endsWith('0000') ? 'province' : 'city',
    scopeCode: scope,
    permissions: rolePermissions[role],
    requestId: `req-${username}`,
  };
}
const maker = actor('fr-maker', 'city_handler', '330100');
const sameRole = actor('fr-handler2', 'city_handler', '330100');
const checker = actor('fr-checker', 'supervisor', '330100');

let t: TestDatabase;
const ids: Record<string, string> = {};
const codes: Record<string, string> = {};

async function setUp(): Promise<void> {
  await t.db.query(
    `INSERT INTO regions (code, name, name_en, level) VALUES ('330000', '浙江省', 'Zhejiang', 'province')`,
  );
  for (const [code, name] of [
    ['330100', '杭州市'],
    ['330200', '宁波市'],
  ])
    await t.db.query(
      `INSERT INTO regions (code, name, name_en, level, parent_code) VALUES ($1, $2, $2, 'city', '330000')`,
      [code, name],
    );
  for (const a of [maker, sameRole, checker])
    await t.db.query(
      `INSERT INTO users (id, username, display_name, role, scope_kind, scope_code, region_code, password_hash)
       VALUES ($1, $1, $1, $2, 'city', '330100', '330100', 'x')`,
      [a.userId, a.role],
    );
  const employers: [string, string, string, number][] = [
    ['bank', '杭州测试银行股份有限公司', '66', 31], // class 1
    ['farm', '杭州测试农业有限公司', '01', 32], // class 4
    ['mill', '杭州测试纺织有限公司', '13', 33], // class 3
    ['newco', '杭州测试新设有限公司', '01', 34], // class 4, no experience
  ];
  for (const [key, name, division, seq] of employers)
    await register(key, name, division, '330100', seq);
  await register('ningbo', '宁波测试农业有限公司', '01', '330200', 35);
}

async function register(key: string, name: string, division: string, city: string, seq: number) {
  codes[key] = demoCreditCode(city, seq);
  const e = await registerEmployer(t.db, maker, rules, {
    regionCode: city,
    creditCode: codes[key],
    name,
    address: '测试路1号',
    industry: { standard: 'GB/T 4754-2017', division },
    category: 'sme',
    registeredOn: '2020-01-01',
  });
  if (!e.ok) throw new Error(e.message);
  ids[key] = e.value.id;
}

const HEADER = 'credit_code,year,contributions_fen,benefit_costs_fen,injuries,average_headcount';

/** Three years 2023–2025 of one employer, the same figures each year. */
function lines(key: string, contributionsFen: number, benefitCostsFen: number, injuries = 0) {
  return [2023, 2024, 2025].map(
    (y) => `${codes[key]},${y},${contributionsFen},${benefitCostsFen},${injuries},100`,
  );
}

function goodFile(): string {
  return [
    HEADER,
    ...lines('bank', 1_000_000, 100_000), // ratio 0.1, 0‰ → down2 → class 1: base
    ...lines('farm', 2_000_000, 300_000, 1), // ratio 0.15 → down2; 3 ÷ 300 × 1000 = 10‰, no step
    ...lines('mill', 500_000, 1_000_000), // ratio 2 → up2
  ].join('\n');
}

async function count(table: string): Promise<number> {
  const r = await t.db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return withColumns(r, { n: intOf }).rows[0]?.n ?? -1;
}

async function gradeOf(key: string): Promise<string | undefined> {
  const r = await t.db.query(`SELECT floating_grade AS g FROM employers WHERE id = $1`, [ids[key]]);
  return withColumns(r, { g: textOf }).rows[0]?.g;
}

async function gradeEvents(): Promise<number> {
  return count(`employer_events WHERE kind = 'floating_grade'`);
}

beforeAll(async () => {
  t = await openTestDatabase();
  await setUp();
});
afterAll(async () => t.cleanup());

describe(`experience import (${testBackend})`, () => {
  it('refuses a file with bad rows whole, naming every row, and writes nothing', async () => {
    const bad = [
      HEADER,
      `${codes['bank']},2024,1000,10,0,5`,
      '91330100MA00000000,2024,1000,10,0,5', // bad check character
      `${codes['farm']},2024,-5,10,0,5`,
      `${codes['farm']},2026,1000,10,0,5`, // the current year is not closed
      `${codes['bank']},2024,2000,10,0,5`, // duplicate of row 2
      `${codes['mill']},2024,1000`,
    ].join('\n');
    const out = await importExperience(t.db, maker, {
      regionCode: '330100',
      csv: bad,
      today: TODAY,
    });
    expect(out.ok ? 'ok' : out.code).toBe('experience.import_invalid');
    if (out.ok) return;
    const problems = (out.details?.['problems'] ?? []) as { row: number; code: string }[];
    expect(problems.map((p) => `${p.row}:${p.code}`)).toEqual([
      '3:credit_code',
      '4:number',
      '5:year',
      '6:duplicate',
      '7:columns',
    ]);
    expect(await count('employer_experience')).toBe(0);
  });

  it('refuses a wrong header and an employer of another city', async () => {
    const header = await importExperience(t.db, maker, {
      regionCode: '330100',
      csv: 'code,year\nx,1',
      today: TODAY,
    });
    expect(header.ok ? 'ok' : header.details?.['problems']).toMatchObject([{ code: 'header' }]);
    const other = await importExperience(t.db, maker, {
      regionCode: '330100',
      csv: [...lines('bank', 1, 1), `${codes['ningbo']},2024,1,1,0,1`]
        .join('\n')
        .replace(/^/, `${HEADER}\n`),
      today: TODAY,
    });
    expect(other.ok ? 'ok' : other.details?.['problems']).toMatchObject([
      { row: 5, code: 'employer' },
    ]);
    expect(await count('employer_experience')).toBe(0);
  });

  it('imports a good file; the same file twice is one import', async () => {
    for (let i = 0; i < 2; i += 1) {
      const out = await importExperience(t.db, maker, {
        regionCode: '330100',
        csv: goodFile(),
        today: TODAY,
      });
      expect(out).toEqual({
        ok: true,
        value: { rows: 9, employers: 3, years: [2023, 2024, 2025] },
      });
    }
    expect(await count('employer_experience')).toBe(9);
    const ningbo = await importExperience(t.db, actor('nb', 'city_handler', '330200'), {
      regionCode: '330200',
      csv: [HEADER, ...lines('ningbo', 1_000, 5_000)].join('\n'),
      today: TODAY,
    });
    expect(ningbo.ok).toBe(true);
  });
});

function itemOf(review: FloatingReviewView, key: string) {
  return review.items.find((i) => i.employerId === ids[key]);
}

const run = () =>
  runFloatingReview(t.db, maker, rules, {
    regionCode: '330100',
    year: 2026,
    effectiveFrom: '2026-07-01',
    policy: DEFAULT_APPROVAL_POLICY,
  });

async function mustRun(): Promise<FloatingReviewView> {
  const out = await run();
  if (!out.ok) throw new Error(out.message);
  return out.value;
}

let first: FloatingReviewView;

async function proposesHandComputedGrades(): Promise<void> {
  first = await mustRun();
  expect(first).toMatchObject({
    status: 'proposed',
    proposalCount: 3,
    changedCount: 2,
    leftOutCount: 1,
  });
  expect(first.items).toHaveLength(4); // 宁波's employer is not in 杭州's review
  expect(itemOf(first, 'bank')).toMatchObject({
    riskClass: 1,
    currentGrade: 'base',
    proposedGrade: 'base',
    ratio: '0.1',
    trail: [
      'experience 2023: import; 2024: import; 2025: import',
      '支缴率 300000 ÷ 3000000 fen = 0.1000 → down2',
      '工伤发生率 0.0000‰ ≤ 10.0000‰: no step',
      'class 1 floats upward only: base',
    ],
  });
  expect(itemOf(first, 'farm')).toMatchObject({
    riskClass: 4,
    proposedGrade: 'down2',
    contributionsFen: 6_000_000,
    benefitCostsFen: 900_000,
    injuries: 3,
    headcountYears: 300,
    ratio: '0.15',
    incidence: '10',
  });
  expect(itemOf(first, 'mill')).toMatchObject({ riskClass: 3, proposedGrade: 'up2', ratio: '2' });
  expect(itemOf(first, 'newco')).toMatchObject({
    outcome: 'left_out',
    leftOutReason: 'no_experience',
    proposedGrade: null,
  });
}

async function refusesWithoutApproval(): Promise<void> {
  const approvalId = first.approvalId ?? '';
  const early = await applyFloatingReview(t.db, maker, rules, {
    regionCode: '330100',
    reviewId: first.id,
    approvalId,
  });
  expect(early.ok ? 'ok' : early.code).toBe('approval.not_approved');
  const self = await decideApproval(t.db, maker, {
    regionCode: '330100',
    id: approvalId,
    decision: 'approved',
  });
  expect(self.ok ? 'ok' : self.code).toBe('approval.self_approval');
  const peer = await decideApproval(t.db, sameRole, {
    regionCode: '330100',
    id: approvalId,
    decision: 'approved',
  });
  expect(peer.ok ? 'ok' : peer.code).toBe('approval.same_role');
  expect(await gradeEvents()).toBe(0);
}

async function rejectionChangesNothing(): Promise<void> {
  const approvalId = first.approvalId ?? '';
  const no = await decideApproval(t.db, checker, {
    regionCode: '330100',
    id: approvalId,
    decision: 'rejected',
  });
  expect(no.ok && no.value.status).toBe('rejected');
  const out = await applyFloatingReview(t.db, maker, rules, {
    regionCode: '330100',
    reviewId: first.id,
    approvalId,
  });
  expect(out.ok ? 'ok' : out.code).toBe('approval.not_approved');
  expect([await gradeOf('farm'), await gradeOf('mill'), await gradeEvents()]).toEqual([
    'base',
    'base',
    0,
  ]);
}

async function appliesOnce(): Promise<void> {
  const second = await mustRun();
  const approvalId = second.approvalId ?? '';
  const old = await applyFloatingReview(t.db, maker, rules, {
    regionCode: '330100',
    reviewId: first.id,
    approvalId,
  });
  expect(old.ok ? 'ok' : old.code).toBe('floating_review.superseded');
  const yes = await decideApproval(t.db, checker, {
    regionCode: '330100',
    id: approvalId,
    decision: 'approved',
  });
  expect(yes.ok && yes.value.status).toBe('approved');
  // A proposal edited after approval no longer matches what was approved.
  await t.db.query(
    `UPDATE floating_review_items SET proposed_grade = 'up1' WHERE review_id = $1 AND employer_id = $2`,
    [second.id, ids['mill']],
  );
  const tampered = await applyFloatingReview(t.db, maker, rules, {
    regionCode: '330100',
    reviewId: second.id,
    approvalId,
  });
  expect(tampered.ok ? 'ok' : tampered.code).toBe('approval.payload_mismatch');
  await t.db.query(
    `UPDATE floating_review_items SET proposed_grade = 'up2' WHERE review_id = $1 AND employer_id = $2`,
    [second.id, ids['mill']],
  );
  const applied = await applyFloatingReview(t.db, maker, rules, {
    regionCode: '330100',
    reviewId: second.id,
    approvalId,
  });
  if (!applied.ok) throw new Error(applied.message);
  expect(applied.value.status).toBe('applied');
  expect(itemOf(applied.value, 'farm')?.application).toBe('changed');
  expect(itemOf(applied.value, 'bank')?.application).toBe('unchanged');
  expect([await gradeOf('bank'), await gradeOf('farm'), await gradeOf('mill')]).toEqual([
    'base',
    'down2',
    'up2',
  ]);
  const events = await t.db.query(
    `SELECT employer_id AS e, effective_from::text AS d, data->>'to' AS g FROM employer_events
      WHERE kind = 'floating_grade' ORDER BY data->>'to'`,
  );
  expect(withColumns(events, { e: textOf, d: textOf, g: textOf }).rows).toEqual([
    { e: ids['farm'], d: '2026-07-01', g: 'down2' },
    { e: ids['mill'], d: '2026-07-01', g: 'up2' },
  ]);
  const again = await applyFloatingReview(t.db, maker, rules, {
    regionCode: '330100',
    reviewId: second.id,
    approvalId,
  });
  expect(again.ok && again.value.status).toBe('applied');
  expect(await gradeEvents()).toBe(2);
  const rerun = await run();
  expect(rerun.ok ? 'ok' : rerun.code).toBe('floating_review.already_applied');
  expect((await verifyAuditChain(t.db)).ok).toBe(true);
}

async function refusesBadRuns(): Promise<void> {
  const province = await runFloatingReview(t.db, maker, rules, {
    regionCode: '330000',
    year: 2026,
    effectiveFrom: '2026-07-01',
    policy: DEFAULT_APPROVAL_POLICY,
  });
  expect(province.ok ? 'ok' : province.code).toBe('floating_review.not_in_city');
  const outside = await runFloatingReview(t.db, maker, rules, {
    regionCode: '330200',
    year: 2026,
    effectiveFrom: '2027-01-01',
    policy: DEFAULT_APPROVAL_POLICY,
  });
  expect(outside.ok ? 'ok' : outside.code).toBe('floating_review.effective_outside_year');
}

/**
 * The characters a PDF's embedded font subsets map back to text (their ToUnicode CMaps, inflated):
 * a character of the name is there only if its glyph was embedded.
 */
function embeddedCharacters(pdf: Buffer): Set<string> {
  const text = pdf.toString('latin1');
  const chars = new Set<string>();
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    let body: string;
    try {
      body = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    if (!body.includes('begincmap')) continue;
    for (const hex of body.matchAll(/<([0-9a-f]{4})>/g))
      chars.add(String.fromCharCode(Number.parseInt(hex[1] ?? '0', 16)));
  }
  return chars;
}

async function writesLetters(): Promise<void> {
  const reviews = await t.db.query(`SELECT id FROM floating_reviews WHERE status = 'applied'`);
  const reviewId = withColumns(reviews, { id: textOf }).rows[0]?.id ?? '';
  const out = await floatingReviewLetters(t.db, { regionCode: '330100', reviewId });
  if (!out.ok) throw new Error(out.message);
  expect(out.value.letters.map((l) => l.employerName).sort()).toEqual([
    '杭州测试农业有限公司',
    '杭州测试纺织有限公司',
  ]);
  for (const letter of out.value.letters) {
    expect(letter.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const chars = embeddedCharacters(letter.pdf);
    // The right, the period and the authority (《行政复议法》第二十条第三款): 管辖 only comes from the last.
    for (const ch of `${letter.employerName}浮动费率行政复议六十日机关人民政府管辖`)
      expect(chars).toContain(ch);
  }
  const combined = embeddedCharacters(out.value.combined.pdf);
  for (const ch of '杭州测试农业纺织') expect(combined).toContain(ch);
  const again = await floatingReviewLetters(t.db, { regionCode: '330100', reviewId });
  expect(again.ok && again.value.combined.pdf.equals(out.value.combined.pdf)).toBe(true);
  expect(
    again.ok && again.value.letters[0]?.pdf.equals(out.value.letters[0]?.pdf ?? Buffer.alloc(0)),
  ).toBe(true);
  const early = await floatingReviewLetters(t.db, { regionCode: '330100', reviewId: first.id });
  expect(early.ok ? 'ok' : early.code).toBe('floating_review.not_applied');
}

describe(`floating-rate review (${testBackend})`, () => {
  it(
    'proposes the hand-computed grades and lists the employer left out',
    proposesHandComputedGrades,
  );
  it(
    'refuses to apply without an approved approval, and the maker or their role cannot approve',
    refusesWithoutApproval,
  );
  it('changes nothing when the checker rejects', rejectionChangesNothing);
  it(
    'applies an approved rerun once, through the register’s grade change, and only once',
    appliesOnce,
  );
  it(
    'writes a letter for each changed grade, the names’ glyphs embedded, the same bytes each time',
    writesLetters,
  );
  it('refuses a province code and an effective date outside the review year', refusesBadRuns);
});
