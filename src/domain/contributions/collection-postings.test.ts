import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  applyToReceivables,
  collectionPayload,
  collectionTransaction,
  forwardTransferTransaction,
  receivableKey,
} from './collection-postings.ts';

const rec = (
  voucher: string,
  amountFen: number,
  employerId = 'emp_a',
  month = '2024-06',
  projectId: string | null = null,
) => ({
  voucher,
  employerId,
  month,
  amountFen,
  paidOn: `2024-07-${voucher.slice(1).padStart(2, '0')}`,
  projectId,
});

describe('collection postings', () => {
  it('applies a project record to the project, never to the employer-month of its 费款所属期', () => {
    const out = applyToReceivables(
      [
        rec('V1', 700, 'emp_a', '2024-06', 'prj_a'),
        rec('V2', 600, 'emp_a', '2024-06', 'prj_a'),
        rec('V3', 300),
      ],
      new Map([
        ['project|prj_a', 1_000],
        ['emp_a|2024-06', 500],
      ]),
    );
    expect(out.map((r) => [r.voucher, r.appliedFen, r.overpaidFen])).toEqual([
      ['V1', 700, 0],
      ['V2', 300, 300],
      ['V3', 300, 0],
    ]);
    expect(receivableKey(rec('V1', 1, 'emp_a', '2024-06', 'prj_a'))).toBe('project|prj_a');
    expect(receivableKey(rec('V1', 1))).toBe('emp_a|2024-06');
  });
  it('binds the project into the approved hash; a record without one hashes as before', () => {
    const plain = applyToReceivables([rec('V1', 500)], new Map());
    const project = applyToReceivables([rec('V1', 500, 'emp_a', '2024-06', 'prj_a')], new Map());
    const sha = (records: typeof plain) =>
      collectionPayload('330100', 'cim_x', 1, records).recordsSha256;
    expect(sha(plain)).toBe(
      createHash('sha256').update('V1|emp_a|2024-06|500|0|500').digest('hex'),
    );
    expect(sha(project)).toBe(
      createHash('sha256').update('V1|emp_a|2024-06|500|0|500|prj_a').digest('hex'),
    );
  });
  it('applies records in voucher order up to the outstanding amount; the rest is overpaid', () => {
    const out = applyToReceivables(
      [rec('V2', 700), rec('V1', 500), rec('V3', 100, 'emp_b')],
      new Map([['emp_a|2024-06', 1_000]]),
    );
    expect(out.map((r) => [r.voucher, r.appliedFen, r.overpaidFen])).toEqual([
      ['V1', 500, 0],
      ['V2', 500, 200],
      ['V3', 0, 100],
    ]);
  });
  it('posts one balanced transaction: Dr 1001 = Cr 1131 + Cr 2103, dated the latest 入库日期', () => {
    const records = applyToReceivables(
      [rec('V1', 500), rec('V9', 800)],
      new Map([['emp_a|2024-06', 1_000]]),
    );
    const payload = collectionPayload('330100', 'cim_330100_0000000000000001', 1, records);
    const tx = collectionTransaction(payload, records);
    expect(tx.effectiveDate).toBe('2024-07-09');
    expect(tx.postings.map((p) => [p.account, p.side, p.amountFen])).toEqual([
      ['1001', 'debit', 1_300],
      ['1131', 'credit', 1_000],
      ['2103', 'credit', 300],
    ]);
    const side = (d: 'debit' | 'credit') =>
      tx.postings.filter((p) => p.side === d).reduce((a, p) => a + p.amountFen, 0);
    expect(side('debit')).toBe(side('credit'));
  });
});

describe('collection postings of a forwarded record', () => {
  it('a forwarded batch balances per segment, mirrors its due legs, and the transfer settles them', () => {
    const records = applyToReceivables([rec('V1', 12_000)], new Map([['emp_a|2024-06', 9_000]]));
    const plain = collectionPayload('330200', 'cim_330200_0000000000000001', 1, records);
    const payload = collectionPayload(
      '330200',
      'cim_330200_0000000000000001',
      1,
      records,
      '330100',
    );
    // The approval binds the receiving city: the same records forwarded hash differently.
    expect(payload.recordsSha256).not.toBe(plain.recordsSha256);
    const posting = collectionTransaction(payload, records, '330100');
    const transfer = forwardTransferTransaction(posting, payload, '330100');
    const net = new Map<string, number>();
    for (const p of [...posting.postings, ...transfer.postings]) {
      const key = `${p.segment} ${p.account}`;
      net.set(key, (net.get(key) ?? 0) + (p.side === 'debit' ? p.amountFen : -p.amountFen));
    }
    for (const tx of [posting, transfer])
      for (const segment of ['330100', '330000', '330200']) {
        const legs = tx.postings.filter((p) => p.segment === segment);
        const sum = legs.reduce((s, p) => s + (p.side === 'debit' ? p.amountFen : -p.amountFen), 0);
        expect(sum, `${tx.id} ${segment}`).toBe(0);
      }
    // Both written: only the employer's city moved, as an ordinary collection.
    expect([...net.entries()].filter(([, v]) => v !== 0)).toEqual([
      ['330200 1131', -9_000],
      ['330200 2103', -3_000],
      ['330200 1001', 12_000],
    ]);
    expect(transfer.id).toBe(`${posting.id}:transfer`);
  });
});
