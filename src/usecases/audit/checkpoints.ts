import { desc } from 'drizzle-orm';
import type { Database, Executor } from '../../db/client.ts';
import { auditCheckpoints } from '../../db/schema.ts';
import { type Checkpoint, type SigningKey, signCheckpoint } from '../../domain/audit/checkpoint.ts';
import { chainHead } from './chain-head.ts';

function fromRow(r: typeof auditCheckpoints.$inferSelect): Checkpoint {
  return { ...r, at: r.at.toISOString() };
}

export async function listCheckpoints(ex: Executor): Promise<Checkpoint[]> {
  const rows = await ex.orm.select().from(auditCheckpoints).orderBy(auditCheckpoints.seq);
  return rows.map(fromRow);
}

export type CheckpointOutcome =
  | { written: true; checkpoint: Checkpoint }
  | {
      written: false;
      reason: 'empty_chain' | 'head_already_signed';
      checkpoint: Checkpoint | null;
    };

/**
 * Signs the chain head as committed now and stores the checkpoint (append-only table). Nothing is
 * written while the chain is empty or when the head is already signed (an idle hour adds nothing).
 * The head is read without a lock: a checkpoint of seq N stays true whatever is appended after N.
 */
export async function writeCheckpoint(
  db: Database,
  key: SigningKey,
  now: Date = new Date(),
): Promise<CheckpointOutcome> {
  return db.transaction(async (tx) => {
    const head = await chainHead(tx);
    const [latest] = await tx.orm
      .select()
      .from(auditCheckpoints)
      .orderBy(desc(auditCheckpoints.seq))
      .limit(1);
    const last = latest ? fromRow(latest) : null;
    if (head.seq === 0) return { written: false, reason: 'empty_chain', checkpoint: null };
    if (last && last.seq >= head.seq)
      return { written: false, reason: 'head_already_signed', checkpoint: last };
    const checkpoint = signCheckpoint(key, head, now.toISOString());
    // Two schedulers (two server processes) may sign the same head: the first one stands.
    const inserted = await tx.orm
      .insert(auditCheckpoints)
      .values({ ...checkpoint, at: new Date(checkpoint.at) })
      .onConflictDoNothing()
      .returning({ seq: auditCheckpoints.seq });
    if (inserted.length === 0)
      return { written: false, reason: 'head_already_signed', checkpoint: null };
    return { written: true, checkpoint };
  });
}
