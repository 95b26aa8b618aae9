import type { Language } from '../../i18n/dictionary.ts';

/**
 * The 项目参保 section's strings in zh-CN and en, kept beside the module (like the benefit panel's)
 * so the shared dictionary is not touched; the same `{name}` placeholders as the dictionary.
 */
const zh = {
  title: '项目参保',
  empty: '该单位没有按项目参保的工程项目',
  register: '登记项目',
  registerTitle: '按项目参保：登记工程项目',
  submit: '确认登记',
  name: '项目名称',
  siteAddress: '施工地址',
  contractValue: '工程合同价（元）',
  division: '行业大类（GB/T 4754）',
  standard: '行业分类标准',
  startDate: '开工日期',
  endDate: '计划竣工日期',
  contribution: '一次性工伤保险费（元）',
  paid: '已缴（元）',
  outstanding: '欠缴（元）',
  workers: '参保职工人数',
  transaction: '记账凭证',
  registered: '已登记，一次性工伤保险费 {amount} 元，记账凭证 {id}',
  yuanRule: '以元填写，最多两位小数，大于零',
  divisionRule: '两位数字的行业大类，例如 47',
  required: '必填',
  'refusal.invalid_dates': '计划竣工日期早于开工日期',
  'refusal.division': '该行业大类无对应的风险类别：{detail}',
  'refusal.period': '登记当日所属会计期间未开放或已结账，无法记入应收：{detail}',
} as const;

export type ProjectMessageKey = keyof typeof zh;

const en: Record<ProjectMessageKey, string> = {
  title: 'Projects (按项目参保)',
  empty: 'This employer has registered no construction project',
  register: 'Register a project',
  registerTitle: 'Register a construction project (按项目参保)',
  submit: 'Register',
  name: 'Project name',
  siteAddress: 'Site address',
  contractValue: 'Contract value (yuan)',
  division: 'Industry division (GB/T 4754)',
  standard: 'Classification standard',
  startDate: 'Start date',
  endDate: 'Planned completion',
  contribution: 'One-off contribution (yuan)',
  paid: 'Paid (yuan)',
  outstanding: 'Outstanding (yuan)',
  workers: 'Workers covered',
  transaction: 'Ledger transaction',
  registered: 'Registered: one-off contribution {amount} yuan, ledger transaction {id}',
  yuanRule: 'Yuan, at most two decimals, above zero',
  divisionRule: 'A two-digit division, e.g. 47',
  required: 'Required',
  'refusal.invalid_dates': 'The planned completion is before the start date',
  'refusal.division': 'The division has no risk class: {detail}',
  'refusal.period':
    'The ledger period of the registration day is not open (or closed), so the receivable cannot be posted: {detail}',
};

const messages: Record<Language, Record<ProjectMessageKey, string>> = { zh, en };

export function projectText(
  language: Language,
  key: ProjectMessageKey,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  return messages[language][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    String(vars[name] ?? `{${name}}`),
  );
}
