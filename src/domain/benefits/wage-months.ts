import { addMonths, type IsoDate, monthOf } from '../../kernel/dates.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';

/**
 * 本人工资 (《工伤保险条例》第六十四条第二款: "本人工资，是指工伤职工因工作遭受事故伤害或者患职业病前12个月平均月缴费工资。"):
 * the wages of the 12 calendar months before the month of the injury. Each month comes from the
 * employer's payroll declaration (the latest version of the month, issue 10) where one holds a line
 * for the worker, else from the handler with evidence; the calculator averages them and clamps the
 * average to 60 %–300 % of the average wage (the same paragraph's second sentence).
 */
export type WageSource = 'declaration' | 'entered';

export type WageMonth = {
  /** YYYY-MM */
  month: string;
  wageFen: number;
  source: WageSource;
  /** The declaration version the wage was read from (declared months only). */
  declarationId: string | null;
};

export type DeclaredWage = { month: string; wageFen: number; declarationId: string };
export type EnteredWage = { month: string; wageFen: number };

export type WageRefusalCode =
  | 'benefit.wage_month_outside'
  | 'benefit.wage_month_declared'
  | 'benefit.wage_evidence_required'
  | 'benefit.wages_missing';

/** The 12 months before the injury's month, oldest first ('2025-03-10' → 2024-03 … 2025-02). */
export function wageWindow(injuryDate: IsoDate): string[] {
  const first = addMonths(`${monthOf(injuryDate)}-01`, -12);
  return Array.from({ length: 12 }, (_, i) => monthOf(addMonths(first, i)));
}

/**
 * The wage months of a decision: declared months as declared (a handler cannot overwrite them),
 * entered months only inside the window, only where nothing is declared, and only with evidence.
 * Months with neither stay out: the average is over the months there are (a worker hired less
 * than 12 months before the injury). Refuses an empty result.
 */
export function mergeWageMonths(input: {
  injuryDate: IsoDate;
  declared: readonly DeclaredWage[];
  entered: readonly EnteredWage[];
  evidence: string | null;
}): Result<WageMonth[], WageRefusalCode> {
  const window = wageWindow(input.injuryDate);
  const declared = new Map(input.declared.map((d) => [d.month, d]));
  const entered = new Map<string, EnteredWage>();
  for (const e of input.entered) {
    if (!window.includes(e.month))
      return refuse(
        'benefit.wage_month_outside',
        `month ${e.month} is not one of the 12 months before the injury (${window[0]} … ${window[11]})`,
        { month: e.month, window },
      );
    if (declared.has(e.month))
      return refuse(
        'benefit.wage_month_declared',
        `month ${e.month} is declared by the employer; a declared wage is not entered by hand`,
        { month: e.month },
      );
    entered.set(e.month, e);
  }
  if (entered.size > 0 && (input.evidence === null || input.evidence.trim() === ''))
    return refuse(
      'benefit.wage_evidence_required',
      'wages entered by hand need the evidence they come from (a note or material reference)',
      { months: [...entered.keys()] },
    );
  const months: WageMonth[] = [];
  for (const month of window) {
    const d = declared.get(month);
    const e = entered.get(month);
    if (d !== undefined)
      months.push({
        month,
        wageFen: d.wageFen,
        source: 'declaration',
        declarationId: d.declarationId,
      });
    else if (e !== undefined)
      months.push({ month, wageFen: e.wageFen, source: 'entered', declarationId: null });
  }
  if (months.length === 0)
    return refuse(
      'benefit.wages_missing',
      `no wage for any of the 12 months before the injury (${window[0]} … ${window[11]}): enter them with evidence`,
      { window },
    );
  return ok(months);
}
