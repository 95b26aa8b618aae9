import type { Executor } from '../../db/client.ts';
import {
  intOf,
  intOrNullOf,
  jsonOf,
  type Row,
  textArrayOf,
  textOf,
  textOrNullOf,
} from '../../db/rows.ts';
import type {
  AdjudicatedLine,
  AdjudicationInput,
  CaseOutcome,
  CatalogueItemKind,
} from '../../domain/settlement/adjudicate.ts';
import { invariant } from '../../kernel/assert.ts';
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

/** A json object of the query below (a row_to_json or json_agg element) as a row. */
function asRow(v: unknown, what: string): Row {
  invariant(
    v !== null && typeof v === 'object' && !Array.isArray(v),
    `${what} is not a json object`,
  );
  // Safe: just checked to be a non-array object; its columns are read by the typed readers.
  return v as Row;
}

/** A json column holding an array of objects (built by json_agg in the query below). */
function jsonRows(row: Row, name: string): Row[] {
  const v = jsonOf(row, name);
  invariant(Array.isArray(v), `column ${name} is not a json array`);
  return v.map((x: unknown) => asRow(x, `an element of ${name}`));
}

function lineOf(row: Row): AdjudicatedLine {
  return {
    lineNo: intOf(row, 'line_no'),
    ownCode: textOf(row, 'own_code'),
    servedOn: textOf(row, 'served_on'),
    quantityMilli: intOf(row, 'quantity_milli'),
    unitPriceFen: intOf(row, 'unit_price_fen'),
    amountFen: intOf(row, 'amount_fen'),
  };
}

function codeMapOf(row: Row): AdjudicationInput['codeMaps'][number] {
  return {
    ownCode: textOf(row, 'own_code'),
    validFrom: textOf(row, 'valid_from'),
    validTo: textOrNullOf(row, 'valid_to'),
    catalogueCode: textOf(row, 'catalogue_code'),
  };
}

function catalogueRowOf(row: Row): AdjudicationInput['catalogue'][number] {
  return {
    code: textOf(row, 'code'),
    validFrom: textOf(row, 'valid_from'),
    validTo: textOrNullOf(row, 'valid_to'),
    kind: kindOf(textOf(row, 'kind')),
    priceCapFen: intOrNullOf(row, 'price_cap_fen'),
    quantityLimit: intOrNullOf(row, 'quantity_limit'),
  };
}

function earlierLineOf(row: Row): AdjudicationInput['earlierLines'][number] {
  return {
    catalogueCode: textOf(row, 'catalogue_code'),
    servedOn: textOf(row, 'served_on'),
    quantityMilli: intOf(row, 'quantity_milli'),
    amountFen: intOf(row, 'amount_fen'),
  };
}

function agreementOf(row: Row): AdjudicationInput['agreement'] {
  const a = jsonOf(row, 'agreement');
  if (a === null) return null;
  const r = asRow(a, 'agreement');
  const scopes = jsonOf(r, 'scopes');
  return {
    scopes: Array.isArray(scopes) ? scopes.map(String) : [],
    validFrom: textOf(r, 'valid_from'),
    validTo: textOf(r, 'valid_to'),
  };
}

/**
 * Everything the adjudication reads, in one statement for any number of visits (issue 13: a
 * settlement reads it twice, in its plan and again under the visit's lock; seven round trips each
 * were most of its statements; ADR 0019: a batch of settlements reads all its visits at once).
 * Hand SQL on the measured hot path (bench/settlement.bench.ts); each set comes back as a json
 * array of rows, read by the typed mappers above, one row per visit (`ord`, its place in the
 * arrays). The sets and their filters are those of the seven queries this replaced: the active
 * lines by number; the institution's code maps of their own codes; the catalogue rows those maps
 * point to; the case; its injury diagnoses by code; the agreement the visit was opened under, if
 * still active; and the lines of the case's other visits' active settlements that were not
 * rejected (for duplicates), found from the case's visits (its index), each visit's active
 * settlement (the partial unique index `settlement_settlements_one_active`, behind OFFSET 0 so
 * that the planner cannot start from every settlement of the region, as it did with statistics
 * taken on fewer settlements: 3.6 ms a visit at 200 settlements, growing with each).
 */
const READS_SQL = `
SELECT v.ord, r.*
  FROM unnest($1::char(6)[], $2::text[], $3::text[], $4::text[], $5::text[])
       WITH ORDINALITY AS v(region_code, id, institution_id, case_id, agreement_id, ord)
 CROSS JOIN LATERAL (
WITH l AS (
  SELECT line_no, own_code, served_on::text AS served_on, quantity_milli, unit_price_fen, amount_fen
    FROM settlement_fee_lines
   WHERE region_code = v.region_code AND visit_id = v.id AND status = 'active'),
m AS (
  SELECT own_code, valid_from::text AS valid_from, valid_to::text AS valid_to, catalogue_code
    FROM settlement_code_maps
   WHERE institution_id = v.institution_id AND own_code = ANY(ARRAY(SELECT DISTINCT own_code FROM l)))
SELECT
  (SELECT coalesce(json_agg(l ORDER BY l.line_no), '[]') FROM l) AS lines,
  (SELECT coalesce(json_agg(m), '[]') FROM m) AS code_maps,
  (SELECT coalesce(json_agg(c), '[]') FROM (
     SELECT code, valid_from::text AS valid_from, valid_to::text AS valid_to, kind, price_cap_fen,
            quantity_limit
       FROM settlement_catalogue_items WHERE code = ANY(ARRAY(SELECT DISTINCT catalogue_code FROM m))
   ) c) AS catalogue,
  (SELECT row_to_json(k) FROM (
     SELECT accident_date::text AS accident_date, determination_outcome FROM cases
      WHERE region_code = v.region_code AND id = v.case_id) k) AS case_row,
  (SELECT coalesce(json_agg(code ORDER BY code), '[]') FROM case_injury_diagnoses
    WHERE region_code = v.region_code AND case_id = v.case_id) AS diagnoses,
  (SELECT row_to_json(g) FROM (
     SELECT scopes, valid_from::text AS valid_from, valid_to::text AS valid_to
       FROM settlement_agreements WHERE id = v.agreement_id AND status = 'active') g) AS agreement,
  (SELECT coalesce(json_agg(e), '[]') FROM (
     SELECT lr.catalogue_code, fl.served_on::text AS served_on, fl.quantity_milli, fl.amount_fen
       FROM settlement_visits sv
      CROSS JOIN LATERAL (
        SELECT s.id FROM settlement_settlements s
         WHERE s.region_code = sv.region_code AND s.visit_id = sv.id
           AND s.kind = 'settlement' AND s.status = 'active' OFFSET 0) s
       JOIN settlement_line_results lr ON lr.region_code = sv.region_code AND lr.settlement_id = s.id
       JOIN settlement_fee_lines fl
         ON fl.region_code = sv.region_code AND fl.visit_id = sv.id AND fl.line_no = lr.line_no
      WHERE sv.region_code = v.region_code AND sv.case_id = v.case_id AND sv.id <> v.id
        AND lr.outcome <> 'rejected' AND lr.catalogue_code IS NOT NULL) e) AS earlier_lines) r
 ORDER BY v.ord`;

type Reads = Omit<AdjudicationInput, 'visit' | 'foodAllowanceFen'>;

function readsOfRow(row: Row, visit: VisitRow): Reads {
  const c = jsonOf(row, 'case_row');
  if (c === null) throw new Error(`case ${visit.caseId} of visit ${visit.id} vanished`);
  const caseRow = asRow(c, 'case_row');
  return {
    caseFacts: {
      outcome: outcomeOf(textOrNullOf(caseRow, 'determination_outcome')),
      accidentDate: textOf(caseRow, 'accident_date'),
      injuryDiagnoses: textArrayOf(row, 'diagnoses'),
    },
    agreement: agreementOf(row),
    lines: jsonRows(row, 'lines').map(lineOf),
    codeMaps: jsonRows(row, 'code_maps').map(codeMapOf),
    catalogue: jsonRows(row, 'catalogue').map(catalogueRowOf),
    earlierLines: jsonRows(row, 'earlier_lines').map(earlierLineOf),
  };
}

/** The reads of each visit, in the visits' order. */
async function readsOfAll(ex: Executor, visits: readonly VisitRow[]): Promise<Reads[]> {
  if (visits.length === 0) return [];
  const col = <K extends keyof VisitRow>(k: K) => visits.map((v) => v[k]);
  const r = await ex.query(READS_SQL, [
    col('regionCode'),
    col('id'),
    col('institutionId'),
    col('caseId'),
    col('agreementId'),
  ]);
  invariant(r.rows.length === visits.length, 'the adjudication reads answer one row per visit');
  return r.rows.map((row, i) => readsOfRow(row, visits[i]!));
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
  const [one] = await adjudicationInputsOf(ex, [visit], rules);
  invariant(one !== undefined, 'one visit, one adjudication input');
  return one;
}

/**
 * The adjudication inputs of many visits, in their order, read in one statement (ADR 0019): a
 * visit whose food allowance the rules refuse gets that refusal and is not read.
 */
export async function adjudicationInputsOf(
  ex: Executor,
  visits: readonly VisitRow[],
  rules: RuleSet,
): Promise<Result<AdjudicationInput, FoodRefusalCode>[]> {
  const food = visits.map((v) => foodAllowanceOf(rules, v));
  const readable = visits.filter((_, i) => food[i]!.ok);
  const reads = await readsOfAll(ex, readable);
  let next = 0;
  return visits.map((visit, i) => {
    const f = food[i]!;
    if (!f.ok) return f;
    const r = reads[next]!;
    next += 1;
    return ok({
      caseFacts: r.caseFacts,
      visit: {
        kind: visit.kind,
        openedOn: visit.openedOn,
        closedOn: visit.closedOn,
        diagnosisCode: visit.diagnosisCode,
      },
      agreement: r.agreement,
      lines: r.lines,
      codeMaps: r.codeMaps,
      catalogue: r.catalogue,
      earlierLines: r.earlierLines,
      foodAllowanceFen: f.value,
    });
  });
}
