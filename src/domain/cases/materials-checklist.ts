import type { IsoDate } from '../../kernel/dates.ts';
import { compare, fromInt } from '../../kernel/rational.ts';
import { ok, type Result, refuse } from '../../kernel/result.ts';
import { lookup } from '../../rules/parameters/lookup.ts';
import { KEY_SETS, type RuleSet } from '../../rules/parameters/model.ts';

/**
 * The materials checklist of a case (《工伤保险条例》第十八条第一款: "提出工伤认定申请应当提交下列材料：") and
 * how complete a case's materials are. Which item a case type needs is the dated parameter
 * `materials.checklist.<type>` (src/rules/values/000000/materials.yaml); a case whose worker died
 * needs `materials.checklist.death` too. The missing items are what the one written notice of
 * 第十八条第三款 names: "工伤认定申请人提供材料不完整的，社会保险行政部门应当一次性书面告知工伤认定申请人需要补正
 * 的全部材料。申请人按照书面告知要求补正材料后，社会保险行政部门应当受理。" — all of them, at once.
 */
export type ChecklistItemCode = (typeof KEY_SETS.case_material)[number];
export const CHECKLIST_ITEM_CODES: readonly ChecklistItemCode[] = KEY_SETS.case_material;
/** A file handed in that answers no checklist item (a witness statement, a photo of the site). */
export const OTHER_ITEM = 'other';
export type MaterialItemCode = ChecklistItemCode | typeof OTHER_ITEM;

export function isMaterialItemCode(code: string): code is MaterialItemCode {
  return code === OTHER_ITEM || CHECKLIST_ITEM_CODES.some((c) => c === code);
}

export type CaseTypeForMaterials = 'accident' | 'occupational_disease';

/** `always`: the case type needs it; `death`: only when the worker died. */
export type ChecklistItem = { code: ChecklistItemCode; when: 'always' | 'death' };

/** The items a case needs on `date`, in the law's order; a missing parameter is a refusal. */
export function materialsChecklist(
  rules: RuleSet,
  regionCode: string,
  caseType: CaseTypeForMaterials,
  date: IsoDate,
): Result<ChecklistItem[], 'rules.parameter_missing'> {
  const byType = requiredItems(rules, regionCode, `materials.checklist.${caseType}`, date);
  const death = requiredItems(rules, regionCode, 'materials.checklist.death', date);
  if (byType === null || death === null)
    return refuse('rules.parameter_missing', `no materials checklist in force on ${date}`, {
      regionCode,
      date,
    });
  return ok(
    CHECKLIST_ITEM_CODES.flatMap((code): ChecklistItem[] => {
      if (byType.has(code)) return [{ code, when: 'always' }];
      if (death.has(code)) return [{ code, when: 'death' }];
      return [];
    }),
  );
}

function requiredItems(
  rules: RuleSet,
  regionCode: string,
  path: string,
  date: IsoDate,
): Set<string> | null {
  const table = lookup(rules, regionCode, path, date)?.value.table;
  if (table === undefined) return null;
  const one = fromInt(1);
  return new Set([...table].filter(([, v]) => v !== null && compare(v, one) === 0).map(([k]) => k));
}

export type ChecklistStatus = {
  code: ChecklistItemCode;
  when: 'always' | 'death';
  /** Materials on file for the item (withdrawn ones not counted). */
  count: number;
  present: boolean;
};

export type Completeness = {
  items: ChecklistStatus[];
  /** Items needed and not on file: what the notice to complete (补正) names. */
  missing: ChecklistItemCode[];
  complete: boolean;
};

/**
 * Which items are present and which are missing. `died` null = not known yet: the death items are
 * listed but not counted missing (the case record does not say so yet).
 */
export function materialsCompleteness(
  checklist: readonly ChecklistItem[],
  materials: readonly { itemCode: string; withdrawn: boolean }[],
  died: boolean | null,
): Completeness {
  const counts = new Map<string, number>();
  for (const m of materials)
    if (!m.withdrawn) counts.set(m.itemCode, (counts.get(m.itemCode) ?? 0) + 1);
  const items = checklist.map((item) => {
    const count = counts.get(item.code) ?? 0;
    return { ...item, count, present: count > 0 };
  });
  const missing = items
    .filter((i) => !i.present && (i.when === 'always' || died === true))
    .map((i) => i.code);
  return { items, missing, complete: missing.length === 0 };
}
