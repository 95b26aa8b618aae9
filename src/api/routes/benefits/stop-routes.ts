import type { FastifyInstance } from 'fastify';
import {
  resumeBody,
  resumeResponse,
  stopBody,
  stopListResponse,
  stopParams,
  stopResponse,
  stopView,
  stopWorkerParams,
} from '../../../contract/benefits/stop-contract.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { resumeBenefits } from '../../../usecases/benefits/benefit-resume.ts';
import { stopBenefits, stopOf, stopsOfWorker } from '../../../usecases/benefits/benefit-stop.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * 停止享受工伤保险待遇 (《工伤保险条例》第四十二条; docs/benefits.md, "Stopping benefits"), scoped by the
 * city like the payroll: a handler asks and applies a stop or its lifting (fund:write: it changes
 * what the fund pays); a supervisor approves the exact payload through the approvals routes
 * (fund:approve), never the maker. The same use cases as `tongchou benefits stop|resume`.
 */
export function registerStopRoutes(app: FastifyInstance): void {
  registerStop(app);
  registerResume(app);
  registerShow(app);
  registerList(app);
}

/** No worker or stop has these ids: an example must not stop anyone. */
const workerExample = 'wkr_0000000000000000';
const stopExample = 'stp_00000000000000000000';

function registerStop(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/workers/:workerId/benefit-stops',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.stop.apply',
      regionParam: 'regionCode',
      summary:
        'Stop a worker’s benefits in the city (第四十二条) with a second person’s approval: without approvalId the stop is checked and its approval asked; with the approved id the worker’s own items end with the month of the event and months paid after it become an open overpayment',
      tags: ['benefits'],
      schema: { params: stopWorkerParams, body: stopBody, response: { 200: stopResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, workerId: workerExample },
        body: { ground: 'refused_treatment', effectiveOn: '2025-07-10', reason: '拒绝治疗' },
      }),
    },
    async (request) => {
      const out = await stopBenefits(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
        policy: approvalPolicyOf(app.deps.config),
        today: today(),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerResume(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/benefit-stops/:stopId/resumption',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.stop.resume',
      regionParam: 'regionCode',
      summary:
        'Lift a stop on ground (二) or (三) with a second person’s approval: the items it ended are paid again, same amounts, from the month of the resumption date; ground (一) is final',
      tags: ['benefits'],
      schema: { params: stopParams, body: resumeBody, response: { 200: resumeResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, stopId: stopExample },
        body: { resumedOn: '2025-11-03', reason: '已接受劳动能力鉴定' },
      }),
    },
    async (request) => {
      const out = await resumeBenefits(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/benefit-stops/:stopId',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.stop.show',
      regionParam: 'regionCode',
      summary: 'A stop of benefits with the entitlements it ended and the overpayments it found',
      tags: ['benefits'],
      schema: { params: stopParams, response: { 200: stopView } },
      example: ({ regionCode }) => ({ params: { regionCode, stopId: stopExample } }),
    },
    async (request) => {
      const { regionCode, stopId } = request.params;
      const found = await app.deps.db.withConnection((ex) => stopOf(ex, regionCode, stopId));
      if (found === null) throw new ProblemError('record.not_found', `no stop ${stopId}`);
      return found;
    },
  );
}

function registerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/workers/:workerId/benefit-stops',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.stop.list',
      regionParam: 'regionCode',
      summary:
        'A worker’s stops of benefits in the city, the latest first (the case page’s 第四十二条 panel): the open one, if any, and those lifted',
      tags: ['benefits'],
      schema: { params: stopWorkerParams, response: { 200: stopListResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, workerId: workerExample } }),
    },
    async (request) => {
      const { regionCode, workerId } = request.params;
      const stops = await app.deps.db.withConnection((ex) =>
        stopsOfWorker(ex, regionCode, workerId),
      );
      return { stops };
    },
  );
}
