import { addDays, type IsoDate, laterDate } from '../../kernel/dates.ts';
import { KEY_SETS, type ParameterDefinition, type RuleSet } from './model.ts';

export type CheckIssue = {
  file: string;
  region: string;
  path: string;
  code:
    | 'citation_missing'
    | 'date_gap'
    | 'date_overlap'
    | 'table_key_missing'
    | 'table_key_extra'
    | 'shape';
  message: string;
};

/** The window every parameter must cover (values or declared gaps), per the temporal coverage rule. */
export const COVERAGE_WINDOW = { from: '2011-01-01', to: '2030-12-31' } as const;

/**
 * Parameters checked over a longer window. `regulation.benefit_regime` is read first, on the
 * injury date, so it must also say why injuries from the 2003 条例's start (《工伤保险条例》第六十七条:
 * 2004-01-01) to the 2010 revision are refused: its declared gap covers them.
 */
export const WIDER_WINDOWS: Readonly<Record<string, { from: IsoDate; to: IsoDate }>> = {
  'regulation.benefit_regime': { from: '2004-01-01', to: COVERAGE_WINDOW.to },
};

/** The window one parameter must cover: its wider window, or the default. */
export function coverageWindowOf(
  path: string,
  window: { from: IsoDate; to: IsoDate } = COVERAGE_WINDOW,
): { from: IsoDate; to: IsoDate } {
  const wider = WIDER_WINDOWS[path];
  return wider === undefined || wider.from >= window.from
    ? window
    : { ...window, from: wider.from };
}

type Interval = { from: IsoDate; until: IsoDate; what: string };

function coverageIssues(
  def: ParameterDefinition,
  window: { from: IsoDate; to: IsoDate },
): CheckIssue[] {
  const at = { file: def.file, region: def.region, path: def.path };
  const intervals: Interval[] = [
    ...def.values.map((v) => ({
      from: v.from,
      until: v.until ?? window.to,
      what: `value from ${v.from}`,
    })),
    ...def.gaps.map((g) => ({ from: g.from, until: g.until, what: `declared gap from ${g.from}` })),
  ]
    .filter((i) => i.until >= window.from && i.from <= window.to)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const issues: CheckIssue[] = [];
  let cursor = window.from;
  let previous = '(start of window)';
  for (const i of intervals) {
    const from = laterDate(i.from, window.from);
    if (from > cursor) {
      issues.push({
        ...at,
        code: 'date_gap',
        message: `no value and no declared gap from ${cursor} to ${addDays(from, -1)}`,
      });
    } else if (from < cursor) {
      issues.push({
        ...at,
        code: 'date_overlap',
        message: `${i.what} overlaps ${previous} (both apply on ${from})`,
      });
    }
    const next = i.until >= window.to ? addDays(window.to, 1) : addDays(i.until, 1);
    if (next > cursor) cursor = next;
    previous = i.what;
  }
  if (cursor <= window.to) {
    issues.push({
      ...at,
      code: 'date_gap',
      message: `no value and no declared gap from ${cursor} to ${window.to}`,
    });
  }
  return issues;
}

function shapeIssues(def: ParameterDefinition): CheckIssue[] {
  const at = { file: def.file, region: def.region, path: def.path };
  const issues: CheckIssue[] = [];
  for (const v of def.values) {
    if (v.citation === undefined) {
      issues.push({
        ...at,
        code: 'citation_missing',
        message: `value from ${v.from} has no citation`,
      });
    }
    if (def.keys === undefined) {
      if (v.table !== undefined)
        issues.push({
          ...at,
          code: 'shape',
          message: `value from ${v.from} is a table but the parameter declares no keys`,
        });
      continue;
    }
    if (v.table === undefined) {
      issues.push({
        ...at,
        code: 'shape',
        message: `value from ${v.from} must be a table keyed by ${def.keys}`,
      });
      continue;
    }
    const expected: readonly string[] = KEY_SETS[def.keys];
    for (const k of expected) {
      if (!v.table.has(k))
        issues.push({
          ...at,
          code: 'table_key_missing',
          message: `value from ${v.from} lacks key ${k} of ${def.keys}`,
        });
    }
    for (const k of v.table.keys()) {
      if (!expected.includes(k))
        issues.push({
          ...at,
          code: 'table_key_extra',
          message: `value from ${v.from} has key ${k}, not in ${def.keys}`,
        });
    }
  }
  return issues;
}

/** Everything that must fail the build: missing citations, date gaps/overlaps, incomplete tables. */
export function checkRuleSet(
  rules: RuleSet,
  window: { from: IsoDate; to: IsoDate } = COVERAGE_WINDOW,
): CheckIssue[] {
  const issues: CheckIssue[] = [];
  for (const params of rules.regions.values()) {
    for (const def of params.values())
      issues.push(...shapeIssues(def), ...coverageIssues(def, coverageWindowOf(def.path, window)));
  }
  return issues;
}
