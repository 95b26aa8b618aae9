import type { FastifyInstance } from 'fastify';
import {
  calendarYearParams,
  calendarYearResponse,
} from '../../../contract/calendar/calendar-contract.ts';
import { showCalendarYear } from '../../../usecases/calendar/calendar-import.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';

/**
 * The working-day calendar, read-only, for staff (region:read: every staff role, no employer,
 * worker or institution). Administrators extend it with `tongchou calendar import`.
 */
export function registerCalendarRoutes(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/calendar/:year',
      access: { kind: 'permission', permission: 'region:read' },
      action: 'calendar.show',
      summary:
        "工作日历: one year's days off (放假) and make-up working days (调休上班日) deadlines are counted on",
      tags: ['calendar'],
      schema: { params: calendarYearParams, response: { 200: calendarYearResponse } },
      example: () => ({ params: { year: '2025' } }),
    },
    async (request) => {
      const r = await app.deps.db.withConnection((ex) => showCalendarYear(ex, request.params.year));
      if (!r.ok) throw refusalError(r);
      return r.value;
    },
  );
}
