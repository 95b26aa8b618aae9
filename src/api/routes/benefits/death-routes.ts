import type { FastifyInstance } from 'fastify';
import {
  recordDeathBody,
  recordDeathResponse,
  workerDeathParams,
  workerDeathResponse,
} from '../../../contract/benefits/death-contract.ts';
import { deathOf, recordDeath } from '../../../usecases/benefits/death-record.ts';
import { addRoute } from '../../add-route.ts';
import { ProblemError, refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The death event (docs/benefits.md, "Death"): a city handler records a worker's death
 * (fund:write: it ends entitlements and computes overpayments, money the fund is owed); anyone
 * reading the fund may see it. The worker must be known to the city (a case or an entitlement).
 */
export function registerDeathRoutes(app: FastifyInstance): void {
  registerRecord(app);
  registerShow(app);
}

const url = '/api/v1/regions/:regionCode/workers/:workerId/death';
/** No worker has this id: the example must not record a death. */
const workerExample = 'wkr_0000000000000000';

function registerRecord(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'POST',
      url,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.death.record',
      regionParam: 'regionCode',
      summary:
        'Record a worker’s death (once): their own periodic entitlements end with the month of death, months paid after it become an open overpayment',
      tags: ['benefits'],
      schema: {
        params: workerDeathParams,
        body: recordDeathBody,
        response: { 200: recordDeathResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, workerId: workerExample },
        body: { diedOn: '2025-07-10', source: '居民死亡医学证明（推断）书 No. 330100-2025-000123' },
      }),
    },
    async (request) => {
      const out = await recordDeath(app.deps.db, request.actor!, {
        ...request.params,
        ...request.body,
        today: today(),
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
      url,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.death.show',
      regionParam: 'regionCode',
      summary: 'A worker’s recorded death with the overpayments it found (404: none recorded)',
      tags: ['benefits'],
      schema: { params: workerDeathParams, response: { 200: workerDeathResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, workerId: workerExample } }),
    },
    async (request) => {
      const found = await app.deps.db.withConnection((ex) => deathOf(ex, request.params.workerId));
      if (found === null)
        throw new ProblemError(
          'record.not_found',
          `no death recorded for ${request.params.workerId}`,
        );
      return found;
    },
  );
}
