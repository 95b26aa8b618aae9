import type { Executor } from '../../db/client.ts';
import { intOf, intOrNullOf, textOf, textOrNullOf } from '../../db/rows.ts';
import type {
  AdjudicatedLine,
  AdjudicationInput,
  CaseOutcome,
  CatalogueItemKind,
} from '../../domain/settlement/adjudicate.ts';
import { ok, type Result } from '../../kernel/result.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import { foodAllowanceFen } from '../../rules/settlement/settlement-rules.ts';
import type { VisitRow } from './his-visits.ts';

/**
 * Loads what the adjudication of a visit reads (src/domain/settlement/adjudicate.ts): the case,
 * its injury diagnoses, the agreement the visit was opened under, the visit's active lines, the
 * institution's code maps and the catalogue rows they point to, and the lines of the case's other
 * visits already settled (for duplicates).
 */
const CATALOGUE_KINDS = ['drug', 'service', 'rehabilitation', 'device'] as const;

function kindOf(text: string): CatalogueItemKind {
  const k = CATALOGUE_KINDS.find((x) => x === text);
  if (k === undefined) throw new Error(`unknown catalogue kind ${text}`);
  return k;
}

function outcomeOf(text: string | null): CaseOutcome {
  if (text === 'recognised' || text === 'deemed' || text === 'not_recognised') return text;
  return null;
}

export async function activeLines(ex: Executor, visit: VisitRow): Promise<AdjudicatedLine[]> {
  const r = await ex.query(
    `SELECT line_no, own_code, served_on::text AS served_on, quantity_milli, unit_price_fen, amount_fen
       FROM settlement_fee_lines WHERE region_code = $1 AND visit_id = $2 AND status = 'active'
      ORDER BY line_no`,
    [visit.regionCode, visit.id],
  );
  return r.rows.map((row) => ({
    lineNo: intOf(row, 'line_no'),
    ownCode: textOf(row, 'own_code'),
    servedOn: textOf(row, 'served_on'),
    quantityMilli: intOf(row, 'quantity_milli'),
    unitPriceFen: intOf(row, 'unit_price_fen'),
    amountFen: intOf(row, 'amount_fen'),
  }));
}

async function caseFacts(ex: Executor, visit: VisitRow): Promise<AdjudicationInput['caseFacts']> {
  const c = await ex.query(
    `SELECT accident_date::text AS accident_date, determination_outcome FROM cases
      WHERE region_code = $1 AND id = $2`,
    [visit.regionCode, visit.caseId],
  );
  const d = await ex.query(
    'SELECT code FROM case_injury_diagnoses WHERE region_code = $1 AND case_id = $2 ORDER BY code',
    [visit.regionCode, visit.caseId],
  );
  const row = c.rows[0];
  if (!row) throw new Error(`case ${visit.caseId} of visit ${visit.id} vanished`);
  return {
    outcome: outcomeOf(textOrNullOf(row, 'determination_outcome')),
    accidentDate: textOf(row, 'accident_date'),
    injuryDiagnoses: d.rows.map((x) => textOf(x, 'code')),
  };
}

async function agreementOf(ex: Executor, visit: VisitRow): Promise<AdjudicationInput['agreement']> {
  const r = await ex.query(
    `SELECT scopes, valid_from::text AS valid_from, valid_to::text AS valid_to FROM settlement_agreements
      WHERE id = $1 AND status = 'active'`,
    [visit.agreementId],
  );
  const row = r.rows[0];
  if (!row) return null;
  const scopes = row['scopes'];
  return {
    scopes: Array.isArray(scopes) ? scopes.map(String) : [],
    validFrom: textOf(row, 'valid_from'),
    validTo: textOf(row, 'valid_to'),
  };
}

async function referenceRows(ex: Executor, visit: VisitRow, lines: readonly AdjudicatedLine[]) {
  const maps = await ex.query(
    `SELECT own_code, valid_from::text AS valid_from, valid_to::text AS valid_to, catalogue_code
       FROM settlement_code_maps WHERE institution_id = $1 AND own_code = ANY($2::text[])`,
    [visit.institutionId, [...new Set(lines.map((l) => l.ownCode))]],
  );
  const codeMaps = maps.rows.map((m) => ({
    ownCode: textOf(m, 'own_code'),
    validFrom: textOf(m, 'valid_from'),
    validTo: textOrNullOf(m, 'valid_to'),
    catalogueCode: textOf(m, 'catalogue_code'),
  }));
  const items = await ex.query(
    `SELECT code, valid_from::text AS valid_from, valid_to::text AS valid_to, kind, price_cap_fen,
            quantity_limit
       FROM settlement_catalogue_items WHERE code = ANY($1::text[])`,
    [[...new Set(codeMaps.map((m) => m.catalogueCode))]],
  );
  const catalogue = items.rows.map((c) => ({
    code: textOf(c, 'code'),
    validFrom: textOf(c, 'valid_from'),
    validTo: textOrNullOf(c, 'valid_to'),
    kind: kindOf(textOf(c, 'kind')),
    priceCapFen: intOrNullOf(c, 'price_cap_fen'),
    quantityLimit: intOrNullOf(c, 'quantity_limit'),
  }));
  return { codeMaps, catalogue };
}

async function earlierLines(
  ex: Executor,
  visit: VisitRow,
): Promise<AdjudicationInput['earlierLines']> {
  const r = await ex.query(
    `SELECT lr.catalogue_code, fl.served_on::text AS served_on, fl.quantity_milli, fl.amount_fen
       FROM settlement_settlements s
       JOIN settlement_visits v ON v.region_code = s.region_code AND v.id = s.visit_id
       JOIN settlement_line_results lr ON lr.region_code = s.region_code AND lr.settlement_id = s.id
       JOIN settlement_fee_lines fl
         ON fl.region_code = s.region_code AND fl.visit_id = s.visit_id AND fl.line_no = lr.line_no
      WHERE v.region_code = $1 AND v.case_id = $2 AND v.id <> $3
        AND s.kind = 'settlement' AND s.status = 'active' AND lr.outcome <> 'rejected'
        AND lr.catalogue_code IS NOT NULL`,
    [visit.regionCode, visit.caseId, visit.id],
  );
  return r.rows.map((x) => ({
    catalogueCode: textOf(x, 'catalogue_code'),
    servedOn: textOf(x, 'served_on'),
    quantityMilli: intOf(x, 'quantity_milli'),
    amountFen: intOf(x, 'amount_fen'),
  }));
}

export type FoodRefusalCode = 'rules.parameter_missing' | 'rules.not_applicable';

/**
 * 住院伙食补助费 of a visit: a stay in hospital (an inpatient visit, or a rehabilitation visit with a
 * discharge day, i.e. 住院康复) once discharged — 《浙江省工伤保险条例》第二十四条第一款 "工伤职工住院
 * 进行治疗或者康复期间的伙食补助费…根据住院期间的实际天数计算确定" (docs/settlement.md). Before
 * discharge the stay has no day count: 0. A parameter the rules lack is a refusal, not a silent 0.
 */
export function foodAllowanceOf(rules: RuleSet, visit: VisitRow): Result<number, FoodRefusalCode> {
  const stay = visit.kind === 'inpatient' || visit.kind === 'rehabilitation';
  if (!stay || visit.closedOn === null) return ok(0);
  const food = foodAllowanceFen(rules, visit.regionCode, {
    admittedOn: visit.openedOn,
    dischargedOn: visit.closedOn,
  });
  return food.ok ? ok(food.value.amountFen) : food;
}

/** The adjudication input of a visit, with the food allowance of its stay from the rules. */
export async function adjudicationInputOf(
  ex: Executor,
  visit: VisitRow,
  rules: RuleSet,
): Promise<Result<AdjudicationInput, FoodRefusalCode>> {
  const food = foodAllowanceOf(rules, visit);
  if (!food.ok) return food;
  const lines = await activeLines(ex, visit);
  const reference = await referenceRows(ex, visit, lines);
  return ok({
    caseFacts: await caseFacts(ex, visit),
    visit: {
      kind: visit.kind,
      openedOn: visit.openedOn,
      closedOn: visit.closedOn,
      diagnosisCode: visit.diagnosisCode,
    },
    agreement: await agreementOf(ex, visit),
    lines,
    ...reference,
    earlierLines: await earlierLines(ex, visit),
    foodAllowanceFen: food.value,
  });
}
