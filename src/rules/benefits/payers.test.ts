import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { makeContext } from '../context.ts';
import type { CalculationItem, ItemResult } from './item.ts';
import {
  assignPayers,
  type CaseDates,
  employerApplicationDeadline,
  explainDeadline,
  LATE_APPLICATION_BASIS,
  type Liability,
  UNINSURED_BASIS,
} from './payers.ts';
import { PERIODIC_START_PATH } from './periodic-start.ts';
import { benefitRegime } from './regime.ts';

const rules = testRuleBook().benefits;
const ctx = (region = '330000') => makeContext(rules, region, {}, false);

function result(item: Omit<CalculationItem, 'citation'>): ItemResult {
  return { item: { ...item, citation: '《工伤保险条例》第三十九条' }, trace: null };
}

const pension = result({
  code: 'survivor_pension',
  amountFen: 100000,
  frequency: 'monthly',
  payer: 'fund',
  dependantIndex: 0,
});
const funeral = result({
  code: 'funeral_grant',
  amountFen: 500000,
  frequency: 'once',
  payer: 'fund',
});
const employmentGrant = result({
  code: 'employment_separation_grant',
  amountFen: 300000,
  frequency: 'once',
  payer: 'employer',
});

const death: CaseDates = {
  injuryDate: '2024-11-15',
  decisionDate: null,
  deathDate: '2024-11-15',
  separationDate: null,
};
const insured = (applicationDate: string | null): Liability => ({
  employerInsured: true,
  applicationDate,
  applicationDeadlineExtendedTo: null,
});

describe('the employer’s time limit (《工伤保险条例》第十七条第一款; 《民法典》第二百零一条第一款)', () => {
  it('ends on the 30th day after the injury, the injury day not counted', () => {
    // 2024 is a leap year: 31 January + 30 days = 1 March.
    const r = employerApplicationDeadline(ctx(), '2024-01-31', null);
    expect(r.ok && r.value.lastDay).toBe('2024-03-01');
  });
  it('runs to an approved extension, never ends before the 30 days', () => {
    const longer = employerApplicationDeadline(ctx(), '2024-01-31', '2024-06-30');
    expect(longer.ok && longer.value.lastDay).toBe('2024-06-30');
    const shorter = employerApplicationDeadline(ctx(), '2024-01-31', '2024-02-10');
    expect(shorter.ok && shorter.value.lastDay).toBe('2024-03-01');
  });
  it('is cut to 90 days in 河南 (《河南省工伤保险条例》第十五条第一款), with no cap elsewhere', () => {
    const henan = employerApplicationDeadline(ctx('410100'), '2024-01-31', '2024-06-30');
    expect(henan.ok && henan.value.lastDay).toBe('2024-04-30');
    expect(henan.ok && explainDeadline(henan.value)).toContain(
      'cut to the provincial cap of 90 days',
    );
    const within = employerApplicationDeadline(ctx('410000'), '2024-01-31', '2024-04-01');
    expect(within.ok && within.value.lastDay).toBe('2024-04-01');
  });
});

describe('who pays (《工伤保险条例》第六十二条第二款、第十七条第四款; 《社会保险法》第四十一条第一款)', () => {
  it('leaves every item as it is when insured and no application date is given', () => {
    const items = [funeral, pension];
    const r = assignPayers(ctx(), items, insured(null), death);
    expect(r.ok && r.value).toBe(items);
  });
  it('gives an uninsured employer every fund item, marked as advanceable, and keeps its own', () => {
    const uninsured = { ...insured('2025-06-01'), employerInsured: false };
    const r = assignPayers(ctx(), [funeral, pension, employmentGrant], uninsured, death);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.map((x) => x.item)).toEqual([
      { ...funeral.item, payer: 'employer', payerBasis: UNINSURED_BASIS, fundMayAdvance: true },
      { ...pension.item, payer: 'employer', payerBasis: UNINSURED_BASIS, fundMayAdvance: true },
      employmentGrant.item,
    ]);
  });
  it('splits a monthly item across the year end at the month before the application', () => {
    // Death 2024-11-15: pension from 2024-12; time limit ends 2024-12-15; filed 2025-01-01.
    const r = assignPayers(ctx(), [funeral, pension], insured('2025-01-01'), death);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.map((x) => x.item)).toEqual([
      { ...funeral.item, payer: 'employer', payerBasis: LATE_APPLICATION_BASIS },
      {
        ...pension.item,
        payer: 'employer',
        payerBasis: LATE_APPLICATION_BASIS,
        fromMonth: '2024-12',
        untilMonth: '2024-12',
      },
      { ...pension.item, fromMonth: '2025-01' },
    ]);
  });
  it('gives the employer the month in which the application was filed, unless filed on its 1st', () => {
    const mid = assignPayers(ctx(), [pension], insured('2025-02-10'), death);
    expect(mid.ok && mid.value.map((x) => x.item.untilMonth ?? x.item.fromMonth)).toEqual([
      '2025-02',
      '2025-03',
    ]);
    const first = assignPayers(ctx(), [pension], insured('2025-02-01'), death);
    expect(first.ok && first.value.map((x) => x.item.untilMonth ?? x.item.fromMonth)).toEqual([
      '2025-01',
      '2025-02',
    ]);
  });
  it('starts the employer’s months by the region’s rule, citing 《河南省工伤保险条例》第三十条第一款 only in 河南', () => {
    const traced: ItemResult = {
      item: pension.item,
      trace: {
        code: 'survivor_pension',
        citation: pension.item.citation,
        formula: { zh: '', en: '' },
        parameters: [],
        rounding: { rule: 'half_up', exact: '1000', resultFen: 100000 },
        notes: [],
      },
    };
    const cited = (region: string) => {
      const r = assignPayers(
        makeContext(rules, region, {}, true),
        [traced],
        insured('2025-01-01'),
        death,
      );
      if (!r.ok) throw new Error(r.message);
      const employer = r.value[0];
      expect(employer?.item).toMatchObject({ fromMonth: '2024-12', untilMonth: '2024-12' });
      return employer?.trace?.parameters
        .filter((p) => p.path === PERIODIC_START_PATH)
        .map((p) => [
          p.region,
          p.status,
          p.citation.startsWith('《河南省工伤保险条例》第三十条第一款'),
        ]);
    };
    expect(cited('410100')).toEqual([['410000', 'legislated', true]]);
    expect(cited('330100')).toEqual([['000000', 'demo', false]]);
  });
  it('leaves items that fall due on or after a late application with the fund', () => {
    const later = { ...death, deathDate: '2025-03-01' };
    const r = assignPayers(ctx(), [funeral, pension], insured('2025-03-01'), later);
    expect(r.ok && r.value.map((x) => x.item)).toEqual([funeral.item, pension.item]);
  });
});

describe('the text whose benefits apply (regulation.benefit_regime)', () => {
  it('is the 2010 revision for injuries from 2011-01-01', () => {
    expect(benefitRegime(ctx(), '2011-01-01')).toEqual({ ok: true, value: 'revised' });
  });
  it('refuses 2004–2010 injuries naming the declared gap and what is missing', () => {
    const r = benefitRegime(ctx('410000'), '2010-12-31');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('rules.parameter_missing');
    expect(r.message).toContain('国务院令第586号');
    expect(r.details?.['gap']).toMatchObject({
      from: '2004-01-01',
      until: '2010-12-31',
      missing: [expect.stringContaining('2003'), expect.stringContaining('国务院令第586号')],
    });
  });
  it('refuses injuries before 2004 as having no value and no declared gap', () => {
    const r = benefitRegime(ctx(), '2003-12-31');
    expect(r.ok ? null : r.details).toEqual({
      path: 'regulation.benefit_regime',
      region: '330000',
      date: '2003-12-31',
    });
  });
});
