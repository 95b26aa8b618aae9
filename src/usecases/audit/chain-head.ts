import { eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.ts';
import { auditChainHead } from '../../db/schema.ts';

/** The chain head as committed (no lock: readers and checkpoints only; writers lock it). */
export async function chainHead(ex: Executor): Promise<{ seq: number; hash: string }> {
  const [head] = await ex.orm
    .select({ seq: auditChainHead.seq, hash: auditChainHead.hash })
    .from(auditChainHead)
    .where(eq(auditChainHead.id, 1));
  if (!head) throw new Error('audit_chain_head row missing: database not migrated');
  return head;
}
