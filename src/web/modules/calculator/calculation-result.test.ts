import { describe, expect, it } from 'vitest';
import {
  baseWageTrace,
  explanationFor,
  parseCalculation,
  totalFen,
  traceDetailsFor,
  traceWarnings,
} from './calculation-result.ts';

const trace = {
  baseWage: {
    citation: '《工伤保险条例》第六十四条',
    formula: { zh: '本人工资 = 6,000.00 元', en: 'Own wage = 6,000.00 yuan' },
    parameters: [],
    rounding: { rule: 'half_up', exact: '600000', resultFen: 600000 },
    notes: [],
  },
  items: [
    {
      code: 'disability_lump_sum',
      citation: '《工伤保险条例》第三十七条',
      formula: {
        zh: '一次性伤残补助金 = 本人工资 6,000.00 元 × 13 个月 = 78,000.00 元',
        en: 'One-off disability grant = 6,000.00 yuan × 13 months = 78,000.00 yuan',
      },
      parameters: [
        {
          path: 'disability.lumpSumMonths',
          key: '7',
          region: '000000',
          value: '13',
          from: '2011-01-01',
          status: 'legislated',
          citation: '《工伤保险条例》第三十七条',
        },
      ],
      rounding: { rule: 'half_up', exact: '7800000', resultFen: 7800000 },
      notes: ['note'],
    },
    {
      code: 'survivor_pension',
      dependantIndex: 1,
      citation: 'x',
      formula: { zh: '第二位', en: 'second' },
      parameters: [],
      rounding: { rule: 'largest_remainder', exact: '1', resultFen: 1 },
      notes: [],
    },
  ],
  warnings: ['demo value used'],
};

const body = {
  baseWageFen: 600000,
  items: [
    {
      code: 'disability_lump_sum',
      amountFen: 7800000,
      frequency: 'once',
      payer: 'fund',
      citation: '《工伤保险条例》第三十七条',
    },
    {
      code: 'survivor_pension',
      amountFen: 1,
      frequency: 'monthly',
      payer: 'fund',
      citation: 'x',
      dependantIndex: 1,
    },
    { code: 'broken', amountFen: 1.5 },
  ],
  snapshotId: 'abc',
  trace,
};

describe('parseCalculation', () => {
  it('keeps well-formed items and drops a non-integer amount', () => {
    const parsed = parseCalculation(body);
    expect(parsed?.items.map((i) => i.code)).toEqual(['disability_lump_sum', 'survivor_pension']);
    expect(parsed?.baseWageFen).toBe(600000);
    expect(parseCalculation({ nope: true })).toBeNull();
  });
});

describe('explanationFor', () => {
  const parsed = parseCalculation(body);
  if (parsed === null) throw new Error('fixture does not parse');
  const [lump, survivor] = parsed.items;
  if (lump === undefined || survivor === undefined) throw new Error('fixture items missing');

  it('finds the formula of the item in the wanted language', () => {
    expect(explanationFor(trace, lump, 0, 'zh')).toBe(
      '一次性伤残补助金 = 本人工资 6,000.00 元 × 13 个月 = 78,000.00 元',
    );
    expect(explanationFor(trace, lump, 0, 'en')).toContain('13 months');
  });

  it('matches a dependant by index', () => {
    expect(explanationFor(trace, survivor, 1, 'zh')).toBe('第二位');
    expect(explanationFor(trace, { ...survivor, dependantIndex: 0 }, 0, 'zh')).toBeNull();
  });

  it('returns null for an unknown trace shape instead of guessing', () => {
    expect(explanationFor(null, lump, 0, 'zh')).toBeNull();
    expect(explanationFor({ steps: [1, 2] }, lump, 0, 'zh')).toBeNull();
  });

  it('reads an item-level {zh,en} explanation too', () => {
    const other = {
      items: [{ code: 'disability_lump_sum', explanation: { zh: '说明', en: 'why' } }],
    };
    expect(explanationFor(other, lump, 0, 'en')).toBe('why');
  });
});

describe('trace details', () => {
  it('lists parameters with their key, rounding, warnings and the base wage', () => {
    const parsed = parseCalculation(body);
    const lump = parsed?.items[0];
    if (lump === undefined) throw new Error('fixture item missing');
    const details = traceDetailsFor(trace, lump);
    expect(details?.parameters[0]).toEqual({
      path: 'disability.lumpSumMonths.7',
      value: '13',
      from: '2011-01-01',
      until: null,
      status: 'legislated',
      citation: '《工伤保险条例》第三十七条',
    });
    expect(details?.rounding).toEqual({ rule: 'half_up', exact: '7800000' });
    expect(traceWarnings(trace)).toEqual(['demo value used']);
    expect(baseWageTrace(trace, 'en')?.explanation).toBe('Own wage = 6,000.00 yuan');
  });
});

describe('who pays: uninsured employer and late application parts', () => {
  const pension = { code: 'survivor_pension', amountFen: 240000, frequency: 'monthly' };
  const late = '《工伤保险条例》第十七条第四款';
  const body = {
    baseWageFen: 600000,
    snapshotId: 'x',
    items: [
      {
        code: 'funeral_grant',
        amountFen: 4800000,
        frequency: 'once',
        payer: 'employer',
        citation: 'a',
        payerBasis: late,
      },
      {
        ...pension,
        payer: 'employer',
        citation: 'b',
        dependantIndex: 0,
        payerBasis: late,
        fromMonth: '2025-04',
        untilMonth: '2025-06',
      },
      { ...pension, payer: 'fund', citation: 'b', dependantIndex: 0, fromMonth: '2025-07' },
      {
        code: 'death_lump_sum',
        amountFen: 100,
        frequency: 'once',
        payer: 'employer',
        citation: 'c',
        payerBasis: 'u',
        fundMayAdvance: true,
      },
    ],
    trace: {
      items: [
        { code: 'funeral_grant', notes: ['n0'] },
        { code: 'survivor_pension', dependantIndex: 0, notes: ['employer part'] },
        { code: 'survivor_pension', dependantIndex: 0, notes: ['fund part'] },
        { code: 'death_lump_sum', notes: ['n3'] },
      ],
    },
  };

  it('keeps the payer basis, the advance mark and the months of each part', () => {
    const parsed = parseCalculation(body);
    expect(
      parsed?.items.map((i) => [i.payerBasis, i.fundMayAdvance, i.fromMonth, i.untilMonth]),
    ).toEqual([
      [late, undefined, undefined, undefined],
      [late, undefined, '2025-04', '2025-06'],
      [undefined, undefined, '2025-07', undefined],
      ['u', true, undefined, undefined],
    ]);
  });
  it('counts a split monthly item once in the monthly total', () => {
    const parsed = parseCalculation(body)!;
    expect(totalFen(parsed, 'monthly')).toBe(240000);
    expect(totalFen(parsed, 'once')).toBe(4800100);
  });
  it('shows each part its own trace entry', () => {
    const parsed = parseCalculation(body)!;
    expect(traceDetailsFor(parsed.trace, parsed.items[1]!, 1)?.notes).toEqual(['employer part']);
    expect(traceDetailsFor(parsed.trace, parsed.items[2]!, 2)?.notes).toEqual(['fund part']);
  });
});
