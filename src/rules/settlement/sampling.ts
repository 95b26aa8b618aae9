/**
 * Share of settlements sampled for manual review (人工审核), in percent. Not a legal number: no
 * instrument fixes it. It is our operational choice (status demo) until the fund's rules file
 * carries a dated parameter for it; the sampling itself is deterministic
 * (src/domain/settlement/sampling.ts), so a settlement's `sampled` never changes on replay.
 */
export const SETTLEMENT_SAMPLING = { ratePercent: 5, status: 'demo' } as const;
