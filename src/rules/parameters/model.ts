import type { IsoDate } from '../../kernel/dates.ts';
import type { Rational } from '../../kernel/rational.ts';

/** Where a value comes from. `confidence` repeats the domain-spec label (V verified, S secondary, M unverified). */
export type Citation = {
  readonly instrument: string;
  readonly article: string;
  readonly url?: string | undefined;
  readonly confidence?: 'V' | 'S' | 'M' | undefined;
  /** Verbatim sentence(s) of the held law text the value rests on (checked by quotes.test.ts). */
  readonly quote?: string | readonly string[] | undefined;
  /** The quote is the whole article: the note says the text lacks something. */
  readonly wholeArticle?: true | undefined;
};

/**
 * `legislated`: the number is in a law, regulation or official document we hold; `projected`: a
 * forward estimate; `demo`: a placeholder (e.g. average and minimum wages we have no verified
 * figure for). Results built on `demo` values say so in their trace.
 */
export type ParameterStatus = 'legislated' | 'projected' | 'demo';

export type ParameterUnit =
  | 'ratio'
  | 'months'
  | 'times'
  | 'fen'
  | 'years'
  | 'days'
  | 'workdays'
  | 'minutes'
  | 'rounding_rule'
  | 'risk_class'
  | 'text';

/** Named key sets a table parameter must cover exactly (the check reports missing or extra keys). */
export const KEY_SETS = {
  grade_1_10: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  grade_1_6: ['1', '2', '3', '4', '5', '6'],
  grade_5_10: ['5', '6', '7', '8', '9', '10'],
  nursing_level: ['complete', 'mostly', 'partly'],
  survivor_rate: ['spouse', 'other', 'orphan_or_sole_elder_bonus'],
  near_retirement: ['threshold_years', 'step_ratio', 'under_one_year_ratio'],
  /** 供养亲属抚恤金一次性支付的期限 (《浙江省工伤保险条例》第三十五条第二款), in years and 周岁. */
  survivor_one_off: [
    'minor_until_age',
    'incapacity_years',
    'reduction_from_age',
    'floor_from_age',
    'floor_years',
  ],
  reduction_band: ['months_18_23', 'months_24_plus'],
  risk_class: ['1', '2', '3', '4', '5', '6', '7', '8'],
  float_grade_class1: ['base', 'up1', 'up2'],
  float_grade: ['down2', 'down1', 'base', 'up1', 'up2'],
  /** 浮动费率评审: the upper bound of the benefit-cost ratio of each grade below up2 (up2 has none). */
  float_ratio_bound: ['down2', 'down1', 'base', 'up1'],
  /** 人社部发〔2020〕11号: 中小微企业 / 大型企业等其他参保单位 / 机关事业单位 (excluded from the relief). */
  employer_category: ['sme', 'large', 'public_body'],
  /** 工伤认定申请材料 (《工伤保险条例》第十八条第一款, src/rules/values/000000/materials.yaml). */
  case_material: [
    'application_form',
    'labour_relation_proof',
    'medical_diagnosis',
    'occupational_disease_diagnosis',
    'death_certificate',
  ],
  /**
   * 供养亲属的证明材料 (《河南省工伤保险条例》第三十四条第二款, values/410000/survivor-evidence.yaml): the
   * 户籍 identity proof, the 无生活来源 proof, the 孤寡老人/孤儿 proof, the adoption's 公证书.
   */
  survivor_evidence: ['household_identity', 'no_income', 'orphan_or_sole_elder', 'adoption'],
  /** A 供养亲属's relation to the worker who died (case_dependants.relation). */
  dependant_relation: ['spouse', 'child', 'parent', 'grandparent', 'grandchild', 'sibling'],
  gbt4754_2011: Array.from({ length: 96 }, (_, i) => String(i + 1).padStart(2, '0')),
  gbt4754_2017: Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0')),
} as const satisfies Record<string, readonly string[]>;

export type KeySetName = keyof typeof KEY_SETS;

/** A raw value as written in YAML: a decimal string, an integer, a word, or a table of those. */
export type RawScalar = string | number | null;
export type RawValue = RawScalar | Readonly<Record<string, RawScalar>>;

export type ParameterValue = {
  readonly from: IsoDate;
  readonly until?: IsoDate;
  readonly status: ParameterStatus;
  readonly citation?: Citation;
  readonly note?: string;
  /** Why a table entry is null (e.g. a GB/T 4754-2017 division no national class covers). */
  readonly nullReason?: string;
  readonly raw: RawValue;
  /** Parsed once at load time so the hot path never re-parses decimals. */
  readonly scalar?: Rational;
  readonly table?: ReadonlyMap<string, Rational | null>;
  readonly text?: string;
};

/** A declared gap: no value applies on purpose, for a stated reason (the coverage check accepts it). */
export type ParameterGap = {
  readonly from: IsoDate;
  readonly until: IsoDate;
  readonly reason: string;
  /** What would be needed to fill it (the texts or values not held), when the YAML lists them. */
  readonly missing?: readonly string[] | undefined;
};

export type ParameterDefinition = {
  readonly region: string;
  readonly path: string;
  readonly file: string;
  readonly description: string;
  readonly unit: ParameterUnit;
  readonly keys?: KeySetName;
  /** Sorted by `from`. */
  readonly values: readonly ParameterValue[];
  readonly gaps: readonly ParameterGap[];
};

/** A loaded, immutable parameter set; `snapshotId` is the sha256 of its canonical serialisation. */
export type RuleSet = {
  readonly snapshotId: string;
  readonly regions: ReadonlyMap<string, ReadonlyMap<string, ParameterDefinition>>;
  readonly reform?: { readonly name: string; readonly baseSnapshotId: string };
  /**
   * Memo of resolved values by region, then date, then path; an implementation detail of
   * lookup.ts (two levels so that no key string is built per read).
   */
  readonly cache: Map<string, Map<string, Map<string, ResolvedParameter | null>>>;
};

/** A value found for (region, path, date), with the region that actually supplied it (fallback). */
export type ResolvedParameter = {
  readonly path: string;
  readonly region: string;
  readonly unit: ParameterUnit;
  readonly value: ParameterValue;
};
