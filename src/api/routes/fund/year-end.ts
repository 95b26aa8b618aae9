import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isProvinceCode } from '../../../usecases/fund/overview/fund-overview-explorer.ts';
import { yearEndResult } from '../../../usecases/fund/pooling/year-end-result.ts';
import {
  type ReportFormat,
  readYearEndReport,
  reportContentTypes,
} from '../../../usecases/fund/pooling/year-end-report-file.ts';
import { runYearEnd } from '../../../usecases/fund/pooling/year-end-adjustment-run.ts';
import { storedYearEndMode, unifiedYearEndResult } from '../../../usecases/fund/pooling/year-end-unified-run.ts';
import { addRoute } from '../../app.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { yearParams } from './fund-schemas.ts';

/**
 * Year-end pooling year-end run (issue 4 item 5): the province runs it (idempotent by province and
 * year: a rerun returns the stored result and posts nothing); the province sees every city's
 * result, a city its own. The mode of the year (dated parameter `pooling.mode`) decides which
 * year-end runs: adjustment fund (调剂金) or unified gap sharing (统收统支); the view says `mode`.
 */
type YearParams = { regionCode: string; year: number };

export function registerFundYearEndRoutes(app: FastifyInstance): void {
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
        params: yearParams,
        body: z.strictObject({
          /** 管理性缺口 per city from the province's assessment (fen); default none. */
          managementGapsFen: z
            .record(
              z.string().regex(/^\d{6}$/, 'a 6-digit city code'),
              z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
            )
            .optional(),
        }),
      },
      example: ({ regionCode }) => ({ params: { regionCode, year: '2023' }, body: {} }),
    },
    async (request) => {
      const { regionCode, year } = request.params as YearParams;
      const body = request.body as { managementGapsFen?: Record<string, number> };
      if (!isProvinceCode(regionCode))
        throw new ProblemError(
          'fund.province_only',
          `the year-end run is run by the province, not by ${regionCode}`,
          { regionCode },
        );
      const out = await runYearEnd(app.deps.db, request.actor!, {
        province: regionCode,
        year,
        managementGapsFen: body.managementGapsFen,
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      const view =
        out.value.mode === 'unified'
          ? await unifiedYearEndResult(app.deps.db, { regionCode, year })
          : await yearEndResult(app.deps.db, { regionCode, year });
      if (!view.ok) throw refusalError(view);
      return {
        ...view.value,
        computedNow: out.value.computedNow,
        postedNow: out.value.postedNow,
      };
    },
  );
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
      schema: { params: yearParams },
      example: ({ regionCode }) => ({ params: { regionCode, year: '2023' } }),
    },
    async (request) => {
      const p = request.params as YearParams;
      const mode = await storedYearEndMode(
        app.deps.db,
        `${p.regionCode.slice(0, 2)}0000`,
        p.year,
      );
      const out =
        mode === 'unified'
          ? await unifiedYearEndResult(app.deps.db, p)
          : await yearEndResult(app.deps.db, p);
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
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
      schema: { params: yearParams.extend({ format: z.enum(['xlsx', 'pdf']) }) },
      example: ({ regionCode }) => ({ params: { regionCode, year: '2023', format: 'xlsx' } }),
    },
    async (request, reply) => {
      const { regionCode, year, format } = request.params as YearParams & { format: ReportFormat };
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
