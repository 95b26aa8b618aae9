import { createHash } from 'node:crypto';

/**
 * The reissue of failed payroll lines by hand (pure; docs/benefits.md, "Reissue by hand"): an
 * off-cycle batch of a city pays failed lines again before the next month's run. The checker
 * approves the exact payload below — the lines, their amounts and the card accounts in force on the
 * proposal's day — and the apply rebuilds it from the database, so a line reissued, blocked or
 * re-accounted meanwhile no longer fits.
 */
export const REISSUE_APPROVAL_ACTION = 'benefits.payroll.reissue';

/** At most this many lines in one batch (a handler's selection, not a run). */
export const REISSUE_BATCH_LINES_MAX = 500;

export type ReissueRefusalCode =
  | 'benefit.reissue_line_not_failed'
  | 'benefit.reissue_already_reissued'
  | 'benefit.reissue_after_death'
  | 'benefit.reissue_after_stop'
  | 'benefit.reissue_after_survivor_end'
  | 'benefit.reissue_after_retirement'
  | 'benefit.reissue_after_missing'
  | 'benefit.reissue_no_card_account'
  | 'benefit.reissue_released'
  | 'benefit.reissue_batch_not_found'
  | 'benefit.reissue_batch_not_applied'
  | 'benefit.reissue_batch_file_not_issued';

export type ReissueBlock =
  | 'reissued'
  | 'after_death'
  | 'after_stop'
  | 'after_survivor_end'
  | 'after_retirement'
  | 'after_missing'
  | 'released'
  | 'no_account';

const BLOCK_CODE: Readonly<Record<ReissueBlock, ReissueRefusalCode>> = {
  reissued: 'benefit.reissue_already_reissued',
  after_death: 'benefit.reissue_after_death',
  after_stop: 'benefit.reissue_after_stop',
  after_survivor_end: 'benefit.reissue_after_survivor_end',
  after_retirement: 'benefit.reissue_after_retirement',
  after_missing: 'benefit.reissue_after_missing',
  released: 'benefit.reissue_released',
  no_account: 'benefit.reissue_no_card_account',
};

const BLOCK_TEXT: Readonly<Record<ReissueBlock, string>> = {
  reissued: 'already paid again (by a run or by hand)',
  after_death: "a worker's item for a month after the worker's recorded death",
  after_stop: 'an entitlement a stop of benefits ended, for a month after the stop',
  after_survivor_end: "a survivor's pension ended or suspended, for a month after the change",
  after_retirement:
    "a 伤残津贴 a retirement ended, for a month after the retirement (netted in the retirement's overpayment)",
  after_missing:
    "a worker's item the whereabouts-unknown event (第四十一条) ended, for a month after the accident's",
  released:
    'its liability was released (owed to no one: payroll-release.ts, or a death reversed it)',
  no_account: 'no social-security card account in force now',
};

export function reissueBlockCode(block: ReissueBlock): ReissueRefusalCode {
  return BLOCK_CODE[block];
}

export function reissueBlockText(block: ReissueBlock): string {
  return BLOCK_TEXT[block];
}

/** One line of the batch as the checker approves it. */
export type ReissuePayloadLine = {
  /** The failed line paid again. */
  reissueOf: string;
  /** The month it was owed for. */
  month: string;
  entitlementId: string;
  workerId: string;
  kind: string;
  expenseAccount: string;
  amountFen: number;
  bankName: string;
  accountNumber: string;
  accountName: string;
  accountValidFrom: string;
};

export type ReissuePayload = {
  batchId: string;
  regionCode: string;
  accountsOn: string;
  lines: ReissuePayloadLine[];
  lineCount: number;
  totalFen: number;
};

/**
 * The batch's id derives from the city, the day, the failed lines named (sorted) and the
 * generation: proposing the same selection again the same day answers the same batch while it is
 * live, so a retried request writes nothing twice; after a dead one (its approval rejected or
 * expired, nothing written) the proposal takes the next generation, a new batch. Generation 0 is
 * the key without a suffix (the ids of batches proposed before generations existed).
 */
export function reissueBatchId(
  regionCode: string,
  accountsOn: string,
  lineIds: readonly string[],
  generation = 0,
) {
  const key = lineSelectionKey(regionCode, accountsOn, lineIds, generation);
  return `prb_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}

/**
 * A by-hand selection of failed lines as an id's key: the city, the day, the lines (sorted) and
 * the generation (0 for the first proposal of the selection that day: no suffix, the ids before
 * generations existed) — a reissue batch's and a release's (payroll-release.ts).
 */
export function lineSelectionKey(
  regionCode: string,
  day: string,
  lineIds: readonly string[],
  generation: number,
): string {
  const tail = generation === 0 ? '' : `|${generation}`;
  return `${regionCode}|${day}|${[...lineIds].sort().join(',')}${tail}`;
}

export function reissuePayload(input: {
  batchId: string;
  regionCode: string;
  accountsOn: string;
  lines: readonly ReissuePayloadLine[];
}): ReissuePayload {
  const lines = [...input.lines].sort((a, b) => (a.reissueOf < b.reissueOf ? -1 : 1));
  return {
    batchId: input.batchId,
    regionCode: input.regionCode,
    accountsOn: input.accountsOn,
    lines,
    lineCount: lines.length,
    totalFen: lines.reduce((s, l) => s + l.amountFen, 0),
  };
}
