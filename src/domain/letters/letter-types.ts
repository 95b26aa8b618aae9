/**
 * The letters a city issues on an injury case (docs/letters.md): each type has its zh/en label, the
 * 机关代字 fragment that follows the agency's short name in the 发文字号, and one number series
 * per city and year. The three determination outcomes (认定工伤 / 视同工伤 / 不予认定工伤决定书)
 * share the series of `determination_decision`: they are one kind of decision with three results.
 */
export const LETTER_TYPES = [
  'determination_acceptance',
  'determination_not_accepted',
  'determination_materials',
  'determination_suspension',
  'determination_decision',
  'appraisal_conclusion',
  'benefit_decision',
  'benefit_separation',
  'benefit_regrade',
  'benefit_change',
  'benefit_indexation',
] as const;

export type LetterType = (typeof LETTER_TYPES)[number];

export type LetterTypeInfo = {
  /** The document's name as printed (the decision type names its three outcomes). */
  zh: string;
  en: string;
  /** The 机关代字 fragment after the agency's short name: 杭人社 + 工认 → 杭人社工认〔2026〕12号. */
  fragment: string;
};

export const LETTER_TYPE_INFO: Record<LetterType, LetterTypeInfo> = {
  determination_acceptance: {
    zh: '工伤认定申请受理决定书',
    en: 'Decision to accept an application for injury determination',
    fragment: '工认受',
  },
  determination_not_accepted: {
    zh: '工伤认定申请不予受理决定书',
    en: 'Decision not to accept an application for injury determination',
    fragment: '工认不受',
  },
  determination_materials: {
    zh: '工伤认定申请材料补正告知书',
    en: 'Notice to complete the application materials',
    fragment: '工认补',
  },
  determination_suspension: {
    zh: '工伤认定中止通知书',
    en: 'Notice of suspension of the injury determination',
    fragment: '工认止',
  },
  determination_decision: {
    zh: '认定工伤决定书 / 视同工伤决定书 / 不予认定工伤决定书',
    en: 'Injury determination decision (recognised / deemed / not recognised)',
    fragment: '工认',
  },
  appraisal_conclusion: {
    zh: '劳动能力鉴定结论书',
    en: 'Work capacity appraisal conclusion',
    fragment: '劳鉴',
  },
  benefit_decision: {
    zh: '工伤保险待遇核定通知书',
    en: 'Notice of the work-injury benefits determined',
    fragment: '工待',
  },
  benefit_separation: {
    zh: '一次性工伤医疗补助金和一次性伤残就业补助金核定通知书',
    en: 'Notice of the separation grants determined',
    fragment: '工补',
  },
  benefit_regrade: {
    zh: '工伤保险待遇重新核定通知书',
    en: 'Notice of the work-injury benefits determined again after a changed appraisal',
    fragment: '工待重',
  },
  benefit_change: {
    zh: '停止 / 恢复工伤保险待遇通知书、工伤保险待遇更正通知书、工伤职工退休后工伤保险待遇变更通知书、供养亲属抚恤金变更通知书 (one series)',
    en: "Notice of a change to benefits already decided (stop, resumption, correction, retirement, a survivor's change)",
    fragment: '工待变',
  },
  benefit_indexation: {
    zh: '关于调整工伤保险定期待遇的通知 (one per city and year, to everyone whose benefit it changed)',
    en: 'Notice of the yearly indexation of periodic benefits (待遇调整)',
    fragment: '工待调',
  },
};

export function isLetterType(value: string): value is LetterType {
  return (LETTER_TYPES as readonly string[]).includes(value);
}

/**
 * The agency's short name (the stem of the 发文机关代字) of a city: the city's customary one-character
 * abbreviation and 人社 (人力资源和社会保障局): 杭州市 → 杭人社. The abbreviation is the first
 * character of the city's name unless listed here by region code (宁波 writes 甬, its old name).
 * A demo convention, not a list from a held source: docs/letters.md says how to add a city.
 */
export const DOCUMENTED_SHORT_NAMES: Readonly<Record<string, string>> = {
  '330200': '甬',
};

export function agencyShortName(regionCode: string, cityName: string): string {
  const stem = DOCUMENTED_SHORT_NAMES[regionCode] ?? Array.from(cityName)[0];
  if (stem === undefined) throw new Error(`agencyShortName: city ${regionCode} has no name`);
  return `${stem}人社`;
}

/**
 * The 发文字号 after GB/T 9704-2012 §7.2.4: 发文机关代字、年份、发文顺序号; the year in 六角括号
 * 〔〕, the number without leading zeros and without 第 (杭人社工认〔2026〕12号).
 */
export function documentNumber(
  shortName: string,
  type: LetterType,
  year: number,
  n: number,
): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`documentNumber: bad number ${n}`);
  return `${shortName}${LETTER_TYPE_INFO[type].fragment}〔${year}〕${n}号`;
}

/** 成文日期 in Arabic numerals without leading zeros (GB/T 9704-2012 §7.3.5.1): 2026年12月6日. */
export function chineseDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`chineseDate: not an ISO date: ${isoDate}`);
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}
