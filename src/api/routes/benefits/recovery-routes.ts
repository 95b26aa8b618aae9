import type { FastifyInstance } from 'fastify';
import {
  overpaymentListQuery,
  overpaymentListResponse,
  overpaymentParams,
  overpaymentRecoveryView,
  recoveryBody,
  recoveryParams,
  recoveryResponse,
  recoveryView,
  repaymentBody,
  repaymentResponse,
} from '../../../contract/benefits/recovery-contract.ts';
import { regionParams } from '../../../contract/common.ts';
import { approvalPolicyOf } from '../../../runtime/config.ts';
import { decideRecovery } from '../../../usecases/benefits/benefit-recovery.ts';
import { listOverpayments } from '../../../usecases/benefits/benefit-recovery-list.ts';
import {
  overpaymentRecoveryOf,
  recoveryOf,
} from '../../../usecases/benefits/benefit-recovery-read.ts';
import { recordRepayment } from '../../../usecases/benefits/benefit-recovery-repay.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * Recovering overpayments (《社会保险经办条例》第四十六条; docs/benefits.md, "Recovering overpayments"),
 * scoped by the city: a handler proposes and applies a recovery (offset or order) and records an
 * order's repayments (fund:write: money moves); a supervisor approves each exact payload through
 * the approvals routes (fund:approve), never the maker; fund:read shows the balance. The same use
 * cases as `tongchou benefits recovery …`.
 */
export function registerRecoveryRoutes(app: FastifyInstance): void {
  registerDecide(app);
  registerRepay(app);
  registerList(app);
  registerShowOverpayment(app);
  registerShowRecovery(app);
}

/** No overpayment or recovery has these ids: an example must not recover anything. */
const overpaymentExample = 'ovp_00000000000000000000';
const recoveryExample = 'brc_00000000000000000000';

function registerDecide(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/benefit-overpayments/:overpaymentId/recovery',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.recovery.decide',
      regionParam: 'regionCode',
      summary:
        'Recover an overpayment by offset against the same person’s later payroll lines or by a recovery order, with a second person’s approval: without approvalId the recovery is checked and its approval asked; with the approved id the receivable is recognised (Dr 1132 / Cr 51xx)',
      tags: ['benefits'],
      schema: {
        params: overpaymentParams,
        body: recoveryBody,
        response: { 200: recoveryResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, overpaymentId: overpaymentExample },
        body: { method: 'offset', monthlyFen: 200_000, reason: '生活困难，按月抵扣' },
      }),
    },
    async (request) => {
      const { monthlyFen, on, ...body } = request.body;
      const out = await decideRecovery(app.deps.db, request.actor!, {
        ...request.params,
        ...body,
        monthlyFen: monthlyFen ?? null,
        on: on ?? today(),
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerRepay(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url: '/api/v1/regions/:regionCode/benefit-recoveries/:recoveryId/repayments',
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.recovery.repayment',
      regionParam: 'regionCode',
      summary:
        'Record a repayment of a recovery order with a second person’s approval (Dr 1003 / Cr 1132); the one that brings the balance to zero settles the recovery',
      tags: ['benefits'],
      schema: { params: recoveryParams, body: repaymentBody, response: { 200: repaymentResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, recoveryId: recoveryExample },
        body: { amountFen: 1_000_000, paidOn: '2025-10-20', reference: 'BK-RET-1' },
      }),
    },
    async (request) => {
      const out = await recordRepayment(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
        today: today(),
        policy: approvalPolicyOf(app.deps.config),
      });
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerList(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/benefit-overpayments',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.overpayment.list',
      regionParam: 'regionCode',
      summary:
        'The city’s overpayments with their recovery (method, status, balance), newest first, at most 500; ?status=open|recovered|waived',
      tags: ['benefits'],
      schema: {
        params: regionParams,
        querystring: overpaymentListQuery,
        response: { 200: overpaymentListResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { status: 'open' } }),
    },
    async (request) => ({
      items: await listOverpayments(app.deps.db, {
        regionCode: request.params.regionCode,
        status: request.query.status,
      }),
    }),
  );
}

function registerShowOverpayment(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/benefit-overpayments/:overpaymentId',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.overpayment.show',
      regionParam: 'regionCode',
      summary: 'An overpayment with its recovery, repayments, deductions and balance',
      tags: ['benefits'],
      schema: { params: overpaymentParams, response: { 200: overpaymentRecoveryView } },
      example: ({ regionCode }) => ({ params: { regionCode, overpaymentId: overpaymentExample } }),
    },
    async (request) => {
      const { regionCode, overpaymentId } = request.params;
      const found = await app.deps.db.withConnection((ex) =>
        overpaymentRecoveryOf(ex, regionCode, overpaymentId),
      );
      if (found === null)
        throw new ProblemError('record.not_found', `no overpayment ${overpaymentId}`);
      return found;
    },
  );
}

function registerShowRecovery(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/benefit-recoveries/:recoveryId',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.recovery.show',
      regionParam: 'regionCode',
      summary: 'A recovery with its repayments, deductions and balance',
      tags: ['benefits'],
      schema: { params: recoveryParams, response: { 200: recoveryView } },
      example: ({ regionCode }) => ({ params: { regionCode, recoveryId: recoveryExample } }),
    },
    async (request) => {
      const { regionCode, recoveryId } = request.params;
      const found = await app.deps.db.withConnection((ex) =>
        recoveryOf(ex, regionCode, recoveryId),
      );
      if (found === null) throw new ProblemError('record.not_found', `no recovery ${recoveryId}`);
      return found;
    },
  );
}
