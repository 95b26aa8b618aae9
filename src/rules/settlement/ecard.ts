import { invariant } from '../../kernel/assert.ts';
import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result } from '../../kernel/result.ts';
import { makeContext, readNumber } from '../context.ts';
import type { RuleSet } from '../parameters/model.ts';

/** How long an electronic card code stays valid (status demo: docs/settlement.md). */
export const ECARD_VALIDITY_PATH = 'settlement.ecard.code_validity';

/** The validity in whole minutes in force on `on` (the day the code is issued). */
export function ecardValidityMinutes(
  rules: RuleSet,
  region: string,
  on: IsoDate,
): Result<number, 'rules.parameter_missing'> {
  const minutes = readNumber(makeContext(rules, region, {}, false), ECARD_VALIDITY_PATH, on);
  if (!minutes.ok) return minutes;
  // A fraction of a minute would be a broken file, not a reading to round.
  invariant(minutes.value.den === 1n, `${ECARD_VALIDITY_PATH} must be a whole number of minutes`);
  const count = Number(minutes.value.num);
  invariant(count >= 0, `${ECARD_VALIDITY_PATH} must not be negative`);
  return ok(count);
}
