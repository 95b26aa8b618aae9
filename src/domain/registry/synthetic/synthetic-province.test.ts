import { describe, expect, it } from 'vitest';
import { checkCitizenId, checkCreditCode, citizenIdFacts } from '../../../kernel/ids.ts';
import { rateOf } from '../../../rules/contributions/rate.ts';
import { testRuleBook } from '../../../runtime/testing.ts';
import { spellsOverlap } from '../register.ts';
import { syntheticIdNumber } from './synthetic-ids.ts';
import { syntheticEmployerMonths } from './synthetic-payroll.ts';
import { clampBase, planSyntheticProvince, type SyntheticConfig } from './synthetic-plan.ts';
import { syntheticEmployers, syntheticSpells, syntheticWorkers } from './synthetic-province.ts';

const rules = testRuleBook().benefits;
const cities = [
  { code: '330100', name: '杭州市' },
  { code: '330200', name: '宁波市' },
  { code: '330300', name: '温州市' },
];
const config: SyntheticConfig = {
  seed: 42,
  employers: 400,
  workers: 4000,
  months: 24,
  from: '2024-01',
  cities,
};

function planOf(over: Partial<SyntheticConfig> = {}) {
  const plan = planSyntheticProvince({ ...config, ...over }, rules);
  if (!plan.ok) throw new Error(plan.message);
  return plan.value;
}

const plan = planOf();
const employers = [...syntheticEmployers(plan)];
const workers = [...syntheticWorkers(plan)];
const spells = [...syntheticSpells(plan)];
const months = [...syntheticEmployerMonths(plan, rules)];

describe('the synthetic province plan', () => {
  it('refuses a bad configuration by name, and a window without average wages', () => {
    const bad = planSyntheticProvince({ ...config, months: 0 }, rules);
    expect(bad).toMatchObject({ ok: false, code: 'synthetic.invalid_config' });
    expect(bad.ok ? '' : bad.message).toContain('months');
    const early = planSyntheticProvince({ ...config, from: '2017-06' }, rules);
    expect(early).toMatchObject({ ok: false, code: 'synthetic.invalid_config' });
    const future = planSyntheticProvince({ ...config, from: '2026-06', months: 12 }, rules);
    expect(future).toMatchObject({ ok: false, code: 'synthetic.no_wage' });
  });

  it('gives every worker to exactly one block and the counts asked for', () => {
    expect(employers).toHaveLength(config.employers);
    expect(workers).toHaveLength(config.workers);
    expect(workers.map((w) => w.index)).toEqual(workers.map((_, i) => i));
  });
});

describe('identifiers of the synthetic province', () => {
  it('credit codes pass GB 32100 and are unique', () => {
    for (const e of employers) expect(checkCreditCode(e.creditCode)).toMatchObject({ valid: true });
    expect(new Set(employers.map((e) => e.creditCode)).size).toBe(employers.length);
    for (const e of employers) expect(e.id).toMatch(/^emp_[0-9]{6}_[0-9a-f]{16}$/);
    expect(new Set(employers.map((e) => e.id)).size).toBe(employers.length);
  });

  it('ID numbers pass GB 11643, agree with sex and birth date, are unique, born 1960–2005', () => {
    for (const w of workers) {
      expect(checkCitizenId(w.idNumber, '2026-12-31')).toMatchObject({ valid: true });
      expect(citizenIdFacts(w.idNumber)).toEqual({ sex: w.sex, birthDate: w.birthDate });
      expect(w.birthDate >= '1960-01-01' && w.birthDate <= '2005-12-31').toBe(true);
      expect(w.id).toMatch(/^wkr_[0-9a-f]{16}$/);
    }
    expect(new Set(workers.map((w) => w.idNumber)).size).toBe(workers.length);
    expect(new Set(workers.map((w) => w.id)).size).toBe(workers.length);
    expect(new Set(workers.map((w) => w.sex)).size).toBe(2);
  });

  it('ID numbers stay unique past one block of the number space (next district code)', () => {
    const space = plan.idSpace;
    const a = syntheticIdNumber(space, '330100', 5);
    const b = syntheticIdNumber(space, '330100', space.size + 5);
    expect(Number(b.slice(4, 6)) - Number(a.slice(4, 6))).toBe(1);
    expect(a.slice(0, 4)).toBe('3301');
    expect(a.slice(6, 17)).toBe(b.slice(6, 17));
    expect(checkCitizenId(b, '2026-12-31')).toMatchObject({ valid: true });
  });
});

describe('spells and rosters', () => {
  it('spell ids are unique and never overlap per (employer, worker); some workers move city', () => {
    expect(new Set(spells.map((s) => s.id)).size).toBe(spells.length);
    const byPair = new Map<string, typeof spells>();
    for (const s of spells) {
      const key = `${s.employerId}|${s.workerId}`;
      const others = byPair.get(key) ?? [];
      for (const o of others) expect(spellsOverlap(o, s)).toBe(false);
      byPair.set(key, [...others, s]);
      expect(s.endDate === null || s.endDate >= s.startDate).toBe(true);
    }
    const cityOf = new Map(employers.map((e) => [e.id, e.regionCode]));
    const citiesOfWorker = new Map<string, Set<string>>();
    for (const s of spells)
      citiesOfWorker.set(
        s.workerId,
        (citiesOfWorker.get(s.workerId) ?? new Set()).add(cityOf.get(s.employerId)!),
      );
    expect([...citiesOfWorker.values()].some((c) => c.size > 1)).toBe(true);
  });

  it('a spell starts on or after its employer’s registration', () => {
    const registered = new Map(employers.map((e) => [e.id, e.registeredOn]));
    for (const s of spells) expect(s.startDate >= registered.get(s.employerId)!).toBe(true);
  });

  it('every declared worker is on the employer’s roster all that month, once', () => {
    const spellsOf = new Map<string, typeof spells>();
    const idOf = new Map(workers.map((w) => [w.idNumber, w.id]));
    for (const s of spells)
      spellsOf.set(`${s.employerId}|${s.workerId}`, [
        ...(spellsOf.get(`${s.employerId}|${s.workerId}`) ?? []),
        s,
      ]);
    for (const m of months) {
      const ids = m.lines.map((l) => l.idNumber);
      expect(new Set(ids).size).toBe(ids.length);
      for (const line of m.lines) {
        const own = spellsOf.get(`${m.employer.id}|${idOf.get(line.idNumber)}`) ?? [];
        const whole = own.some(
          (s) =>
            s.startDate <= m.month.firstDay && (s.endDate === null || s.endDate >= m.month.lastDay),
        );
        expect(whole).toBe(true);
      }
    }
  });
});

describe('declarations and collections', () => {
  it('every risk class 1–8 occurs, declarations run 12–24 months per employer', () => {
    expect(new Set(employers.map((e) => e.riskClass))).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8]));
    const perEmployer = new Map<number, number>();
    for (const m of months)
      perEmployer.set(m.employer.index, (perEmployer.get(m.employer.index) ?? 0) + 1);
    expect(Math.max(...perEmployer.values())).toBe(24);
    expect(Math.min(...perEmployer.values())).toBeGreaterThanOrEqual(1);
  });

  it('the clamp matters: some wages above 300 %, some below 60 % of the average', () => {
    const lines = months.flatMap((m) => m.lines.map((l) => ({ l, clamp: m.month.clamp })));
    expect(
      lines.some(({ l, clamp }) => l.wageFen > clamp.ceilingFen && l.baseFen === clamp.ceilingFen),
    ).toBe(true);
    expect(
      lines.some(({ l, clamp }) => l.wageFen < clamp.floorFen && l.baseFen === clamp.floorFen),
    ).toBe(true);
    for (const { l, clamp } of lines) expect(l.baseFen).toBe(clampBase(l.wageFen, clamp));
  });

  it('what a prompt payer pays is what the rate calculator assesses on the clamped bases', () => {
    const paid = months.filter((m) => m.collections.some((c) => c.kind === 'paid'));
    expect(paid.length).toBeGreaterThan(months.length / 2);
    for (const m of paid.slice(0, 300)) {
      const rate = rateOf(
        {
          region: m.employer.regionCode,
          period: m.month.month,
          industry: { standard: 'GB/T 4754-2017', division: m.employer.division },
          floatingGrade: 'base',
          payrollFen: m.lines.reduce((s, l) => s + l.baseFen, 0),
        },
        rules,
      );
      expect(rate.ok && rate.value.amountFen).toBe(
        m.collections.find((c) => c.kind === 'paid')?.amountFen,
      );
    }
  });

  it('arrears and errors occur: unpaid months, partial and late payments, the three error kinds', () => {
    const kinds = new Set(months.flatMap((m) => m.collections.map((c) => c.kind)));
    for (const k of [
      'paid',
      'late',
      'partial',
      'wrong_month',
      'duplicate_voucher',
      'unknown_credit_code',
    ])
      expect(kinds, k).toContain(k);
    expect(months.some((m) => m.collections.length === 0)).toBe(true);
    const codes = new Set(employers.map((e) => e.creditCode));
    for (const m of months)
      for (const c of m.collections) {
        expect(codes.has(c.creditCode)).toBe(c.kind !== 'unknown_credit_code');
        expect(checkCreditCode(c.creditCode)).toMatchObject({ valid: true });
      }
  });

  it('two seeds’ provinces share no credit code or ID number (one database can hold both)', () => {
    const other = planOf({ seed: 2019164, employers: 200, workers: 2000 });
    const codes = new Set(employers.map((e) => e.creditCode));
    expect([...syntheticEmployers(other)].filter((e) => codes.has(e.creditCode))).toEqual([]);
    const numbers = new Set(workers.map((w) => w.idNumber));
    expect([...syntheticWorkers(other)].filter((w) => numbers.has(w.idNumber))).toEqual([]);
  });

  it('the same seed draws the same province; another seed another one', () => {
    const again = planOf();
    expect([...syntheticSpells(again)]).toEqual(spells);
    const other = planOf({ seed: 43 });
    expect([...syntheticWorkers(other)].map((w) => w.idNumber)).not.toEqual(
      workers.map((w) => w.idNumber),
    );
  });
});
