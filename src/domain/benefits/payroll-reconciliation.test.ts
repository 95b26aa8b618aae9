import { describe, expect, it } from 'vitest';
import { type BucketCount, type LineBucket, reconcileRun } from './payroll-reconciliation.ts';

describe('reconcileRun (docs/benefits.md, "Reconciliation report")', () => {
  it('sums kinds, counts reissue lines apart from month lines, and sets 2102 against the lines', () => {
    const r = reconcileRun({
      counts: [
        {
          kind: 'nursing_allowance',
          bucket: 'outstanding',
          reissue: false,
          lines: 1,
          amountFen: 270_000,
        },
        {
          kind: 'disability_allowance',
          bucket: 'confirmed',
          reissue: false,
          lines: 2,
          amountFen: 1_130_000,
        },
        {
          kind: 'disability_allowance',
          bucket: 'confirmed',
          reissue: true,
          lines: 1,
          amountFen: 450_000,
        },
        {
          kind: 'disability_allowance',
          bucket: 'held',
          reissue: false,
          lines: 1,
          amountFen: 600_000,
        },
      ],
      reissuedLater: [{ kind: 'disability_allowance', lines: 1, amountFen: 600_000 }],
      // Cr the month lines 2 000 000; Dr the confirmations 1 580 000 (the reissue line's included).
      ledger: { creditFen: 2_000_000, debitFen: 1_580_000 },
      payablePosted: true,
    });
    expect(r.byKind.map((k) => [k.kind, k.label])).toEqual([
      ['disability_allowance', '伤残津贴'],
      ['nursing_allowance', '生活护理费'],
    ]);
    expect(r.total).toMatchObject({
      monthLines: { lines: 4, amountFen: 2_000_000 },
      reissueLines: { lines: 1, amountFen: 450_000 },
      sent: { lines: 4, amountFen: 1_850_000 },
      confirmed: { lines: 3, amountFen: 1_580_000 },
      outstanding: { lines: 1, amountFen: 270_000 },
      held: { lines: 1, amountFen: 600_000 },
      reissuedLater: { lines: 1, amountFen: 600_000 },
    });
    expect(r.ledger).toEqual({
      creditFen: 2_000_000,
      debitFen: 1_580_000,
      balanceFen: 420_000,
      expectedFen: 420_000,
      differenceFen: 0,
    });
  });

  it('a run not approved expects nothing in 2102; a stray posting shows as a difference', () => {
    const r = reconcileRun({
      counts: [
        {
          kind: 'survivor_pension',
          bucket: 'to_send',
          reissue: false,
          lines: 2,
          amountFen: 480_000,
        },
      ],
      reissuedLater: [],
      ledger: { creditFen: 0, debitFen: 10_000 },
      payablePosted: false,
    });
    expect(r.total.toSend).toEqual({ lines: 2, amountFen: 480_000 });
    expect(r.total.sent).toEqual({ lines: 0, amountFen: 0 });
    expect(r.byKind[0]?.label).toBe('供养亲属抚恤金');
    expect(r.ledger).toMatchObject({ balanceFen: -10_000, expectedFen: 0, differenceFen: -10_000 });
  });
});

describe('reconcileRun: released lines (docs/benefits.md, "Reconciliation report")', () => {
  it('a released line counts as released, not failed nor held; sent keeps the released lines sent', () => {
    const line = (bucket: LineBucket, amountFen: number): BucketCount => ({
      kind: 'disability_allowance',
      bucket,
      reissue: false,
      lines: 1,
      amountFen,
    });
    // Approved 1 000 000 + 200 000 + 300 000 + 50 000; the bank paid 1 000 000, failed the rest;
    // the 200 000 was released after it failed, the held 50 000 (no account) released too.
    const r = reconcileRun({
      counts: [
        line('confirmed', 1_000_000),
        line('failed', 300_000),
        line('released_sent', 200_000),
        line('released_held', 50_000),
      ],
      reissuedLater: [],
      ledger: { creditFen: 1_550_000, debitFen: 1_000_000 },
      payablePosted: true,
    });
    expect(r.total).toMatchObject({
      monthLines: { lines: 4, amountFen: 1_550_000 },
      sent: { lines: 3, amountFen: 1_500_000 },
      confirmed: { lines: 1, amountFen: 1_000_000 },
      failed: { lines: 1, amountFen: 300_000 },
      held: { lines: 0, amountFen: 0 },
      released: { lines: 2, amountFen: 250_000 },
    });
    // The releases' Dr 2102 are their own transactions: the run's 2102 and the lines still agree.
    expect(r.ledger).toMatchObject({ balanceFen: 550_000, expectedFen: 550_000, differenceFen: 0 });
  });
});
