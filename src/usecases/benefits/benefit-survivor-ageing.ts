import type { Database } from '../../db/client.ts';
import { boolOf, textOf } from '../../db/rows.ts';
import { monthBounds } from '../../domain/benefits/payroll-lines.ts';
import type { Actor } from '../../identity/actor.ts';
import { addMonths, type IsoDate } from '../../kernel/dates.ts';
import { citizenIdFacts } from '../../kernel/ids.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { survivorEndAge } from '../../rules/benefits/survivor-end.ts';
import type { RuleSet } from '../../rules/parameters/model.ts';
import type { ApprovalPolicy } from '../approvals/approval-policy.ts';
import { proposeSurvivorChange } from './benefit-survivor-change.ts';

/**
 * The ageing-out job (docs/benefits.md, "Survivors' pensions end"): for a month of a city, every
 * dependant with an active survivor's pension who reaches `survivors.end_age` (demo 18; 劳社部令第18号
 * not held) in that month, by the birth date in their ID number, gets a proposal `aged_out` on the
 * birthday — still under maker-checker: whether the dependant is wholly unable to work (and so
 * keeps the pension) is the checker's judgement, who rejects the proposal then. A dependant with an
 * open proposal or an applied end is skipped, so a second run of the same month proposes nothing.
 */
export type AgeingOutReport = {
  regionCode: string;
  month: string;
  endAge: number;
  proposed: { dependantId: string; changeId: string; eventOn: IsoDate }[];
  skipped: { dependantId: string; why: 'open_or_ended' }[];
  refused: { dependantId: string; code: string; message: string }[];
};

/**
 * The city's dependants with an active pension and a recorded birth date inside the window, and
 * whether an open proposal or an applied end already covers them. Hand SQL (a correlated EXISTS
 * over two tables), read through rows.ts mappers.
 */
async function candidates(db: Database, regionCode: string, from: IsoDate, to: IsoDate) {
  const r = await db.query(
    `SELECT d.id, d.id_number,
       EXISTS (SELECT 1 FROM benefit_survivor_changes c
               WHERE c.region_code = d.region_code AND c.dependant_id = d.id
                 AND (c.status = 'proposed'
                      OR (c.status = 'applied' AND c.kind NOT IN ('imprisoned', 'released')))) AS open
     FROM case_dependants d
     WHERE d.region_code = $1 AND d.birth_date BETWEEN $2::date AND $3::date
       AND EXISTS (SELECT 1 FROM benefit_entitlements e
                   WHERE e.region_code = d.region_code AND e.dependant_id = d.id
                     AND e.kind = 'survivor_pension' AND e.status = 'active')
     ORDER BY d.id`,
    [regionCode, from, to],
  );
  return r.rows.map((row) => ({
    id: textOf(row, 'id'),
    idNumber: textOf(row, 'id_number'),
    open: boolOf(row, 'open'),
  }));
}

export async function proposeAgeingOut(
  db: Database,
  actor: Actor,
  rules: RuleSet,
  input: { regionCode: string; month: string; policy: ApprovalPolicy; on?: IsoDate | undefined },
): Promise<Result<AgeingOutReport, 'rules.parameter_missing'>> {
  const bounds = monthBounds(input.month);
  const age = survivorEndAge(rules, input.regionCode, bounds.last);
  if (!age.ok) return age;
  const months = age.value.years * 12;
  // A birthday at 29 February reaches the age on 28 February (addMonths): the window is read back
  // from the month's bounds and each birth date confirmed forward below.
  const found = await candidates(
    db,
    input.regionCode,
    addMonths(bounds.first, -months),
    addMonths(bounds.last, -months),
  );
  const report: AgeingOutReport = {
    regionCode: input.regionCode,
    month: input.month,
    endAge: age.value.years,
    proposed: [],
    skipped: [],
    refused: [],
  };
  for (const d of found) {
    if (d.open) {
      report.skipped.push({ dependantId: d.id, why: 'open_or_ended' });
      continue;
    }
    const eventOn = addMonths(citizenIdFacts(d.idNumber).birthDate, months);
    if (eventOn < bounds.first || eventOn > bounds.last) continue;
    const proposed = await proposeSurvivorChange(db, actor, rules, {
      regionCode: input.regionCode,
      dependantId: d.id,
      kind: 'aged_out',
      eventOn,
      reason: `年满${age.value.years}周岁（按身份证号码出生日期，逐月检查）`,
      evidence: `公民身份号码出生日期；${age.value.citation}`,
      on: input.on,
      policy: input.policy,
    });
    if (proposed.ok)
      report.proposed.push({ dependantId: d.id, changeId: proposed.value.id, eventOn });
    else report.refused.push({ dependantId: d.id, code: proposed.code, message: proposed.message });
  }
  return ok(report);
}
