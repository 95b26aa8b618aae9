import type { FastifyInstance } from 'fastify';
import {
  yearEndParams,
  yearEndReportParams,
  yearEndResponse,
  yearEndRunBody,
  yearEndRunResponse,
} from '../../../../contract/fund/pooling/year-end-contract.ts';
import type { Database } from '../../../../db/client.ts';
import { isProvinceCode, provinceOf } from '../../../../kernel/region-codes.ts';
import { runYearEnd } from '../../../../usecases/fund/pooling/year-end-adjustment-run.ts';
import {
  readYearEndReport,
  reportContentTypes,
} from '../../../../usecases/fund/pooling/year-end-report-file.ts';
import {
  type YearEndView,
  yearEndResult,
} from '../../../../usecases/fund/pooling/year-end-result.ts';
import {
  storedYearEndMode,
  unifiedYearEndResult,
} from '../../../../usecases/fund/pooling/year-end-unified-run.ts';
import { addRoute } from '../../../add-route.ts';
import { ProblemError, refusalError } from '../../../errors.ts';

/**
 * The year-end pooling run (年终清算, issue 4 item 5): the province runs it (idempotent by province
 * and year: a rerun returns the stored result and posts nothing); the province sees every city's
 * result, a city its own. The mode of the year (dated parameter `pooling.mode`) decides which
 * year-end runs: adjustment fund (调剂金) or unified gap sharing (统收统支); the view says `mode`.
 */
export function registerFundYearEndRoutes(app: FastifyInstance): void {
  registerYearEndRun(app);
  registerYearEndShow(app);
  registerYearEndReport(app);
}

/** The stored adjustment-fund view names its mode literally, as the contract's union wants. */
function adjustmentFundView(view: YearEndView) {
  return { ...view, mode: 'adjustment_fund' as const };
}

async function yearEndView(
  db: Database,
  mode: 'adjustment_fund' | 'unified' | null,
  at: { regionCode: string; year: number },
) {
  if (mode === 'unified') {
    const out = await unifiedYearEndResult(db, at);
    if (!out.ok) throw refusalError(out);
    return out.value;
  }
  const out = await yearEndResult(db, at);
  if (!out.ok) throw refusalError(out);
  return adjustmentFundView(out.value);
}

function registerYearEndRun(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/fund/year-end/:year/run',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'fund.year_end.run',
      regionParam: 'regionCode',
      summary:
        'Province only: run (or resume) the year-end run of the year, post it and write the per-city report',
      tags: ['fund'],
      schema: {
        params: yearEndParams,
        body: yearEndRunBody,
        response: { 200: yearEndRunResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, year: '2023' },
        body: { approvalId: `apr_${'0'.repeat(24)}` },
      }),
    },
    async (request) => {
      const { regionCode, year } = request.params;
      if (!isProvinceCode(regionCode))
        throw new ProblemError(
          'fund.province_only',
          `the year-end run is run by the province, not by ${regionCode}`,
          { regionCode },
        );
      const out = await runYearEnd(app.deps.db, request.actor!, {
        province: regionCode,
        year,
        managementGapsFen: request.body.managementGapsFen,
        params: app.deps.rules.pooling,
        approvalId: request.body.approvalId,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      const view = await yearEndView(app.deps.db, out.value.mode, { regionCode, year });
      return { ...view, computedNow: out.value.computedNow, postedNow: out.value.postedNow };
    },
  );
}

function registerYearEndShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/year-end/:year',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.year_end.show',
      regionParam: 'regionCode',
      summary: "The stored yearEnd: every city's result (province) or the city's own",
      tags: ['fund'],
      schema: { params: yearEndParams, response: { 200: yearEndResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, year: '2023' } }),
    },
    async (request) => {
      const { regionCode, year } = request.params;
      const mode = await storedYearEndMode(app.deps.db, provinceOf(regionCode), year);
      return yearEndView(app.deps.db, mode, { regionCode, year });
    },
  );
}

function registerYearEndReport(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/year-end/:year/report.:format',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.year_end.report',
      regionParam: 'regionCode',
      summary: 'Province only: download the per-city report of a year-end run (xlsx or pdf)',
      tags: ['fund'],
      schema: { params: yearEndReportParams },
      example: ({ regionCode }) => ({ params: { regionCode, year: '2023', format: 'xlsx' } }),
    },
    async (request, reply) => {
      const { regionCode, year, format } = request.params;
      // The report holds every city's figures: a city sees its own row through the JSON view.
      if (!isProvinceCode(regionCode))
        throw new ProblemError(
          'fund.province_only',
          `the year-end run report covers every city; ask the province (${regionCode} sees its row in the year-end run view)`,
          { regionCode },
        );
      const out = await readYearEndReport(app.deps.db, { province: regionCode, year, format });
      if (!out.ok) throw refusalError(out);
      return reply
        .type(reportContentTypes[format])
        .header('content-disposition', `attachment; filename="${out.value.name}"`)
        .send(out.value.data);
    },
  );
}
