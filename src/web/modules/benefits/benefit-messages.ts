import type { Language } from '../../i18n/dictionary.ts';

/**
 * The benefit panel's strings in zh-CN and en. Kept beside the module (not in the shared
 * dictionary) so the parallel parts of issue 11 merge without touching one file; the same
 * `{name}` placeholders as the dictionary.
 */
const zh = {
  title: '工伤保险待遇核定',
  none: '尚未核定待遇。',
  propose: '提出核定',
  proposeAgain: '重新核定',
  apply: '核定生效（入账）',
  recompute: '按参数快照复算',
  recomputeSame: '复算结果与核定一致（快照 {id}）',
  recomputeDiffers: '复算结果与核定不一致！',
  status: '状态',
  'status.proposed': '待复核',
  'status.approved': '已核定',
  'status.superseded': '已被替代',
  approval: '复核',
  ledger: '记账凭证',
  letter: '核定通知书',
  baseWage: '本人工资',
  wageMonths: '本人工资计算月份',
  month: '月份',
  wage: '缴费工资（元）',
  source: '来源',
  'source.declaration': '单位申报',
  'source.entered': '经办录入',
  evidence: '录入依据',
  items: '待遇项目',
  item: '项目',
  amount: '金额（元）',
  frequency: '支付方式',
  'frequency.once': '一次性',
  'frequency.monthly': '按月',
  payer: '支付方',
  'payer.fund': '基金支付',
  'payer.employer': '单位支付',
  citation: '依据',
  trace: '计算过程',
  warnings: '提示',
  payments: '支付',
  attempt: '次数',
  bankReference: '银行流水号',
  paidOn: '支付日期',
  confirm: '确认到账',
  fail: '支付失败',
  reissue: '重新支付',
  reason: '失败原因',
  'payment.issued': '待支付',
  'payment.paid': '已支付',
  'payment.failed': '失败',
  entitlements: '长期待遇',
  monthlyPayments: '每月待遇发放',
  'monthly.reissue': '（补发）',
  startsOn: '起付日期',
  enteredWages: '无申报月份的工资（元，经办录入）',
  addMonth: '增加月份',
  employerArrangedWork: '单位已安排适当工作（五、六级）',
  submit: '提交',
  cancel: '取消',
  actions: '操作',
} as const;

export type BenefitMessageKey = keyof typeof zh;

const en: Record<BenefitMessageKey, string> = {
  title: 'Benefit decision',
  none: 'No benefit decision yet.',
  propose: 'Propose',
  proposeAgain: 'Propose again',
  apply: 'Apply (post to the ledger)',
  recompute: 'Recompute from the snapshot',
  recomputeSame: 'Recomputed: same figures (snapshot {id})',
  recomputeDiffers: 'Recomputed figures differ from the decision!',
  status: 'Status',
  'status.proposed': 'Awaiting approval',
  'status.approved': 'Approved',
  'status.superseded': 'Superseded',
  approval: 'Approval',
  ledger: 'Ledger transaction',
  letter: 'Decision letter',
  baseWage: 'Own wage',
  wageMonths: 'Wage months',
  month: 'Month',
  wage: 'Wage (yuan)',
  source: 'Source',
  'source.declaration': 'Declared',
  'source.entered': 'Entered',
  evidence: 'Evidence',
  items: 'Items',
  item: 'Item',
  amount: 'Amount (yuan)',
  frequency: 'Frequency',
  'frequency.once': 'Once',
  'frequency.monthly': 'Monthly',
  payer: 'Payer',
  'payer.fund': 'Fund',
  'payer.employer': 'Employer',
  citation: 'Basis',
  trace: 'Calculation',
  warnings: 'Warnings',
  payments: 'Payments',
  attempt: 'Attempt',
  bankReference: 'Bank reference',
  paidOn: 'Paid on',
  confirm: 'Confirm paid',
  fail: 'Payment failed',
  reissue: 'Reissue',
  reason: 'Reason',
  'payment.issued': 'Issued',
  'payment.paid': 'Paid',
  'payment.failed': 'Failed',
  entitlements: 'Periodic entitlements',
  monthlyPayments: 'Monthly benefit payments',
  'monthly.reissue': ' (reissue)',
  startsOn: 'Starts on',
  enteredWages: 'Wages of undeclared months (yuan, entered)',
  addMonth: 'Add a month',
  employerArrangedWork: 'Employer arranged suitable work (grades 5–6)',
  submit: 'Submit',
  cancel: 'Cancel',
  actions: 'Actions',
};

const messages: Record<Language, Record<BenefitMessageKey, string>> = { zh, en };

export function benefitText(
  language: Language,
  key: BenefitMessageKey,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  return messages[language][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(vars[name] ?? `{${name}}`),
  );
}

/** The calculator's item codes as the glossary names them. */
export const ITEM_LABELS: Record<string, { zh: string; en: string }> = {
  disability_lump_sum: { zh: '一次性伤残补助金', en: 'Disability lump sum' },
  disability_allowance: { zh: '伤残津贴', en: 'Disability allowance' },
  nursing_allowance: { zh: '生活护理费', en: 'Nursing allowance' },
  medical_separation_grant: { zh: '一次性工伤医疗补助金', en: 'Medical separation grant' },
  employment_separation_grant: { zh: '一次性伤残就业补助金', en: 'Employment separation grant' },
  funeral_grant: { zh: '丧葬补助金', en: 'Funeral grant' },
  survivor_pension: { zh: '供养亲属抚恤金', en: 'Survivor pension' },
  death_lump_sum: { zh: '一次性工亡补助金', en: 'Death lump sum' },
};

export function itemLabel(language: Language, code: string): string {
  return ITEM_LABELS[code]?.[language] ?? code;
}
