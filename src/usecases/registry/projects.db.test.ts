import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intOf, textOf } from '../../db/rows.ts';
import { openTestDatabase, type TestDatabase, testBackend } from '../../db/testing.ts';
import { projectReceivableTransaction } from '../../domain/contributions/project-postings.ts';
import type { Actor } from '../../identity/actor.ts';
import { rolePermissions } from '../../identity/roles.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { verifyAuditChain } from '../audit/audit-log.ts';
import { approve, setUpContributions } from '../contributions/testing.ts';
import { checkLedger } from '../fund/ledger/ledger-read.ts';
import { postTransaction } from '../fund/ledger/ledger-write.ts';
import { closePeriod, requestPeriodClose } from '../fund/ledger/periods.ts';
import { demoCreditCode, demoIdNumber } from '../seed/demo-ids.ts';
import { changeEmployerStatus, registerEmployer } from './employers.ts';
import {
  addProjectWorkers,
  getProject,
  listProjects,
  type ProjectRegistration,
  registerProject,
} from './projects.ts';

const rules = testRuleBook().benefits;
const TODAY = '2026-03-01';

function staff(username: string, scope: string): Actor {
  const province = scope.endsWith('0000');
  const role = province ? 'province_fund_manager' : 'city_handler';
  return {
    userId: `usr_${username}`,
    username,
    role,
    scopeKind: province ? 'province' : 'city',
    scopeCode: scope,
    permissions: rolePermissions[role],
    requestId: `req-${username}`,
  };
}
const hz = staff('hz', '330100');

let t: TestDatabase;
let fund: Awaited<ReturnType<typeof setUpContributions>>;
let contractor: string;
beforeAll(async () => {
  t = await openTestDatabase();
  fund = await setUpContributions(t.db, ['2026-02', '2026-03']);
  const e = await registerEmployer(t.db, hz, rules, {
    regionCode: '330100',
    creditCode: demoCreditCode('330100', 21),
    name: '杭州测试建工集团有限公司',
    address: '杭州市测试路9号',
    industry: { standard: 'GB/T 4754-2017', division: '47' },
    category: 'large',
    registeredOn: '2024-01-01',
  });
  if (!e.ok) throw new Error(e.message);
  contractor = e.value.id;
});
afterAll(async () => t.cleanup());

let keySeq = 0;

function project(over: Partial<ProjectRegistration> = {}): ProjectRegistration {
  keySeq += 1;
  return {
    regionCode: '330100',
    employerId: contractor,
    name: '测试住宅项目一期',
    siteAddress: '杭州市测试地块',
    contractValueFen: 12_345_678_900,
    industry: { standard: 'GB/T 4754-2017', division: '47' },
    startDate: '2025-03-01',
    endDate: '2026-06-30',
    registeredOn: TODAY,
    clientKey: `projects-test-${keySeq}`,
    ...over,
  };
}

async function count(sql: string): Promise<number> {
  const r = await t.db.query(`SELECT count(*)::int AS n FROM ${sql}`);
  return intOf(r.rows[0]!, 'n');
}

describe(`按项目参保 on ${testBackend}`, () => {
  it('registers a project with its one-off contribution fixed by the rules, hand-computed', async () => {
    const out = await registerProject(t.db, hz, rules, project());
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    // 123,456,789.00 元 × 0.2 (浙江 labour share, demo) × 0.013 (class 6) = 320,987.6514 元.
    expect(out.value).toMatchObject({
      riskClass: 6,
      labourShare: '0.2',
      baseRate: '0.013',
      contributionFen: 32_098_765,
      workerCount: 0,
    });
    expect(out.value.citations[0]).toBe('《浙江省工伤保险条例》第十条第二款');
    // Never updated: the database refuses a change of the stored contribution.
    await expect(
      t.db.query('UPDATE construction_projects SET contribution_fen = 1 WHERE id = $1', [
        out.value.id,
      ]),
    ).rejects.toThrow();
  });
});

describe(`按项目参保: the client key on ${testBackend}`, () => {
  it('a retried registration answers with its project and charges once; other details under the key are refused', async () => {
    const once = project({ name: '测试重试项目', clientKey: 'retry-key-0001' });
    const before = await count('ledger_transactions');
    const first = await registerProject(t.db, hz, rules, once);
    const again = await registerProject(t.db, hz, rules, once);
    if (!first.ok || !again.ok) throw new Error('registration refused');
    expect(again.value.id).toBe(first.value.id);
    expect(again.value.receivableFen).toBe(first.value.contributionFen);
    expect(await count('ledger_transactions')).toBe(before + 1);
    expect(await count(`construction_projects WHERE name = '测试重试项目'`)).toBe(1);
    const changed = await registerProject(t.db, hz, rules, { ...once, contractValueFen: 100_000 });
    expect(changed.ok ? 'ok' : changed.code).toBe('project.key_conflict');
    expect(await count('ledger_transactions')).toBe(before + 1);
  });

  it('two registrations with one key at once make one project and one receivable', async () => {
    const twin = project({ name: '测试并发项目', clientKey: 'twin-key-0001' });
    const before = await count('ledger_transactions');
    const [a, b] = await Promise.all([
      registerProject(t.db, hz, rules, twin),
      registerProject(t.db, hz, rules, twin),
    ]);
    if (!a.ok || !b.ok) throw new Error(`refused: ${a.ok ? '' : a.code} ${b.ok ? '' : b.code}`);
    expect(a.value.id).toBe(b.value.id);
    expect(await count(`construction_projects WHERE name = '测试并发项目'`)).toBe(1);
    expect(await count('ledger_transactions')).toBe(before + 1);
  });
});

/** The postings of one ledger transaction as `segment account side amount` lines. */
async function postingsOf(transactionId: string): Promise<string[]> {
  const r = await t.db.query(
    `SELECT s.code AS segment, a.chart_code, p.side, p.amount
       FROM ledger_postings p JOIN ledger_transactions x ON x.seq = p.tx_seq
       JOIN ledger_accounts a ON a.id = p.account_id JOIN ledger_segments s ON s.id = p.segment_id
      WHERE x.id = $1 ORDER BY p.seq`,
    [transactionId],
  );
  return r.rows.map(
    (row) =>
      `${textOf(row, 'segment')} ${textOf(row, 'chart_code')} ${textOf(row, 'side')} ${intOf(row, 'amount')}`,
  );
}

describe(`按项目参保 receivable in the ledger on ${testBackend}`, () => {
  it('posts the one-off contribution Dr 1131 / Cr 4101 in the city segment, effective the registration day', async () => {
    const out = await registerProject(t.db, hz, rules, project({ name: '测试桥梁项目' }));
    if (!out.ok) throw new Error(out.message);
    const txId = `contributions:project:${out.value.id}`;
    expect(out.value).toMatchObject({
      contributionFen: 32_098_765,
      receivableTransactionId: txId,
      receivableFen: 32_098_765,
      paidFen: 0,
      outstandingFen: 32_098_765,
      overpaidFen: 0,
    });
    expect(await postingsOf(txId)).toEqual(['330100 1131 D 32098765', '330100 4101 C 32098765']);
    const tx = await t.db.query(
      `SELECT effective_date::text AS d, source_type, source_id FROM ledger_transactions WHERE id = $1`,
      [txId],
    );
    expect(tx.rows[0]).toEqual({
      d: TODAY,
      source_type: 'construction_project',
      source_id: out.value.id,
    });
    const page = await getProject(t.db, { regionCode: '330000', projectId: out.value.id });
    expect(page?.project.receivableTransactionId).toBe(txId);
    expect(page?.project.outstandingFen).toBe(32_098_765);
    expect((await checkLedger(t.db)).ok).toBe(true);
  });

  it('replays the posting as already recorded; a different amount under the same id is refused', async () => {
    const out = await registerProject(t.db, hz, rules, project({ name: '测试隧道项目' }));
    if (!out.ok) throw new Error(out.message);
    const receivable = {
      regionCode: '330100',
      projectId: out.value.id,
      projectName: '测试隧道项目',
      contributionFen: 32_098_765,
      registeredOn: TODAY,
    };
    const request = projectReceivableTransaction(receivable, rules.snapshotId);
    if (request === null) throw new Error('no request');
    const before = await count('ledger_postings');
    const again = await postTransaction(t.db, hz, request);
    expect(again.ok ? again.value.status : again.code).toBe('exists');
    const changed = projectReceivableTransaction(
      { ...receivable, contributionFen: 32_098_766 },
      rules.snapshotId,
    );
    if (changed === null) throw new Error('no request');
    const conflict = await postTransaction(t.db, hz, changed);
    expect(conflict.ok ? 'ok' : conflict.code).toBe('ledger.idempotency_conflict');
    expect(await count('ledger_postings')).toBe(before);
  });
});

describe(`按项目参保 receivable refused by the ledger on ${testBackend}`, () => {
  it('refuses a registration whose ledger period is closed or not open, and stores nothing', async () => {
    const close = await requestPeriodClose(t.db, fund.fundMaker, {
      segment: '330100',
      period: '2026-02',
    });
    if (!close.ok) throw new Error(close.message);
    await approve(t.db, fund.fundChecker, '330100', close.value.approvalId);
    const closed = await closePeriod(t.db, fund.fundMaker, {
      segment: '330100',
      period: '2026-02',
      approvalId: close.value.approvalId,
    });
    if (!closed.ok) throw new Error(closed.message);
    const before = await Promise.all(
      ['construction_projects', 'project_receivables', 'ledger_transactions', 'audit_events'].map(
        count,
      ),
    );
    const codeOf = async (registeredOn: string) => {
      const r = await registerProject(t.db, hz, rules, project({ registeredOn }));
      return r.ok ? 'ok' : r.code;
    };
    expect(await codeOf('2026-02-27')).toBe('ledger.period_closed');
    expect(await codeOf('2026-04-01')).toBe('ledger.period_not_open');
    const after = await Promise.all(
      ['construction_projects', 'project_receivables', 'ledger_transactions', 'audit_events'].map(
        count,
      ),
    );
    expect(after).toEqual(before);
  });
});

describe(`按项目参保 refusals on ${testBackend}`, () => {
  it('refuses bad dates, an unknown employer, another city, a cancelled employer; writes nothing', async () => {
    const before = await count('construction_projects');
    const codeOf = async (p: ProjectRegistration, actor = hz) => {
      const out = await registerProject(t.db, actor, rules, p);
      return out.ok ? 'ok' : out.code;
    };
    expect(await codeOf(project({ endDate: '2025-02-28' }))).toBe('project.invalid_dates');
    expect(await codeOf(project({ employerId: 'emp_330100_00000000000000ff' }))).toBe(
      'record.not_found',
    );
    expect(await codeOf(project({ regionCode: '330200' }))).toBe('record.not_found');
    expect(
      await codeOf(project({ industry: { standard: 'GB/T 4754-2017', division: '00' } })),
    ).toBe('contribution.division_unknown');
    expect(await count('construction_projects')).toBe(before);
    const other = await registerEmployer(t.db, hz, rules, {
      regionCode: '330100',
      creditCode: demoCreditCode('330100', 22),
      name: '杭州测试注销建筑有限公司',
      address: '杭州市测试路10号',
      industry: { standard: 'GB/T 4754-2017', division: '48' },
      category: 'sme',
      registeredOn: '2024-01-01',
    });
    if (!other.ok) throw new Error(other.message);
    const cancelled = await changeEmployerStatus(t.db, hz, rules, {
      regionCode: '330100',
      employerId: other.value.id,
      status: 'cancelled',
      effectiveFrom: '2025-01-01',
      reason: '测试',
    });
    expect(cancelled.ok).toBe(true);
    expect(await codeOf(project({ employerId: other.value.id }))).toBe('employer.cancelled');
    expect(await count('construction_projects')).toBe(before);
  });
});

describe(`按项目参保 workers on ${testBackend}`, () => {
  it('adds workers by list, all or nothing, every problem named; a rerun adds nobody twice', async () => {
    const p = await registerProject(t.db, hz, rules, project({ name: '测试道路项目' }));
    if (!p.ok) throw new Error(p.message);
    const a = demoIdNumber('330102', '1985-04-03', 31);
    const b = demoIdNumber('330105', '1992-11-20', 32);
    const bad = `${a.slice(0, 17)}${a[17] === '0' ? '1' : '0'}`;
    const input = (workers: { idNumber: string; name: string }[]) => ({
      regionCode: '330100',
      projectId: p.value.id,
      workers,
      today: TODAY,
    });
    const refused = await addProjectWorkers(
      t.db,
      hz,
      input([
        { idNumber: a, name: '甲' },
        { idNumber: bad, name: '乙' },
        { idNumber: a, name: '甲二' },
        { idNumber: b, name: ' ' },
      ]),
    );
    expect(refused.ok ? null : { code: refused.code, details: refused.details }).toEqual({
      code: 'project.workers_invalid',
      details: {
        problems: [
          { index: 1, field: 'idNumber', message: expect.stringContaining('公民身份号码') },
          { index: 2, field: 'idNumber', message: 'the same number as entry 0' },
          { index: 3, field: 'name', message: 'a name of 1 to 50 characters' },
        ],
      },
    });
    expect(await count(`project_workers WHERE project_id = '${p.value.id}'`)).toBe(0);
    const list = [
      { idNumber: a, name: '甲' },
      { idNumber: b, name: '乙' },
    ];
    expect(await addProjectWorkers(t.db, hz, input(list))).toEqual({
      ok: true,
      value: { added: 2, alreadyListed: 0 },
    });
    expect(await addProjectWorkers(t.db, hz, input(list))).toEqual({
      ok: true,
      value: { added: 0, alreadyListed: 2 },
    });
    const page = await getProject(t.db, { regionCode: '330100', projectId: p.value.id });
    expect(page?.project.workerCount).toBe(2);
    const shown = JSON.stringify(page?.workers);
    expect(shown).not.toContain(a);
    expect(page?.workers.map((w) => w.idNumberMasked)).toContain(
      `${a.slice(0, 6)}********${a.slice(14)}`,
    );
    // Another city's handler does not see it; the province does.
    expect(await getProject(t.db, { regionCode: '330200', projectId: p.value.id })).toBeNull();
    expect(
      (await getProject(t.db, { regionCode: '330000', projectId: p.value.id }))?.project.id,
    ).toBe(p.value.id);
    const listed = await listProjects(t.db, { regionCode: '330100', employerId: contractor });
    expect(listed.find((x) => x.id === p.value.id)?.workerCount).toBe(2);
    expect(await listProjects(t.db, { regionCode: '330200', employerId: contractor })).toEqual([]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
