import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.ts';
import {
  CATEGORY_ACCOUNTS,
  INSTITUTIONS_PAYABLE,
  type LineCategory,
} from '../../domain/settlement/statement.ts';
import type { Actor } from '../../identity/actor.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { postTransaction } from '../fund/ledger/ledger-write.ts';

/**
 * STAND-IN for the "transactions" helper's settle and reversal use cases (issue 13), used by the
 * statement's tests and the demo seed until they merge: it inserts a visit, a settlement with its
 * line results (migration 0029) and posts the same ledger transaction the real settle posts
 * (Dr 5101/5104/5105 by category / Cr 2101 in the case's segment). Replace at merge.
 */

/** A hex id of 16 digits derived from a text (fixtures are deterministic). */
function hex16(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

export async function insertFixtureInstitution(
  db: Database,
  input: { id: string; name: string; regionCode: string; validFrom: IsoDate; validTo: IsoDate },
): Promise<{ institutionId: string; agreementId: string }> {
  const agreementId = `agr_${hex16(input.id)}`;
  await db.query(
    `INSERT INTO settlement_institutions (id, name, kind, level, managing_region_code, status_from, created_by)
     VALUES ($1, $2, 'hospital', 'tertiary', $3, '2020-01-01', 'fixture') ON CONFLICT DO NOTHING`,
    [input.id, input.name, input.regionCode],
  );
  await db.query(
    `INSERT INTO settlement_agreements (id, institution_id, signed_region_code, scopes, valid_from,
       valid_to, created_by)
     VALUES ($1, $2, $3, ARRAY['outpatient','inpatient','rehabilitation','device'], $4::date,
       $5::date, 'fixture') ON CONFLICT DO NOTHING`,
    [agreementId, input.id, input.regionCode, input.validFrom, input.validTo],
  );
  return { institutionId: input.id, agreementId };
}

export type FixtureLine = { category: LineCategory; claimedFen: number; payableFen: number };

export type FixtureSettlement = {
  regionCode: string;
  institutionId: string;
  agreementId: string;
  caseId: string;
  workerId: string;
  serial: string;
  month: string;
  on: IsoDate;
  sampled: boolean;
  lines: readonly FixtureLine[];
};

/** A settled visit: visit, fee lines, settlement, line results, and the settle's transaction. */
export async function settleFixtureVisit(
  db: Database,
  actor: Actor,
  s: FixtureSettlement,
): Promise<{ settlementId: string; visitId: string; ledgerTransactionId: string }> {
  const visitId = `vis_${hex16(`${s.institutionId}:${s.serial}:visit`)}`;
  const settlementId = `stl_${hex16(`${s.institutionId}:${s.serial}`)}`;
  const claimed = s.lines.reduce((t, l) => t + l.claimedFen, 0);
  const fund = s.lines.reduce((t, l) => t + l.payableFen, 0);
  const ledgerTransactionId = `settlement:${s.regionCode}:${settlementId}:settled`;
  const byAccount = new Map<string, number>();
  for (const l of s.lines) {
    const account = CATEGORY_ACCOUNTS[l.category];
    byAccount.set(account, (byAccount.get(account) ?? 0) + l.payableFen);
  }
  const posted = await postTransaction(db, actor, {
    id: ledgerTransactionId,
    effectiveDate: s.on,
    source: { type: 'settlement', id: settlementId },
    postings: [
      ...[...byAccount]
        .filter(([, fen]) => fen > 0)
        .map(([account, amountFen]) => ({
          segment: s.regionCode,
          account,
          side: 'debit' as const,
          amountFen,
        })),
      { segment: s.regionCode, account: INSTITUTIONS_PAYABLE, side: 'credit', amountFen: fund },
    ],
  });
  if (!posted.ok) throw new Error(`fixture settle: ${posted.message}`);
  await insertRows(db, s, { visitId, settlementId, claimed, fund, ledgerTransactionId });
  return { settlementId, visitId, ledgerTransactionId };
}

async function insertRows(
  db: Database,
  s: FixtureSettlement,
  k: {
    visitId: string;
    settlementId: string;
    claimed: number;
    fund: number;
    ledgerTransactionId: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO settlement_visits (region_code, id, institution_id, his_visit_no, case_id, worker_id,
       agreement_id, kind, opened_on, diagnosis_code, status, opened_serial)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'outpatient', $8::date, 'S62.0', 'settled', $4)`,
    [s.regionCode, k.visitId, s.institutionId, s.serial, s.caseId, s.workerId, s.agreementId, s.on],
  );
  await db.query(
    `INSERT INTO settlement_settlements (region_code, id, visit_id, institution_id, kind, serial,
       accounting_month, line_count, claimed_fen, fund_fen, rejected_fen, status, sampled,
       ledger_transaction_id)
     VALUES ($1, $2, $3, $4, 'settlement', $5, $6, $7, $8, $9, $10, 'active', $11, $12)`,
    [
      s.regionCode,
      k.settlementId,
      k.visitId,
      s.institutionId,
      s.serial,
      s.month,
      s.lines.length,
      k.claimed,
      k.fund,
      k.claimed - k.fund,
      s.sampled,
      k.ledgerTransactionId,
    ],
  );
  for (const [i, l] of s.lines.entries()) {
    await db.query(
      `INSERT INTO settlement_fee_lines (region_code, visit_id, line_no, own_code, name, served_on,
         quantity_milli, unit_price_fen, amount_fen, status, uploaded_serial)
       VALUES ($1, $2, $3, $4, $5, $6::date, 1000, $7, $7, 'active', $8)`,
      [
        s.regionCode,
        k.visitId,
        i + 1,
        `OWN-${i + 1}`,
        `项目${i + 1}`,
        s.on,
        l.claimedFen,
        s.serial,
      ],
    );
    await db.query(
      `INSERT INTO settlement_line_results (region_code, settlement_id, line_no, catalogue_code,
         category, outcome, claimed_fen, payable_fen, reasons)
       VALUES ($1, $2, $3, NULL, $4, $5, $6, $7, $8::text[])`,
      [
        s.regionCode,
        k.settlementId,
        i + 1,
        l.category,
        l.payableFen === l.claimedFen ? 'payable' : l.payableFen === 0 ? 'rejected' : 'partial',
        l.claimedFen,
        l.payableFen,
        l.payableFen === l.claimedFen ? [] : ['over_price_cap'],
      ],
    );
  }
}

/** A settlement's negative twin (结算撤销) and its correcting transaction. */
export async function reverseFixtureSettlement(
  db: Database,
  actor: Actor,
  input: { regionCode: string; settlementId: string; serial: string; month: string; on: IsoDate },
): Promise<string> {
  const r = await db.query(
    `SELECT visit_id, institution_id, line_count, claimed_fen, fund_fen, rejected_fen,
       ledger_transaction_id FROM settlement_settlements WHERE region_code = $1 AND id = $2`,
    [input.regionCode, input.settlementId],
  );
  const row = r.rows[0];
  if (row === undefined) throw new Error(`fixture reverse: ${input.settlementId} not found`);
  const original = await db.query(
    `SELECT p.side, a.code, p.amount FROM ledger_postings p
       JOIN ledger_transactions t ON t.seq = p.tx_seq
       JOIN ledger_accounts a ON a.id = p.account_id
      WHERE t.id = $1`,
    [String(row['ledger_transaction_id'])],
  );
  const reversalId = `stl_${hex16(`${input.settlementId}:reversal`)}`;
  const txId = `settlement:${input.regionCode}:${reversalId}:reversal`;
  const posted = await postTransaction(db, actor, {
    id: txId,
    effectiveDate: input.on,
    source: { type: 'settlement_reversal', id: reversalId },
    corrects: String(row['ledger_transaction_id']),
    postings: original.rows.map((p) => ({
      segment: input.regionCode,
      account: String(p['code']),
      side: p['side'] === 'D' ? ('credit' as const) : ('debit' as const),
      amountFen: Number(p['amount']),
    })),
  });
  if (!posted.ok) throw new Error(`fixture reverse: ${posted.message}`);
  await db.query(
    `UPDATE settlement_settlements SET status = 'reversed' WHERE region_code = $1 AND id = $2`,
    [input.regionCode, input.settlementId],
  );
  await db.query(
    `INSERT INTO settlement_settlements (region_code, id, visit_id, institution_id, kind, reverses,
       serial, accounting_month, line_count, claimed_fen, fund_fen, rejected_fen, status,
       ledger_transaction_id)
     SELECT region_code, $3, visit_id, institution_id, 'reversal', id, $4, $5, -line_count,
       -claimed_fen, -fund_fen, -rejected_fen, 'active', $6
       FROM settlement_settlements WHERE region_code = $1 AND id = $2`,
    [input.regionCode, input.settlementId, reversalId, input.serial, input.month, txId],
  );
  return reversalId;
}
