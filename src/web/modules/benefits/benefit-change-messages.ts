import type { Language } from '../../i18n/dictionary.ts';

/**
 * The strings of the case page's two changes that end with an apply (a survivor's pension change,
 * docs/benefits.md "Survivors' pensions end"; an entitlement's correction, "Correcting an
 * entitlement") in zh-CN and en, beside the module as benefit-events-messages.ts is, so parallel
 * branches merge without touching one file; `{name}` placeholders.
 */
const zh = {
  'state.pending': '待复核',
  'state.approved': '已复核，待执行',
  'state.applied': '已执行',
  'state.superseded': '已被替代',
  'state.rejected': '复核未通过',
  'state.expired': '复核已过期',
  apply: '执行',
  applied: '已执行：补发 {arrears} 元，多发 {overpayment} 元（转追回）',
  replayed: '此前已执行（重复提交未再入账）。',
  arrears: '补发（元）',
  overpayment: '多发（元）',
  none: '—',
  state: '状态',
  month: '月份',
  paid: '已发（元）',
  due: '应发（元）',
  difference: '差额（元）',
  'survivor.title': '抚恤金变动记录',
  'survivor.empty': '尚未提出抚恤金变动。',
  'survivor.dependant': '供养亲属',
  'survivor.kind': '事由',
  'survivor.eventOn': '发生日期',
  'survivor.plan': '终止 {ended} 项，重新核定 {started} 项',
  'correction.button': '更正',
  'correction.title': '待遇更正',
  'correction.amount': '更正后月待遇（元，可不填）',
  'correction.startsOn': '更正后起付日期 YYYY-MM-DD（可不填）',
  'correction.endsOn': '更正后终止日期 YYYY-MM-DD（可不填）',
  'correction.reason': '更正理由',
  'correction.evidence': '证明材料',
  'correction.submit': '提出更正',
  'correction.proposed': '已提出，待另一人复核（{id}）',
  'correction.list': '待遇更正记录',
  'correction.terms': '更正前 {before}，更正后 {after}',
  'correction.net': '差额合计 {net} 元',
  'correction.openEnded': '长期',
  'error.amount': '月待遇须为正的金额，最多两位小数，例如 1850.50',
  'error.startsOn': '起付日期须为 YYYY-MM-DD，例如 2025-07-01',
  'error.endsOn': '终止日期须为 YYYY-MM-DD，例如 2025-12-31',
  'error.nothing': '请至少填写更正后的月待遇、起付日期或终止日期之一',
  'error.reason': '请填写更正理由',
  'error.evidence': '请填写证明材料',
};

export type BenefitChangeKey = keyof typeof zh;

const en: Record<BenefitChangeKey, string> = {
  'state.pending': 'Awaiting approval',
  'state.approved': 'Approved, to apply',
  'state.applied': 'Applied',
  'state.superseded': 'Superseded',
  'state.rejected': 'Rejected',
  'state.expired': 'Approval expired',
  apply: 'Apply',
  applied: 'Applied: arrears {arrears} yuan, overpayment {overpayment} yuan (to recover)',
  replayed: 'Already applied (the retry posted nothing again).',
  arrears: 'Arrears (yuan)',
  overpayment: 'Overpayment (yuan)',
  none: '—',
  state: 'State',
  month: 'Month',
  paid: 'Paid (yuan)',
  due: 'Due (yuan)',
  difference: 'Difference (yuan)',
  'survivor.title': "Survivors' pension changes",
  'survivor.empty': 'No pension change proposed yet.',
  'survivor.dependant': 'Dependant',
  'survivor.kind': 'Event',
  'survivor.eventOn': 'Event date',
  'survivor.plan': '{ended} ended, {started} recomputed',
  'correction.button': 'Correct',
  'correction.title': 'Correct the entitlement',
  'correction.amount': 'Corrected monthly amount (yuan, optional)',
  'correction.startsOn': 'Corrected start YYYY-MM-DD (optional)',
  'correction.endsOn': 'Corrected end YYYY-MM-DD (optional)',
  'correction.reason': 'Why the recorded terms are wrong',
  'correction.evidence': 'Evidence',
  'correction.submit': 'Propose the correction',
  'correction.proposed': 'Proposed; awaiting a second person’s approval ({id})',
  'correction.list': 'Corrections',
  'correction.terms': 'before {before}, after {after}',
  'correction.net': 'Net difference {net} yuan',
  'correction.openEnded': 'open-ended',
  'error.amount':
    'The monthly amount must be a positive sum with at most two decimals, e.g. 1850.50',
  'error.startsOn': 'The start must be a date YYYY-MM-DD, e.g. 2025-07-01',
  'error.endsOn': 'The end must be a date YYYY-MM-DD, e.g. 2025-12-31',
  'error.nothing': 'Give at least one of the corrected amount, start or end',
  'error.reason': 'Say why the recorded terms are wrong',
  'error.evidence': 'Name the evidence',
};

const messages: Record<Language, Record<BenefitChangeKey, string>> = { zh, en };

export function benefitChangeText(
  language: Language,
  key: BenefitChangeKey,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  return messages[language][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(vars[name] ?? `{${name}}`),
  );
}
