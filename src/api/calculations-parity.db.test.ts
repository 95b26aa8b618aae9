import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, runCliInProcess } from '../cli/testing.ts';
import { testBackend } from '../db/testing.ts';
import { startTestApp, type TestApp } from './testing.ts';

/**
 * `tongchou calc` with the body on standard input: the first body through the real entry point
 * (bin/tongchou.mjs in its own process), the others through the same program in this process —
 * ~3.5 s of process start-up each, for a command that reads no database.
 */
async function calc(realProcess: boolean, input: string): Promise<CliRun> {
  if (!realProcess) return runCliInProcess(['calc'], {}, { stdin: input });
  const r = spawnSync(process.execPath, ['bin/tongchou.mjs', 'calc'], { input, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Issue 3 §6: the same body gives the same result at POST /api/v1/calculations and `tongchou calc`. */
const bodies: unknown[] = [
  {
    region: '330000',
    kind: 'disability',
    injuryDate: '2025-03-01',
    decisionDate: '2025-09-01',
    monthlyWagesFen: [600_000, 620_000, 580_000],
    disabilityGrade: 5,
    nursingLevel: 'partly',
    separation: { date: '2025-10-01', yearsToRetirement: 3 },
  },
  {
    region: '410000',
    kind: 'death',
    injuryDate: '2025-06-01',
    deathDate: '2025-06-01',
    deathCircumstance: 'injury',
    monthlyWagesFen: [500_000],
    dependants: [{ relation: 'spouse' }, { relation: 'child', orphanOrSoleElder: true }],
  },
  {
    region: '410000',
    kind: 'disability',
    injuryDate: '2024-03-01',
    decisionDate: '2024-09-01',
    monthlyWagesFen: [600_000],
    disabilityGrade: 5,
    occupationalDisease: true,
    separation: {
      date: '2025-03-01',
      birthDate: '1972-01-15',
      retirementAge: { years: 55, months: 4 },
    },
  },
  // Issue 8: 河南 top-up after the worker's own contributions, averages by year.
  {
    region: '410000',
    kind: 'disability',
    injuryDate: '2023-05-10',
    decisionDate: '2024-03-01',
    monthlyWagesFen: [200_000],
    disabilityGrade: 5,
    overrides: {
      averageMonthlyWageFenByYear: { '2023': 400_000, '2024': 420_000 },
      minimumMonthlyWageFenByYear: { '2024': 200_000 },
    },
  },
  // Issue 8: the survivor cap on the wage before death, given as input.
  {
    region: '330000',
    kind: 'death',
    injuryDate: '2025-06-01',
    deathDate: '2025-06-01',
    deathCircumstance: 'injury',
    monthlyWagesFen: [3_000_000],
    preDeathMonthlyWageFen: 2_800_000,
    dependants: [{ relation: 'spouse' }, { relation: 'child', orphanOrSoleElder: true }],
    overrides: { averageMonthlyWageFenByYear: { '2025': 800_000 } },
  },
  // Issue 8: a by-year record missing a year the case needs (422), and both forms at once (400).
  {
    region: '410000',
    kind: 'disability',
    injuryDate: '2023-05-10',
    decisionDate: '2024-03-01',
    monthlyWagesFen: [600_000],
    disabilityGrade: 4,
    overrides: { averageMonthlyWageFenByYear: { '2023': 500_000 } },
  },
  // 条例 第十七条第四款: a late application (河南 caps the extension at 90 days) splits the pension.
  {
    region: '410000',
    kind: 'death',
    injuryDate: '2025-01-10',
    deathDate: '2025-01-10',
    deathCircumstance: 'injury',
    monthlyWagesFen: [500_000],
    dependants: [{ relation: 'spouse' }],
    applicationDate: '2025-05-20',
    applicationDeadlineExtendedTo: '2025-05-31',
  },
  // 条例 第六十二条第二款: an uninsured employer pays every item; the fund may pay first.
  {
    region: '330000',
    kind: 'disability',
    injuryDate: '2024-03-01',
    decisionDate: '2024-09-01',
    monthlyWagesFen: [600_000],
    disabilityGrade: 3,
    nursingLevel: 'partly',
    employerInsured: false,
  },
  // 《浙江省工伤保险条例》第三十五条第二款、第三款: an uninsured employer pays a child and a converting parent once.
  {
    region: '330000',
    kind: 'death',
    injuryDate: '2025-06-10',
    deathDate: '2025-06-10',
    deathCircumstance: 'injury',
    monthlyWagesFen: [600_000],
    employerInsured: false,
    dependants: [
      { relation: 'spouse' },
      { relation: 'child', oneOffPayment: { birthDate: '2015-02-10' } },
      {
        relation: 'parent',
        oneOffPayment: {
          birthDate: '1963-03-01',
          withoutLabourCapacityOrIncome: true,
          monthsReceived: 14,
        },
      },
    ],
  },
  // 条例 第六十七条: an injury before 2011 is refused, naming what is missing.
  {
    region: '330000',
    kind: 'disability',
    injuryDate: '2009-05-01',
    decisionDate: '2009-11-01',
    monthlyWagesFen: [300_000],
    disabilityGrade: 7,
  },
  {
    region: '330000',
    kind: 'disability',
    injuryDate: '2024-03-01',
    decisionDate: '2024-09-01',
    monthlyWagesFen: [600_000],
    disabilityGrade: 7,
    occupationalDisease: true,
    separation: { date: '2025-03-01', retirementDate: '2026-05-10' },
  },
  {
    region: '330000',
    kind: 'disability',
    injuryDate: '2024-03-01',
    decisionDate: '2024-09-01',
    monthlyWagesFen: [600_000],
    disabilityGrade: 7,
    overrides: { averageMonthlyWageFen: 800_000, averageMonthlyWageFenByYear: { '2024': 800_000 } },
  },
  { region: '33', kind: 'disability', monthlyWagesFen: [], disabilityGrade: 0, extra: 1 },
];

describe.runIf(testBackend === 'pglite')('calculator parity: API and CLI', () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp();
  });
  afterAll(async () => h.close());

  it('documents occupationalDisease and the ways to the retirement age in OpenAPI', async () => {
    const doc = (await h.app.inject('/api/v1/openapi.json')).json() as {
      paths: Record<string, { post?: { requestBody?: unknown } }>;
    };
    const body = JSON.stringify(doc.paths['/api/v1/calculations']?.post?.requestBody);
    for (const field of [
      'occupationalDisease',
      'yearsToRetirement',
      'retirementDate',
      'birthDate',
      'retirementAge',
    ])
      expect(body).toContain(`"${field}"`);
  });

  it.each(bodies.map((b, i) => [i, b]))(
    'body %i',
    async (i, body) => {
      const api = await h.app.inject({
        method: 'POST',
        url: '/api/v1/calculations',
        payload: body as object,
      });
      const cli = await calc(i === 0, JSON.stringify(body));
      const cliJson = JSON.parse(cli.out) as Record<string, unknown>;
      const { requestId: _r, ...apiJson } = api.json() as Record<string, unknown>;
      expect(apiJson).toEqual(cliJson);
      expect(cli.code).toBe(api.statusCode === 200 ? 0 : api.statusCode === 400 ? 2 : 3);
    },
    60_000,
  );
});
