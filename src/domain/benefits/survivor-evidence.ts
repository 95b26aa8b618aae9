import type { IsoDate } from '../../kernel/dates.ts';
import { compare, fromInt, type Rational } from '../../kernel/rational.ts';
import { citationText } from '../../rules/context.ts';
import { lookup } from '../../rules/parameters/lookup.ts';
import { KEY_SETS, type RuleSet } from '../../rules/parameters/model.ts';
import type { DependantRelation } from './death-case.ts';

/**
 * The papers each 供养亲属 hands in before a death decision pays him, where the province says so:
 * 《河南省工伤保险条例》第三十四条第二款 "工伤职工的供养亲属凭工伤认定决定、劳动能力鉴定结论、公安户籍管理机构出具的
 * 供养亲属身份证明、街道办事处或者乡镇人民政府出具的无生活来源的证明、民政部门出具的孤寡老人或者孤儿的证明、养子女
 * （养父母）的公证书等有关材料享受工伤保险待遇。" (values/410000/survivor-evidence.yaml). A region whose
 * rules hold no `survivors.evidence.kinds` requires none (浙江, the national 条例). Pure.
 */
export type SurvivorEvidenceKind = (typeof KEY_SETS.survivor_evidence)[number];
export const SURVIVOR_EVIDENCE_KINDS: readonly SurvivorEvidenceKind[] = KEY_SETS.survivor_evidence;

/** The material item code of each paper: a case material tagged to one dependant. */
export const EVIDENCE_ITEM_CODE = {
  household_identity: 'dependant_household_identity',
  no_income: 'dependant_no_income',
  orphan_or_sole_elder: 'dependant_orphan_or_sole_elder',
  adoption: 'dependant_adoption',
} as const satisfies Record<SurvivorEvidenceKind, string>;
export type EvidenceItemCode = (typeof EVIDENCE_ITEM_CODE)[SurvivorEvidenceKind];

export function evidenceKindOfItem(itemCode: string): SurvivorEvidenceKind | null {
  return SURVIVOR_EVIDENCE_KINDS.find((k) => EVIDENCE_ITEM_CODE[k] === itemCode) ?? null;
}

export type SurvivorEvidenceRule = {
  kinds: ReadonlySet<SurvivorEvidenceKind>;
  /** The relations asked for the 无生活来源 proof (our reading of 第三十四条第二款, see the YAML). */
  noIncomeRelations: ReadonlySet<DependantRelation>;
  citation: string;
};

/** The rule in force on `on` (the date of death) for the region, or null: nothing required. */
export function survivorEvidenceRule(
  rules: RuleSet,
  regionCode: string,
  on: IsoDate,
): SurvivorEvidenceRule | null {
  const kinds = lookup(rules, regionCode, 'survivors.evidence.kinds', on);
  if (kinds?.value.table === undefined) return null;
  const relations = lookup(rules, regionCode, 'survivors.evidence.no_income_relations', on);
  const required = onesOf(kinds.value.table);
  return {
    kinds: new Set(SURVIVOR_EVIDENCE_KINDS.filter((k) => required.has(k))),
    // Without the relation table the text's unqualified list applies: every relation.
    noIncomeRelations: new Set(
      KEY_SETS.dependant_relation.filter(
        (r) => relations?.value.table === undefined || onesOf(relations.value.table).has(r),
      ),
    ),
    citation: citationText(kinds.value),
  };
}

function onesOf(table: ReadonlyMap<string, Rational | null>): Set<string> {
  const one = fromInt(1);
  return new Set([...table].filter(([, v]) => v !== null && compare(v, one) === 0).map(([k]) => k));
}

export type EvidenceDependant = {
  id: string;
  ordinal: number;
  relation: DependantRelation;
  orphanOrSoleElder: boolean;
  adoptive: boolean;
  /** Who the person is across re-recordings (the ID number): a paper follows the person, not the row. */
  person: string;
};

/** The papers one dependant needs under the rule, in the article's order. */
export function evidenceNeeded(
  rule: SurvivorEvidenceRule,
  d: Omit<EvidenceDependant, 'id' | 'ordinal' | 'person'>,
): SurvivorEvidenceKind[] {
  const applies: Record<SurvivorEvidenceKind, boolean> = {
    household_identity: true,
    no_income: rule.noIncomeRelations.has(d.relation),
    orphan_or_sole_elder: d.orphanOrSoleElder,
    adoption: d.adoptive && (d.relation === 'child' || d.relation === 'parent'),
  };
  return SURVIVOR_EVIDENCE_KINDS.filter((k) => rule.kinds.has(k) && applies[k]);
}

export type MissingEvidence = {
  dependantId: string;
  ordinal: number;
  relation: DependantRelation;
  missing: SurvivorEvidenceKind[];
};

/**
 * Every dependant short of a paper, with all that is missing at once (the handler asks for them
 * in one go). `papers`: the case's materials tagged to a person, withdrawn ones left out.
 */
export function missingEvidence(
  rule: SurvivorEvidenceRule,
  dependants: readonly EvidenceDependant[],
  papers: readonly { person: string; kind: SurvivorEvidenceKind }[],
): MissingEvidence[] {
  return dependants.flatMap((d) => {
    const { missing } = evidenceOfDependant(rule, d, papers);
    return missing.length === 0
      ? []
      : [{ dependantId: d.id, ordinal: d.ordinal, relation: d.relation, missing }];
  });
}

/** One dependant's papers: asked for under the rule, on file for the person, still missing. */
export type DependantEvidence = {
  dependantId: string;
  required: SurvivorEvidenceKind[];
  onFile: SurvivorEvidenceKind[];
  missing: SurvivorEvidenceKind[];
};

/**
 * The same reckoning as the approval's (`missingEvidence`), per dependant, for the case page: a
 * paper on file that the rule does not ask of him is listed too (handed in, not counted against).
 */
export function evidenceOfDependant(
  rule: SurvivorEvidenceRule,
  d: EvidenceDependant,
  papers: readonly { person: string; kind: SurvivorEvidenceKind }[],
): DependantEvidence {
  const held = new Set(papers.filter((p) => p.person === d.person).map((p) => p.kind));
  const required = evidenceNeeded(rule, d);
  return {
    dependantId: d.id,
    required,
    onFile: SURVIVOR_EVIDENCE_KINDS.filter((k) => held.has(k)),
    missing: required.filter((k) => !held.has(k)),
  };
}

const KIND_TEXT: Record<SurvivorEvidenceKind, { zh: string; en: string }> = {
  household_identity: { zh: '户籍身份证明', en: 'household-register identity proof' },
  no_income: { zh: '无生活来源证明', en: 'proof of no source of living' },
  orphan_or_sole_elder: { zh: '孤寡老人或者孤儿证明', en: 'proof of 孤寡老人 or orphan status' },
  adoption: { zh: '养子女（养父母）公证书', en: 'notarised adoption certificate' },
};

const RELATION_TEXT: Record<DependantRelation, { zh: string; en: string }> = {
  spouse: { zh: '配偶', en: 'spouse' },
  child: { zh: '子女', en: 'child' },
  parent: { zh: '父母', en: 'parent' },
  grandparent: { zh: '祖父母、外祖父母', en: 'grandparent' },
  grandchild: { zh: '孙子女、外孙子女', en: 'grandchild' },
  sibling: { zh: '兄弟姐妹', en: 'sibling' },
};

/**
 * The refusal's message in Chinese, then English: each dependant by number and relation (no name,
 * no ID number: the message may reach logs), then what is missing.
 */
export function missingEvidenceMessage(missing: readonly MissingEvidence[]): string {
  const zh = missing
    .map(
      (m) =>
        `供养亲属${m.ordinal + 1}（${RELATION_TEXT[m.relation].zh}）缺${m.missing.map((k) => KIND_TEXT[k].zh).join('、')}`,
    )
    .join('；');
  const en = missing
    .map(
      (m) =>
        `dependant ${m.ordinal + 1} (${RELATION_TEXT[m.relation].en}) lacks ${m.missing.map((k) => KIND_TEXT[k].en).join(', ')}`,
    )
    .join('; ');
  return `供养亲属证明材料不全：${zh}。Survivors' evidence incomplete: ${en}. Upload each as a material of the case tagged to the dependant, then approve again.`;
}
