import { provinceOf } from '../../../kernel/region-codes.ts';

/**
 * The chart of accounts of the work-injury insurance fund, per fund segment (pure definition).
 *
 * Segments: the province (its 6-digit code, e.g. '330000'), the adjustment fund 调剂金 (the province
 * code + '-ADJ', e.g. '330000-ADJ'), and each city (its 6-digit code). Every segment gets the same
 * chart; due-from / due-to accounts exist once per counterparty segment, coded
 * `<chart code>:<counterparty segment>` (e.g. '1151:330100' in the province = due from 杭州).
 * Codes are ours, laid out like the 社会保险基金会计制度 (财会〔2017〕28号) classes: 1 assets,
 * 2 liabilities, 3 reserve / fund balance, 4 income, 5 expense. They are stable: never renumber.
 */
export type AccountType = 'asset' | 'liability' | 'reserve' | 'income' | 'expense';
export type NormalSide = 'D' | 'C';
export type SegmentKind = 'province' | 'adjustment' | 'city';

export type ChartAccount = {
  /** Four-digit chart code. */
  code: string;
  type: AccountType;
  name: string;
  nameEn: string;
  /** Group heading (e.g. 待遇支出 for each benefit kind). */
  group?: string;
  /** A due-from / due-to account: one per counterparty segment. */
  perCounterparty?: true;
};

export function normalSideOf(type: AccountType): NormalSide {
  return type === 'asset' || type === 'expense' ? 'D' : 'C';
}

/** Benefit kinds paid from the fund (条例 §30–§39), one expense account each. */
export const benefitKinds = [
  'medical',
  'hospital_food',
  'travel_for_treatment',
  'rehabilitation',
  'assistive_device',
  'nursing',
  'disability_lump_sum',
  'disability_allowance',
  'separation_medical_grant',
  'funeral',
  'survivor_pension',
  'death_lump_sum',
] as const;
export type BenefitKind = (typeof benefitKinds)[number];

const BENEFIT = '待遇支出';

/** Chart code of the benefit-expense account of each benefit kind. */
export const benefitExpenseAccount: Record<BenefitKind, string> = {
  medical: '5101',
  hospital_food: '5102',
  travel_for_treatment: '5103',
  rehabilitation: '5104',
  assistive_device: '5105',
  nursing: '5106',
  disability_lump_sum: '5107',
  disability_allowance: '5108',
  separation_medical_grant: '5109',
  funeral: '5110',
  survivor_pension: '5111',
  death_lump_sum: '5112',
};

export const DUE_FROM = '1151';
export const DUE_TO = '2151';

export const chartOfAccounts: readonly ChartAccount[] = [
  // Assets
  { code: '1001', type: 'asset', name: '财政专户存款', nameEn: 'Fiscal special account deposits' },
  { code: '1002', type: 'asset', name: '收入户存款', nameEn: 'Collection account deposits' },
  { code: '1003', type: 'asset', name: '支出户存款', nameEn: 'Disbursement account deposits' },
  { code: '1131', type: 'asset', name: '应收工伤保险费', nameEn: 'Contributions receivable' },
  { code: '1132', type: 'asset', name: '暂付款', nameEn: 'Advances and other receivables' },
  {
    code: DUE_FROM,
    type: 'asset',
    name: '应收其他基金段款',
    nameEn: 'Due from another fund segment',
    perCounterparty: true,
  },
  // Liabilities
  {
    code: '2101',
    type: 'liability',
    name: '应付医疗康复机构款',
    nameEn: 'Payable to medical, rehabilitation and device institutions',
  },
  {
    code: '2102',
    type: 'liability',
    name: '应付待遇款',
    nameEn: 'Benefits payable to beneficiaries',
  },
  { code: '2103', type: 'liability', name: '暂收款', nameEn: 'Receipts in suspense' },
  {
    code: DUE_TO,
    type: 'liability',
    name: '应付其他基金段款',
    nameEn: 'Due to another fund segment',
    perCounterparty: true,
  },
  // Reserve / fund balance (equity-like)
  { code: '3001', type: 'reserve', name: '基金结余', nameEn: 'Accumulated fund balance' },
  { code: '3101', type: 'reserve', name: '储备金', nameEn: 'Reserve fund' },
  // Income
  { code: '4101', type: 'income', name: '工伤保险费收入', nameEn: 'Contribution income' },
  { code: '4102', type: 'income', name: '财政补贴收入', nameEn: 'Fiscal subsidy income' },
  { code: '4103', type: 'income', name: '利息收入', nameEn: 'Interest income' },
  { code: '4104', type: 'income', name: '上级补助收入', nameEn: 'Grants from the higher level' },
  {
    code: '4105',
    type: 'income',
    name: '下级上解收入',
    nameEn: 'Remittances from the lower level',
  },
  { code: '4106', type: 'income', name: '其他收入', nameEn: 'Other income' },
  // Expense: benefits by kind
  {
    code: '5101',
    type: 'expense',
    group: BENEFIT,
    name: '工伤医疗费支出',
    nameEn: 'Benefits: medical treatment',
  },
  {
    code: '5102',
    type: 'expense',
    group: BENEFIT,
    name: '住院伙食补助费支出',
    nameEn: 'Benefits: hospital food allowance',
  },
  {
    code: '5103',
    type: 'expense',
    group: BENEFIT,
    name: '统筹地区以外就医交通食宿费支出',
    nameEn: 'Benefits: travel and lodging for treatment elsewhere',
  },
  {
    code: '5104',
    type: 'expense',
    group: BENEFIT,
    name: '工伤康复费支出',
    nameEn: 'Benefits: rehabilitation',
  },
  {
    code: '5105',
    type: 'expense',
    group: BENEFIT,
    name: '辅助器具配置费支出',
    nameEn: 'Benefits: assistive devices',
  },
  {
    code: '5106',
    type: 'expense',
    group: BENEFIT,
    name: '生活护理费支出',
    nameEn: 'Benefits: nursing allowance',
  },
  {
    code: '5107',
    type: 'expense',
    group: BENEFIT,
    name: '一次性伤残补助金支出',
    nameEn: 'Benefits: disability lump sum',
  },
  {
    code: '5108',
    type: 'expense',
    group: BENEFIT,
    name: '伤残津贴支出',
    nameEn: 'Benefits: disability allowance',
  },
  {
    code: '5109',
    type: 'expense',
    group: BENEFIT,
    name: '一次性工伤医疗补助金支出',
    nameEn: 'Benefits: separation medical grant',
  },
  {
    code: '5110',
    type: 'expense',
    group: BENEFIT,
    name: '丧葬补助金支出',
    nameEn: 'Benefits: funeral grant',
  },
  {
    code: '5111',
    type: 'expense',
    group: BENEFIT,
    name: '供养亲属抚恤金支出',
    nameEn: 'Benefits: survivor pension',
  },
  {
    code: '5112',
    type: 'expense',
    group: BENEFIT,
    name: '一次性工亡补助金支出',
    nameEn: 'Benefits: death lump sum',
  },
  // Expense: other lines
  {
    code: '5201',
    type: 'expense',
    name: '劳动能力鉴定支出',
    nameEn: 'Work-capacity appraisal expenses',
  },
  { code: '5202', type: 'expense', name: '工伤预防费用支出', nameEn: 'Injury prevention expenses' },
  { code: '5301', type: 'expense', name: '补助下级支出', nameEn: 'Grants to the lower level' },
  {
    code: '5302',
    type: 'expense',
    name: '上解上级支出',
    nameEn: 'Remittances to the higher level',
  },
  { code: '5401', type: 'expense', name: '其他支出', nameEn: 'Other expenses' },
];

const chartByCode = new Map(chartOfAccounts.map((a) => [a.code, a]));

export function chartAccount(code: string): ChartAccount | undefined {
  return chartByCode.get(code);
}

/** '330000' → '330000-ADJ'. */
export function adjustmentSegmentCode(provinceCode: string): string {
  return `${provinceCode}-ADJ`;
}

export function segmentKindOf(segment: string): SegmentKind | undefined {
  if (/^[0-9]{6}-ADJ$/.test(segment)) return 'adjustment';
  if (!/^[0-9]{6}$/.test(segment)) return undefined;
  return segment.endsWith('0000') ? 'province' : 'city';
}

/** Province code of a segment ('330100' → '330000', '330000-ADJ' → '330000'). */
export function provinceOfSegment(segment: string): string {
  return provinceOf(segment);
}

/** The region a segment is approved and scoped in: the adjustment fund belongs to the province. */
export function regionOfSegment(segment: string): string {
  return segment.slice(0, 6);
}

/**
 * Counterparties a segment keeps due-from / due-to accounts for: a city ↔ the province and the
 * adjustment fund; the province ↔ the adjustment fund and every city; the adjustment fund ↔ the
 * province and every city. Cities do not trade with each other directly.
 */
export function counterpartiesOf(segment: string, cities: readonly string[]): string[] {
  const kind = segmentKindOf(segment);
  const province = provinceOfSegment(segment);
  const adj = adjustmentSegmentCode(province);
  if (kind === 'city') return [province, adj];
  if (kind === 'province') return [adj, ...cities];
  return [province, ...cities];
}

/** Account code inside a segment: '4101', or '1151:330100' for a due account. */
export function accountCode(chartCode: string, counterparty?: string): string {
  return counterparty === undefined ? chartCode : `${chartCode}:${counterparty}`;
}

export type ParsedAccountCode = { chartCode: string; counterparty: string | null };

export function parseAccountCode(code: string): ParsedAccountCode | undefined {
  const m = /^([0-9]{4})(?::([0-9]{6}(?:-ADJ)?))?$/.exec(code);
  if (!m) return undefined;
  const chart = chartByCode.get(m[1]!);
  if (!chart) return undefined;
  const counterparty = m[2] ?? null;
  if ((counterparty !== null) !== (chart.perCounterparty === true)) return undefined;
  return { chartCode: m[1]!, counterparty };
}

/** A due-to / due-from account (the inter-segment reciprocity rule applies to it). */
export function isDueAccount(chartCode: string): boolean {
  return chartCode === DUE_FROM || chartCode === DUE_TO;
}

export type AccountDefinition = {
  segment: string;
  code: string;
  chartCode: string;
  counterparty: string | null;
  type: AccountType;
  normalSide: NormalSide;
  name: string;
  nameEn: string;
};

/** Every account a segment has, given the cities of its province. */
export function accountsForSegment(
  segment: string,
  cities: readonly string[],
): AccountDefinition[] {
  const out: AccountDefinition[] = [];
  for (const a of chartOfAccounts) {
    const base = {
      segment,
      chartCode: a.code,
      type: a.type,
      normalSide: normalSideOf(a.type),
    };
    if (a.perCounterparty) {
      for (const c of counterpartiesOf(segment, cities)) {
        out.push({
          ...base,
          code: accountCode(a.code, c),
          counterparty: c,
          name: `${a.name}—${c}`,
          nameEn: `${a.nameEn} ${c}`,
        });
      }
    } else {
      out.push({
        ...base,
        code: a.code,
        counterparty: null,
        name: a.name,
        nameEn: a.nameEn,
      });
    }
  }
  return out;
}

/**
 * Flows between fund segments of one province (上级补助收入 / 下级上解收入, 补助下级支出 / 上解上级支出):
 * they move money inside the fund, so a segment's own income and expenditure, a province total and
 * budget execution leave them out (a segment's balance includes them).
 */
export const TRANSFER_EXPENSE_CODES: ReadonlySet<string> = new Set(['5301', '5302']);
export const TRANSFER_INCOME_CODES: ReadonlySet<string> = new Set(['4104', '4105']);
