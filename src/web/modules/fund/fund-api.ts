import type { z } from 'zod';
import type { budgetSaveBody } from '../../../contract/fund/budgets/budgets-contract.ts';
import { request } from '../../api/client.ts';
import type { ApprovalDecision } from '../../api/types.ts';
import type {
  Balances,
  BudgetApproval,
  BudgetExecution,
  BudgetList,
  BudgetView,
  Consolidation,
  FundOverview,
  JournalEntry,
  JournalPage,
  SavedBudget,
  TrialBalance,
  YearEnd,
  YearEndRun,
} from './fund-types.ts';

/** `/api/v1/regions/:region/fund/…` with the path parts URL-encoded. */
export function fundUrl(
  region: string,
  path: string,
  query: Record<string, string | number | null> = {},
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== null && value !== '') search.set(key, String(value));
  const qs = search.toString();
  return `/api/v1/regions/${encodeURIComponent(region)}/fund/${path}${qs === '' ? '' : `?${qs}`}`;
}

export function executionXlsxUrl(region: string, year: number): string {
  return fundUrl(region, `budgets/${year}/execution.xlsx`);
}

/** One line of a budget save, as the server's request schema takes it. */
export type BudgetLineInput = z.input<typeof budgetSaveBody>['lines'][number];

export const fundApi = {
  overview: (region: string) => request<FundOverview>(fundUrl(region, 'overview')),
  journal: (region: string, segment: string, limit: number, beforeSeq: number | null) =>
    request<JournalPage>(fundUrl(region, 'journal', { segment, limit, beforeSeq })),
  transaction: (region: string, id: string) =>
    request<JournalEntry>(fundUrl(region, `transactions/${encodeURIComponent(id)}`)),
  trialBalance: (region: string, segment: string, asOf: string) =>
    request<TrialBalance>(fundUrl(region, 'trial-balance', { segment, asOf })),
  balances: (region: string, segment: string) =>
    request<Balances>(fundUrl(region, 'balances', { segment })),
  budgets: (region: string, year: number) =>
    request<BudgetList>(fundUrl(region, 'budgets', { year })),
  budget: (region: string, year: number) => request<BudgetView>(fundUrl(region, `budgets/${year}`)),
  saveBudget: (
    region: string,
    year: number,
    lines: BudgetLineInput[],
    expectedVersion: number | null,
  ) =>
    request<SavedBudget>(fundUrl(region, `budgets/${year}`), {
      method: 'PUT',
      csrf: true,
      body: expectedVersion === null ? { lines } : { lines, expectedVersion },
    }),
  submitBudget: (region: string, year: number) =>
    request<BudgetView>(fundUrl(region, `budgets/${year}/submit`), {
      method: 'POST',
      csrf: true,
      body: {},
    }),
  returnBudget: (region: string, year: number, reason: string) =>
    request<BudgetView>(fundUrl(region, `budgets/${year}/return`), {
      method: 'POST',
      csrf: true,
      body: { reason },
    }),
  consolidate: (province: string, year: number) =>
    request<Consolidation>(fundUrl(province, `budgets/${year}/consolidate`), {
      method: 'POST',
      csrf: true,
      body: {},
    }),
  approveBudgets: (province: string, year: number, approvalId: string) =>
    request<BudgetApproval>(fundUrl(province, `budgets/${year}/approve`), {
      method: 'POST',
      csrf: true,
      body: { approvalId },
    }),
  decide: (region: string, approvalId: string, decision: 'approved' | 'rejected') =>
    request<ApprovalDecision>(
      `/api/v1/regions/${encodeURIComponent(region)}/approvals/${encodeURIComponent(approvalId)}/decision`,
      { method: 'POST', csrf: true, body: { decision } },
    ),
  execution: (region: string, year: number) =>
    request<BudgetExecution>(fundUrl(region, `budgets/${year}/execution`)),
  yearEnd: (region: string, year: number) => request<YearEnd>(fundUrl(region, `year-end/${year}`)),
  runYearEnd: (province: string, year: number, approvalId: string) =>
    request<YearEndRun>(fundUrl(province, `year-end/${year}/run`), {
      method: 'POST',
      csrf: true,
      body: { approvalId },
    }),
};
