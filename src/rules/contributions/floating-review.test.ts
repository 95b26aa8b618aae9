import { describe, expect, it } from 'vitest';
import { testRuleBook } from '../../runtime/testing.ts';
import { type ExperienceYear, floatingReview, reviewWindow } from './floating-review.ts';

const rules = testRuleBook().benefits;

/** Three years 2023–2025 of the same figures (a review in 2026 reads them under the 3-year window). */
function years(contributionsFen: number, benefitCostsFen: number, injuries = 0): ExperienceYear[] {
  return [2023, 2024, 2025].map((year) => ({
    year,
    contributionsFen,
    benefitCostsFen,
    injuries,
    averageHeadcount: 100,
  }));
}

function review(riskClass: number, experience: ExperienceYear[], date = '2026-07-01') {
  const out = floatingReview(rules, {
    region: '330100',
    riskClass,
    reviewYear: 2026,
    date,
    experience,
  });
  if (!out.ok) throw new Error(out.message);
  return out.value;
}

function gradeOf(riskClass: number, experience: ExperienceYear[]): string {
  const out = review(riskClass, experience);
  return out.kind === 'proposed' ? out.grade : out.reason;
}

describe('floating-rate review ladder (浙江 demo ladder, 3-year window)', () => {
  it('reads the three years before the review year', () => {
    expect(reviewWindow(2026, 3)).toEqual([2023, 2024, 2025]);
    expect(reviewWindow(2026, 1)).toEqual([2025]);
  });

  it('puts each benefit-cost ratio on its rung, bounds inclusive', () => {
    // Σ contributions 3 000 000 fen; Σ benefits 3 × the yearly figure.
    expect(gradeOf(4, years(1_000_000, 150_000))).toBe('down2'); // 0.15
    expect(gradeOf(4, years(1_000_000, 200_000))).toBe('down2'); // 0.2 exactly
    expect(gradeOf(4, years(1_000_000, 200_001))).toBe('down1'); // just above 0.2
    expect(gradeOf(4, years(1_000_000, 350_000))).toBe('down1'); // 0.35
    expect(gradeOf(4, years(1_000_000, 1_000_000))).toBe('base'); // 1 exactly
    expect(gradeOf(4, years(1_000_000, 1_200_000))).toBe('up1'); // 1.2
    expect(gradeOf(4, years(1_000_000, 2_000_000))).toBe('up2'); // 2
  });

  it('keeps class 1 at base however good its record', () => {
    const out = review(1, years(1_000_000, 100_000));
    expect(out.kind === 'proposed' && out.grade).toBe('base');
    expect(out.kind === 'proposed' && out.trail.at(-1)).toBe('class 1 floats upward only: base');
    expect(gradeOf(1, years(1_000_000, 1_200_000))).toBe('up1');
  });

  it('steps one grade up when injuries exceed 10 per 1 000 workers a year', () => {
    // n injuries a year, 100 workers a year: 3n injuries over 300 worker-years = 10n‰.
    expect(gradeOf(4, years(1_000_000, 350_000, 1))).toBe('down1'); // 3 ÷ 300 × 1000 = 10‰
    expect(gradeOf(4, years(1_000_000, 350_000, 2))).toBe('base'); // 20‰ > 10‰
    expect(gradeOf(4, years(1_000_000, 2_000_000, 5))).toBe('up2'); // never above up2
    const out = review(4, years(1_000_000, 350_000, 2));
    expect(out.kind === 'proposed' && out.incidence).toBe('20');
    expect(out.kind === 'proposed' && out.ratio).toBe('0.35');
  });

  it('shows the figures it used and cites the article and the ladder', () => {
    const out = review(4, years(3_000_000, 1_000_000, 0));
    expect(out).toMatchObject({
      kind: 'proposed',
      grade: 'down1',
      windowYears: [2023, 2024, 2025],
      contributionsFen: 9_000_000,
      benefitCostsFen: 3_000_000,
      injuries: 0,
      headcountYears: 300,
      ratio: '1/3',
      incidence: '0',
    });
    if (out.kind !== 'proposed') return;
    expect(out.trail[0]).toBe('支缴率 3000000 ÷ 9000000 fen = 0.3333 → down1');
    expect(out.citations).toEqual(['《浙江省工伤保险条例》第九条']);
  });

  it('leaves out an employer without experience in the window, or without contributions', () => {
    const old = years(1_000_000, 0).map((y) => ({ ...y, year: y.year - 3 }));
    expect(gradeOf(4, old)).toBe('no_experience');
    expect(gradeOf(4, [])).toBe('no_experience');
    expect(gradeOf(4, years(0, 10_000))).toBe('no_contributions');
  });

  it('refuses a date without a ladder in force', () => {
    const out = floatingReview(rules, {
      region: '330100',
      riskClass: 4,
      reviewYear: 2031,
      date: '2031-07-01',
      experience: years(1, 1),
    });
    expect(out.ok ? 'ok' : out.code).toBe('rules.parameter_missing');
  });
});
