import { createHash } from 'node:crypto';

/**
 * Whether a settlement is sampled for manual review: the first 32 bits of sha256(settlement id),
 * modulo 100, below the rate. Deterministic: the same settlement is always sampled or never, and
 * an institution cannot predict it without the id the centre assigns.
 */
export function isSampled(settlementId: string, ratePercent: number): boolean {
  const bucket = createHash('sha256').update(settlementId).digest().readUInt32BE(0) % 100;
  return bucket < ratePercent;
}
