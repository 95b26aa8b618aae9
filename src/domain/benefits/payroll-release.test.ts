import { describe, expect, it } from 'vitest';
import {
  parseReleasePayload,
  type ReleasePayloadLine,
  releaseId,
  releasePayload,
  releaseTransactions,
} from './payroll-release.ts';

const lineOf = (lineId: string, expenseAccount: string, amountFen: number): ReleasePayloadLine => ({
  lineId,
  month: '2025-09',
  entitlementId: 'ent_x',
  workerId: 'wkr_x',
  kind: expenseAccount === '5106' ? 'nursing_allowance' : 'disability_allowance',
  expenseAccount,
  amountFen,
  reasons: ['after_stop'],
});

describe('release of failed lines (pure)', () => {
  it('posts Dr 2102 for the total and Cr each expense account for its lines (fen)', () => {
    // 5108: 123 456 + 200 000 = 323 456; 5106: 27 000; a 0-fen line moves nothing.
    const payload = releasePayload({
      releaseId: 'prr_00000000000000000001',
      regionCode: '330100',
      proposedOn: '2025-10-05',
      lines: [
        lineOf('pln_b', '5108', 200_000),
        lineOf('pln_a', '5108', 123_456),
        lineOf('pln_c', '5106', 27_000),
        lineOf('pln_d', '5111', 0),
      ],
    });
    expect(payload.lines.map((l) => l.lineId)).toEqual(['pln_a', 'pln_b', 'pln_c', 'pln_d']);
    expect(payload.totalFen).toBe(350_456);
    const [tx, ...rest] = releaseTransactions(payload, '2025-10-06');
    expect(rest).toEqual([]);
    expect(tx?.id).toBe('benefit-payroll-release:prr_00000000000000000001');
    expect(tx?.postings).toEqual([
      { segment: '330100', account: '2102', side: 'debit', amountFen: 350_456 },
      { segment: '330100', account: '5106', side: 'credit', amountFen: 27_000 },
      { segment: '330100', account: '5108', side: 'credit', amountFen: 323_456 },
    ]);
    expect(parseReleasePayload(JSON.parse(JSON.stringify(payload)))).toEqual(payload);
    expect(parseReleasePayload({ ...payload, lines: [{ lineId: 'pln_a' }] })).toBeNull();
  });

  it('derives one id per selection and day, another per generation', () => {
    const first = releaseId('330100', '2025-10-05', ['pln_b', 'pln_a']);
    expect(first).toMatch(/^prr_[0-9a-f]{20}$/);
    expect(releaseId('330100', '2025-10-05', ['pln_a', 'pln_b'])).toBe(first);
    expect(releaseId('330100', '2025-10-05', ['pln_a', 'pln_b'], 1)).not.toBe(first);
    expect(releaseId('330100', '2025-10-06', ['pln_a', 'pln_b'])).not.toBe(first);
  });
});
