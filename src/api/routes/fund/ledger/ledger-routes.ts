import type { FastifyInstance } from 'fastify';
import {
  balancesQuery,
  balancesResponse,
  journalEntryResponse,
  journalPageResponse,
  journalQuery,
  ledgerParams,
  transactionParams,
  trialBalanceQuery,
  trialBalanceResponse,
} from '../../../../contract/fund/ledger/ledger-contract.ts';
import {
  scopedBalances,
  scopedJournal,
  scopedTrialBalance,
  transactionInRegion,
} from '../../../../usecases/fund/overview/fund-overview-explorer.ts';
import { addRoute } from '../../../add-route.ts';
import { refusalError } from '../../../errors.ts';
import { EXAMPLE_YEAR } from '../fund-route-kit.ts';

/** The ledger explorer: journal, one transaction, trial balance and balances of a region. */
export function registerFundLedgerRoutes(app: FastifyInstance): void {
  registerJournal(app);
  registerTransaction(app);
  registerTrialBalance(app);
  registerBalances(app);
}

function registerJournal(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/journal',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.journal',
      regionParam: 'regionCode',
      summary: 'Journal entries touching the region’s segment, newest first, paged by seq',
      tags: ['fund'],
      schema: {
        params: ledgerParams,
        querystring: journalQuery,
        response: { 200: journalPageResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { limit: '20' } }),
    },
    async (request) => {
      const out = await scopedJournal(app.deps.db, { ...request.params, ...request.query });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerTransaction(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/transactions/:txId',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.transaction',
      regionParam: 'regionCode',
      summary: 'One transaction with its postings (404 unless it touches the region)',
      tags: ['fund'],
      schema: { params: transactionParams, response: { 200: journalEntryResponse } },
      example: ({ regionCode }) => ({
        params: { regionCode, txId: `demo-fund:${regionCode}:${EXAMPLE_YEAR}-01:contribution` },
      }),
    },
    async (request) => {
      const { regionCode, txId } = request.params;
      const out = await transactionInRegion(app.deps.db, { regionCode, id: txId });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerTrialBalance(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/trial-balance',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.trial_balance',
      regionParam: 'regionCode',
      summary:
        "Trial balance at a date: the region's segment, or (province) its adjustment fund or 'all'",
      tags: ['fund'],
      schema: {
        params: ledgerParams,
        querystring: trialBalanceQuery,
        response: { 200: trialBalanceResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode }, query: { asOf: '2025-12-31' } }),
    },
    async (request) => {
      const out = await scopedTrialBalance(app.deps.db, { ...request.params, ...request.query });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}

function registerBalances(app: FastifyInstance): void {
  addRoute(
    app,
    {
      method: 'GET',
      url: '/api/v1/regions/:regionCode/fund/balances',
      access: { kind: 'permission', permission: 'fund:read' },
      action: 'fund.balances',
      regionParam: 'regionCode',
      summary: 'Current account balances (posted and pending apart) of the region’s segment',
      tags: ['fund'],
      schema: {
        params: ledgerParams,
        querystring: balancesQuery,
        response: { 200: balancesResponse },
      },
      example: ({ regionCode }) => ({ params: { regionCode } }),
    },
    async (request) => {
      const out = await scopedBalances(app.deps.db, { ...request.params, ...request.query });
      if (!out.ok) throw refusalError(out);
      return out.value;
    },
  );
}
