import { type IsoDate, inRange } from '../../kernel/dates.ts';
import { type Fen, roundFen } from '../../kernel/money.ts';
import { type RoundingRule, rational } from '../../kernel/rational.ts';

/**
 * Adjudication of a visit's fee lines (docs/settlement.md, docs/settlement-messages.md): what the
 * fund pays for each line and why not the rest. Pure: the use case loads the case, the visit, the
 * agreement in force, the catalogue rows and code maps, the case's earlier settled lines, and
 * passes them here. The same input always gives the same answer, whatever the order of the lines.
 */

/** One rounding rule for every line amount: 金额 = round-half-up(数量 × 单价), as the HIS prints it. */
export const LINE_AMOUNT_ROUNDING: RoundingRule = 'half_up';

/** Quantities travel in thousandths of the catalogue unit (no floats on the wire). */
const MILLI = 1000n;

export type SettlementVisitKind = 'outpatient' | 'inpatient' | 'rehabilitation' | 'device';
export type SettlementCategory = 'medical' | 'rehabilitation' | 'device';
export type CatalogueItemKind = 'drug' | 'service' | 'rehabilitation' | 'device';
export type CaseOutcome = 'recognised' | 'deemed' | 'not_recognised' | null;

/** The names are the contract's (src/contract/settlement/settlement-lines.ts lineReasonCodes). */
export type AdjudicationReason =
  | 'case_not_recognised'
  | 'visit_outside_case_dates'
  | 'visit_outside_agreement'
  | 'diagnosis_unrelated'
  | 'not_in_catalogue'
  | 'unmapped_code'
  | 'over_price_cap'
  | 'over_quantity_limit'
  | 'duplicate_line'
  | 'amount_mismatch'
  | 'served_outside_visit';

export type AdjudicatedLine = {
  lineNo: number;
  ownCode: string;
  servedOn: IsoDate;
  quantityMilli: number;
  unitPriceFen: Fen;
  amountFen: Fen;
};

export type CodeMapRow = {
  ownCode: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  catalogueCode: string;
};

export type CatalogueRow = {
  code: string;
  validFrom: IsoDate;
  validTo: IsoDate | null;
  kind: CatalogueItemKind;
  /** Highest unit price the fund pays; null: no cap. */
  priceCapFen: Fen | null;
  /** Most whole units one visit may claim; null: no limit. */
  quantityLimit: number | null;
};

/** A line already settled (active settlement) on an earlier visit of the same case. */
export type EarlierSettledLine = {
  catalogueCode: string;
  servedOn: IsoDate;
  quantityMilli: number;
  amountFen: Fen;
};

export type AdjudicationInput = {
  caseFacts: { outcome: CaseOutcome; accidentDate: IsoDate; injuryDiagnoses: readonly string[] };
  visit: {
    kind: SettlementVisitKind;
    openedOn: IsoDate;
    closedOn: IsoDate | null;
    diagnosisCode: string;
  };
  /** The agreement in force for the visit (null: none). */
  agreement: { scopes: readonly string[]; validFrom: IsoDate; validTo: IsoDate } | null;
  lines: readonly AdjudicatedLine[];
  codeMaps: readonly CodeMapRow[];
  catalogue: readonly CatalogueRow[];
  earlierLines: readonly EarlierSettledLine[];
  /**
   * 住院伙食补助费 of the stay, computed by the caller from the settlement rules' food-allowance
   * parameters (src/rules/settlement/settlement-rules.ts); paid only when the visit itself is
   * admissible (no visit-level reason).
   */
  foodAllowanceFen: Fen;
};

export type LineResult = {
  lineNo: number;
  outcome: 'payable' | 'partial' | 'rejected';
  claimedFen: Fen;
  payableFen: Fen;
  reasons: AdjudicationReason[];
  catalogueCode: string | null;
  category: SettlementCategory;
};

export type AdjudicationTotals = {
  lineCount: number;
  claimedFen: Fen;
  payableFen: Fen;
  rejectedFen: Fen;
  foodAllowanceFen: Fen;
  /** 工伤基金支付: Σ payable + the food allowance. */
  fundFen: Fen;
  byCategory: Record<SettlementCategory, Fen>;
};

export type Adjudication = { lines: LineResult[]; totals: AdjudicationTotals };

/** round-half-up(quantity × unit price), the amount a line must carry. */
export function lineAmountFen(quantityMilli: number, unitPriceFen: Fen): Fen {
  return roundFen(
    rational(BigInt(quantityMilli) * BigInt(unitPriceFen), MILLI),
    LINE_AMOUNT_ROUNDING,
  );
}

/** A catalogue item's kind decides the ledger expense line it is booked to. */
export function categoryOf(kind: CatalogueItemKind | null): SettlementCategory {
  if (kind === 'rehabilitation') return 'rehabilitation';
  if (kind === 'device') return 'device';
  return 'medical';
}

/** Same code, or the same ICD-10 category (the 3-character prefix: S82.2 is related to S82). */
export function diagnosisRelated(code: string, injury: readonly string[]): boolean {
  const category = code.slice(0, 3);
  return injury.some((d) => d === code || d.slice(0, 3) === category);
}

/** The dated row in force on a day: the latest valid_from ≤ day whose valid_to is open or ≥ day. */
export function inForce<T extends { validFrom: IsoDate; validTo: IsoDate | null }>(
  rows: readonly T[],
  day: IsoDate,
): T | null {
  let best: T | null = null;
  for (const r of rows)
    if (
      inRange(day, r.validFrom, r.validTo ?? undefined) &&
      (!best || r.validFrom > best.validFrom)
    )
      best = r;
  return best;
}

/** Reasons that refuse every line of the visit, whatever the line. */
export function visitReasons(input: AdjudicationInput): AdjudicationReason[] {
  const { caseFacts, visit, agreement } = input;
  const reasons: AdjudicationReason[] = [];
  if (caseFacts.outcome !== 'recognised' && caseFacts.outcome !== 'deemed')
    reasons.push('case_not_recognised');
  if (visit.openedOn < caseFacts.accidentDate) reasons.push('visit_outside_case_dates');
  if (
    agreement === null ||
    !agreement.scopes.includes(visit.kind) ||
    !inRange(visit.openedOn, agreement.validFrom, agreement.validTo)
  )
    reasons.push('visit_outside_agreement');
  if (!diagnosisRelated(visit.diagnosisCode, caseFacts.injuryDiagnoses))
    reasons.push('diagnosis_unrelated');
  return reasons;
}

type Matched = {
  catalogueCode: string | null;
  item: CatalogueRow | null;
  reasons: AdjudicationReason[];
};

function matchLine(input: AdjudicationInput, line: AdjudicatedLine): Matched {
  const maps = input.codeMaps.filter((m) => m.ownCode === line.ownCode);
  const map = inForce(maps, line.servedOn);
  if (map === null) return { catalogueCode: null, item: null, reasons: ['unmapped_code'] };
  const rows = input.catalogue.filter((c) => c.code === map.catalogueCode);
  const item = inForce(rows, line.servedOn);
  if (item === null)
    return { catalogueCode: map.catalogueCode, item: null, reasons: ['not_in_catalogue'] };
  return { catalogueCode: map.catalogueCode, item, reasons: [] };
}

function sameClaim(a: EarlierSettledLine, b: EarlierSettledLine): boolean {
  return (
    a.catalogueCode === b.catalogueCode &&
    a.servedOn === b.servedOn &&
    a.quantityMilli === b.quantityMilli &&
    a.amountFen === b.amountFen
  );
}

/** Line checks that reject the whole line (besides the visit's own reasons). */
function rejectingReasons(
  input: AdjudicationInput,
  line: AdjudicatedLine,
  matched: Matched,
  seen: readonly EarlierSettledLine[],
): AdjudicationReason[] {
  const { visit } = input;
  const reasons: AdjudicationReason[] = [...matched.reasons];
  if (line.servedOn < visit.openedOn || (visit.closedOn !== null && line.servedOn > visit.closedOn))
    reasons.push('served_outside_visit');
  if (line.amountFen !== lineAmountFen(line.quantityMilli, line.unitPriceFen))
    reasons.push('amount_mismatch');
  if (matched.catalogueCode !== null) {
    const claim = { ...line, catalogueCode: matched.catalogueCode };
    if (
      seen.some((s) => sameClaim(s, claim)) ||
      input.earlierLines.some((s) => sameClaim(s, claim))
    )
      reasons.push('duplicate_line');
  }
  return reasons;
}

/** Caps: the unit price paid at most the cap, the quantity at most what is left of the limit. */
function cappedPayable(
  line: AdjudicatedLine,
  item: CatalogueRow,
  usedMilli: number,
): { payableFen: Fen; paidMilli: number; reasons: AdjudicationReason[] } {
  const reasons: AdjudicationReason[] = [];
  let price = line.unitPriceFen;
  if (item.priceCapFen !== null && price > item.priceCapFen) {
    price = item.priceCapFen;
    reasons.push('over_price_cap');
  }
  let paidMilli = line.quantityMilli;
  if (item.quantityLimit !== null) {
    const left = Math.max(0, item.quantityLimit * 1000 - usedMilli);
    if (paidMilli > left) {
      paidMilli = left;
      reasons.push('over_quantity_limit');
    }
  }
  const payable = reasons.length === 0 ? line.amountFen : lineAmountFen(paidMilli, price);
  return { payableFen: Math.min(payable, line.amountFen), paidMilli, reasons };
}

function outcomeOf(claimedFen: Fen, payableFen: Fen): LineResult['outcome'] {
  if (payableFen === 0 && claimedFen > 0) return 'rejected';
  return payableFen === claimedFen ? 'payable' : 'partial';
}

/**
 * Adjudicates every line, in line-number order (duplicates and per-visit quantity limits count
 * the lines before), so the answer does not depend on the order the lines arrive in.
 */
export function adjudicate(input: AdjudicationInput): Adjudication {
  const whole = visitReasons(input);
  const ordered = [...input.lines].sort((a, b) => a.lineNo - b.lineNo);
  const seen: EarlierSettledLine[] = [];
  const usedMilli = new Map<string, number>();
  const lines: LineResult[] = [];
  for (const line of ordered) {
    const matched = matchLine(input, line);
    const rejecting = [...whole, ...rejectingReasons(input, line, matched, seen)];
    const base = {
      lineNo: line.lineNo,
      claimedFen: line.amountFen,
      catalogueCode: matched.catalogueCode,
      category: categoryOf(matched.item?.kind ?? null),
    };
    if (matched.catalogueCode !== null)
      seen.push({ ...line, catalogueCode: matched.catalogueCode });
    if (rejecting.length > 0 || matched.item === null) {
      lines.push({ ...base, outcome: 'rejected', payableFen: 0, reasons: rejecting });
      continue;
    }
    const used = usedMilli.get(matched.item.code) ?? 0;
    const capped = cappedPayable(line, matched.item, used);
    usedMilli.set(matched.item.code, used + capped.paidMilli);
    lines.push({
      ...base,
      outcome: outcomeOf(line.amountFen, capped.payableFen),
      payableFen: capped.payableFen,
      reasons: capped.reasons,
    });
  }
  return { lines, totals: totalsOf(lines, whole.length > 0 ? 0 : input.foodAllowanceFen) };
}

export function totalsOf(lines: readonly LineResult[], foodAllowanceFen: Fen): AdjudicationTotals {
  const byCategory: Record<SettlementCategory, Fen> = { medical: 0, rehabilitation: 0, device: 0 };
  let claimedFen = 0;
  let payableFen = 0;
  for (const l of lines) {
    claimedFen += l.claimedFen;
    payableFen += l.payableFen;
    byCategory[l.category] += l.payableFen;
  }
  return {
    lineCount: lines.length,
    claimedFen,
    payableFen,
    rejectedFen: claimedFen - payableFen,
    foodAllowanceFen,
    fundFen: payableFen + foodAllowanceFen,
    byCategory,
  };
}
