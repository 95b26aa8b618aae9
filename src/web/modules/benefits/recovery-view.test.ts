import { describe, expect, it } from 'vitest';
import { rolePermissions } from '../../../identity/roles.ts';
import type { ApprovalSummary } from '../../api/types.ts';
import type { OverpaymentItem } from './recovery-api.ts';
import {
  askedFromJson,
  decideBodyOf,
  pendingApprovalsOf,
  repaymentBodyOf,
  rowActionsFor,
} from './recovery-view.ts';

const open: OverpaymentItem = {
  overpaymentId: 'ovp_00000000000000000001',
  workerId: 'wkr_1',
  entitlementId: 'ent_1',
  entitlementKind: 'disability_allowance',
  reason: 'suspension',
  months: ['2025-08', '2025-09'],
  amountFen: 1_360_000,
  status: 'open',
  createdAt: '2025-10-01T00:00:00Z',
  recovery: null,
};
const ordered: OverpaymentItem = {
  ...open,
  recovery: {
    id: 'brc_00000000000000000001',
    method: 'order',
    monthlyFen: null,
    status: 'active',
    decidedOn: '2025-10-06',
    balanceFen: 1_360_000,
  },
};

describe('rowActionsFor', () => {
  const handler = rolePermissions.city_handler;
  it('offers the decision of an open overpayment and the repayment of an order to the handler', () => {
    expect(rowActionsFor(open, handler)).toEqual({ decide: true, repay: false });
    expect(rowActionsFor(ordered, handler)).toEqual({ decide: false, repay: true });
    expect(rowActionsFor(ordered, rolePermissions.supervisor)).toEqual({
      decide: false,
      repay: false,
    });
    const offset = { ...ordered, recovery: { ...ordered.recovery!, method: 'offset' as const } };
    expect(rowActionsFor(offset, handler).repay).toBe(false);
  });
});

describe('the form bodies', () => {
  it('turns an offset’s yuan into fen and leaves an order without a monthly amount', () => {
    expect(
      decideBodyOf({ method: 'offset', monthlyYuan: '2,000.5', reason: ' 生活困难 ' }),
    ).toEqual({ ok: true, body: { method: 'offset', monthlyFen: 200_050, reason: '生活困难' } });
    expect(decideBodyOf({ method: 'order', monthlyYuan: '9', reason: '一次退回' })).toEqual({
      ok: true,
      body: { method: 'order', reason: '一次退回' },
    });
    expect(decideBodyOf({ method: 'offset', monthlyYuan: '0', reason: 'x' })).toEqual({
      ok: false,
      problem: 'amount',
    });
    expect(decideBodyOf({ method: 'order', monthlyYuan: '', reason: ' ' }).ok).toBe(false);
  });

  it('checks a repayment’s amount, day and reference', () => {
    const form = { amountYuan: '13600', paidOn: '2025-10-20', reference: 'BK-1' };
    expect(repaymentBodyOf(form)).toEqual({
      ok: true,
      body: { amountFen: 1_360_000, paidOn: '2025-10-20', reference: 'BK-1' },
    });
    expect(repaymentBodyOf({ ...form, paidOn: '20251020' })).toEqual({
      ok: false,
      problem: 'date',
    });
    expect(repaymentBodyOf({ ...form, reference: '' })).toEqual({
      ok: false,
      problem: 'reference',
    });
  });
});

describe('approvals of a row', () => {
  const approval = (id: string, payload: unknown, status: ApprovalSummary['status']) => ({
    regionCode: '330100',
    id,
    action: 'benefits.recovery',
    payloadHash: 'h',
    payload,
    maker: 'hz.handler',
    makerRole: 'city_handler',
    checker: null,
    status,
    requiredCheckers: 1,
    amountFen: 1,
    createdAt: '',
    expiresAt: '',
    decidedAt: null,
  });
  it('finds the pending approvals naming the overpayment or its recovery', () => {
    const list = [
      approval('apr_1', { overpaymentId: open.overpaymentId }, 'pending'),
      approval('apr_2', { recoveryId: 'brc_00000000000000000001' }, 'pending'),
      approval('apr_3', { overpaymentId: open.overpaymentId }, 'approved'),
      approval('apr_4', 'not an object', 'pending'),
    ];
    expect(pendingApprovalsOf(list, open).map((a) => a.id)).toEqual(['apr_1']);
    expect(pendingApprovalsOf(list, ordered).map((a) => a.id)).toEqual(['apr_1', 'apr_2']);
  });

  it('reads the maker’s stored asks back, dropping what is malformed', () => {
    const stored = JSON.stringify([
      {
        kind: 'decide',
        target: 'ovp_1',
        approvalId: 'apr_1',
        body: { method: 'offset', monthlyFen: 200_050, reason: 'r' },
      },
      {
        kind: 'repay',
        target: 'brc_1',
        approvalId: 'apr_2',
        body: { amountFen: 5, paidOn: '2025-10-20', reference: 'BK' },
      },
      { kind: 'decide', target: 'ovp_2', body: { method: 'order', reason: 'r' } },
      'junk',
    ]);
    expect(askedFromJson(stored)).toEqual([
      {
        kind: 'decide',
        target: 'ovp_1',
        approvalId: 'apr_1',
        body: { method: 'offset', monthlyFen: 200_050, reason: 'r' },
      },
      {
        kind: 'repay',
        target: 'brc_1',
        approvalId: 'apr_2',
        body: { amountFen: 5, paidOn: '2025-10-20', reference: 'BK' },
      },
    ]);
    expect(askedFromJson('{')).toEqual([]);
    expect(askedFromJson(null)).toEqual([]);
  });
});
