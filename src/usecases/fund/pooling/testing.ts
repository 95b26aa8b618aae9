import type { Database } from '../../../db/client.ts';
import { intOf } from '../../../db/rows.ts';

/** Test helper: how many ledger transactions are recorded (a rerun must not add any). */
export async function transactionCount(db: Database): Promise<number> {
  const r = await db.query('SELECT count(*)::int AS n FROM ledger_transactions');
  const row = r.rows[0];
  if (row === undefined) throw new Error('count(*) returned no row');
  return intOf(row, 'n');
}
