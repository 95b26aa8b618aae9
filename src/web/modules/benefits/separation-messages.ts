import type { Language } from '../../i18n/dictionary.ts';

/**
 * The separation panel's strings in zh-CN and en, beside the module (as benefit-messages.ts) so the
 * parallel parts of issue 11 merge without touching one file; `{name}` placeholders.
 */
const zh = {
  title: '解除或者终止劳动关系（一次性工伤医疗补助金、一次性伤残就业补助金）',
  none: '尚未登记解除或者终止劳动关系。',
  record: '登记解除劳动关系并提出核定',
  apply: '核定生效（入账）',
  date: '解除或者终止日期',
  reason: '原因',
  'reason.worker_request': '职工本人提出解除或者终止',
  'reason.contract_expiry': '劳动、聘用合同期满终止（七级至十级）',
  retirementAge: '法定退休年龄（岁、月）',
  years: '岁',
  months: '月',
  retirementDate: '法定退休日期',
  status: '状态',
  'status.proposed': '待复核',
  'status.approved': '已核定',
  'status.superseded': '已被替代',
  grants: '补助金',
  ledger: '记账凭证',
  letter: '核定通知书',
  submit: '提交',
  cancel: '取消',
  employerNote: '一次性伤残就业补助金由用人单位支付，基金不支付。',
  covered: '多次工伤合并计发',
  coveredGrade: '按最高伤残等级{grade}级计发一次（《浙江省工伤保险条例》第二十八条）',
  gradeOf: '{grade}级',
};

export type SeparationMessageKey = keyof typeof zh;

const en: Record<SeparationMessageKey, string> = {
  title: 'Separation (medical separation grant, employment separation grant)',
  none: 'No separation recorded.',
  record: 'Record the separation and propose the grants',
  apply: 'Apply (post to the ledger)',
  date: 'Date the relationship ended',
  reason: 'Reason',
  'reason.worker_request': 'At the worker’s request',
  'reason.contract_expiry': 'Contract expired (grades 7–10)',
  retirementAge: 'Statutory retirement age (years, months)',
  years: 'years',
  months: 'months',
  retirementDate: 'Statutory retirement date',
  status: 'Status',
  'status.proposed': 'Awaiting approval',
  'status.approved': 'Decided',
  'status.superseded': 'Superseded',
  grants: 'Grants',
  ledger: 'Ledger transaction',
  letter: 'Decision letter',
  submit: 'Submit',
  cancel: 'Cancel',
  employerNote: 'The employment separation grant is paid by the employer, never by the fund.',
  covered: 'Several injuries combined',
  coveredGrade: 'Paid once at the highest grade, {grade} (Zhejiang Regulation, Art. 28)',
  gradeOf: 'grade {grade}',
};

const messages: Record<Language, Record<SeparationMessageKey, string>> = { zh, en };

export function separationText(language: Language, key: SeparationMessageKey): string {
  return messages[language][key];
}
