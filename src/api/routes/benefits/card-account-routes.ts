import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import {
  cardAccountBody,
  cardAccountResponse,
  dependantCardAccountParams,
  workerCardAccountParams,
} from '../../../contract/benefits/card-account-contract.ts';
import type { Beneficiary } from '../../../domain/benefits/card-account.ts';
import type { Actor } from '../../../identity/actor.ts';
import { cardAccountsOf, setCardAccount } from '../../../usecases/benefits/card-accounts.ts';
import { addRoute } from '../../add-route.ts';
import { refusalError } from '../../errors.ts';
import { today } from '../registry/registry-route-kit.ts';

/**
 * The social-security card accounts benefits are paid to (docs/benefits.md, "Card accounts"): a
 * city handler records a worker's or a dependant's account (fund:write, the payroll's permission:
 * it decides where money goes); a reader of the fund sees the accounts, numbers masked but for
 * the last four digits unless they hold pii:reveal, each read audited. Scoped by the city like
 * every city route; the same use cases as `tongchou benefits card-account`.
 */
export function registerCardAccountRoutes(app: FastifyInstance): void {
  registerWorkerSet(app);
  registerWorkerShow(app);
  registerDependantSet(app);
  registerDependantShow(app);
}

const workerUrl = '/api/v1/regions/:regionCode/workers/:workerId/card-account';
const dependantUrl = '/api/v1/regions/:regionCode/dependants/:dependantId/card-account';
/** No worker or dependant has these ids: the examples must not record anything. */
const workerExample = 'wkr_0000000000000000';
const dependantExample = (regionCode: string) => `dep_${regionCode}_0000000000000000`;
const bodyExample = {
  validFrom: '2099-01-01',
  bankName: '中国工商银行杭州分行',
  accountNumber: '6222020000000000',
  accountName: '工伤职工',
};

/** Both set routes: the account from the body, valid from today in China unless given. */
function setFor(
  app: FastifyInstance,
  actor: Actor,
  regionCode: string,
  beneficiary: Beneficiary,
  body: z.infer<typeof cardAccountBody>,
) {
  const { validFrom, ...account } = body;
  const on = today();
  return setCardAccount(app.deps.db, actor, {
    regionCode,
    beneficiary,
    ...account,
    validFrom: validFrom ?? on,
    today: on,
  });
}

function registerWorkerSet(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'PUT',
      url: workerUrl,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.card_account.set',
      regionParam: 'regionCode',
      summary:
        'Record a worker’s social-security card account from a date (the current month at the earliest; 户名 = the worker’s name); the same date again replaces it',
      tags: ['benefits'],
      schema: {
        params: workerCardAccountParams,
        body: cardAccountBody,
        response: { 200: cardAccountResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, workerId: workerExample },
        body: bodyExample,
      }),
    },
    async (request) => {
      const { regionCode, workerId } = request.params;
      const out = await setFor(
        app,
        request.actor!,
        regionCode,
        { kind: 'worker', workerId },
        request.body,
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerWorkerShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: workerUrl,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.card_account.show',
      regionParam: 'regionCode',
      summary:
        'A worker’s card accounts, the one in force today first (numbers masked without pii:reveal; the read is audited)',
      tags: ['benefits'],
      schema: { params: workerCardAccountParams, response: { 200: cardAccountResponse } },
      example: ({ regionCode }) => ({ params: { regionCode, workerId: workerExample } }),
    },
    async (request) => {
      const { regionCode, workerId } = request.params;
      const out = await cardAccountsOf(app.deps.db, request.actor!, {
        regionCode,
        beneficiary: { kind: 'worker', workerId },
        on: today(),
      });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerDependantSet(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'PUT',
      url: dependantUrl,
      access: { kind: 'permission', permission: 'fund:write' },
      action: 'benefits.card_account.set',
      regionParam: 'regionCode',
      summary:
        'Record a dependant’s (供养亲属) card account from a date: the survivor’s pension is paid to it (the current month at the earliest; 户名 = the dependant’s name)',
      tags: ['benefits'],
      schema: {
        params: dependantCardAccountParams,
        body: cardAccountBody,
        response: { 200: cardAccountResponse },
      },
      example: ({ regionCode }) => ({
        params: { regionCode, dependantId: dependantExample(regionCode) },
        body: bodyExample,
      }),
    },
    async (request) => {
      const { regionCode, dependantId } = request.params;
      const out = await setFor(
        app,
        request.actor!,
        regionCode,
        { kind: 'dependant', dependantId },
        request.body,
      );
      request.audited = out.ok;
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerDependantShow(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: dependantUrl,
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'benefits.card_account.show',
      regionParam: 'regionCode',
      summary:
        'A dependant’s card accounts (numbers masked without pii:reveal; the read is audited)',
      tags: ['benefits'],
      schema: { params: dependantCardAccountParams, response: { 200: cardAccountResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, dependantId: dependantExample(regionCode) },
      }),
    },
    async (request) => {
      const { regionCode, dependantId } = request.params;
      const out = await cardAccountsOf(app.deps.db, request.actor!, {
        regionCode,
        beneficiary: { kind: 'dependant', dependantId },
        on: today(),
      });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
