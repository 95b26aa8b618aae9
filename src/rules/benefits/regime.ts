import type { IsoDate } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import type { RuleContext } from '../context.ts';
import { lookup, regionChain } from '../parameters/lookup.ts';
import type { ParameterGap } from '../parameters/model.ts';

const REGIME_PATH = 'regulation.benefit_regime';

/** The declared gap of `path` covering `date`, searched region → province → national. */
function declaredGap(ctx: RuleContext, path: string, date: IsoDate): ParameterGap | null {
  for (const region of regionChain(ctx.region)) {
    const def = ctx.rules.regions.get(region)?.get(path);
    const gap = def?.gaps.find((g) => g.from <= date && date <= g.until);
    if (gap !== undefined) return gap;
  }
  return null;
}

/**
 * Which text's benefit items and standards apply to an injury on `injuryDate` (parameter
 * `regulation.benefit_regime`), read before anything else. Only the 2010 revision of
 * 《工伤保险条例》 is held; an injury before 2011-01-01 falls in the parameter's declared gap and is
 * refused with the gap's reason and its list of what is missing (the 2003 text's values, the
 * transition rule of 国务院令第586号), instead of the refusal of whichever value happens to be read
 * first.
 */
export function benefitRegime(
  ctx: RuleContext,
  injuryDate: IsoDate,
): Result<string, 'rules.parameter_missing'> {
  const found = lookup(ctx.rules, ctx.region, REGIME_PATH, injuryDate);
  if (found?.value.text !== undefined) return ok(found.value.text);
  const at = { path: REGIME_PATH, region: ctx.region, date: injuryDate };
  const gap = declaredGap(ctx, REGIME_PATH, injuryDate);
  if (gap === null) {
    return refuse(
      'rules.parameter_missing',
      `no text's benefit rules are loaded for an injury on ${injuryDate} (${REGIME_PATH} has no value and no declared gap that day)`,
      at,
    );
  }
  const missing = gap.missing ?? [];
  return refuse(
    'rules.parameter_missing',
    `an injury on ${injuryDate} falls in the declared gap ${gap.from} … ${gap.until} of ${REGIME_PATH}: ${gap.reason}.${missing.length === 0 ? '' : ` Missing: ${missing.join('; ')}.`}`,
    { ...at, gap: { from: gap.from, until: gap.until, reason: gap.reason, missing } },
  );
}
