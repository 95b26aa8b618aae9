import type { Language } from '../../i18n/dictionary.ts';

/**
 * The appraisal screens' words, zh-CN and en, kept with the module (the shared dictionary holds the
 * menu label); terms as docs/glossary.md names them.
 */
const zh = {
  title: '劳动能力鉴定工作台',
  state: '状态',
  open: '待办',
  concluded: '已结论',
  all: '全部',
  kind: '类别',
  anyKind: '全部类别',
  dueBy: '截止日不晚于',
  case: '案件',
  applied: '申请日',
  due: '结论期限',
  daysLeft: '剩余天数',
  overdue: '已超期',
  status: '进度',
  grade: '伤残等级',
  none: '无',
  initial: '初次鉴定',
  re_appraisal: '再次鉴定',
  review: '复查鉴定',
  received: '已受理',
  panel_drawn: '已抽取专家组',
  concluded_status: '已作结论',
  panel: '劳动能力鉴定',
  current: '现行结论',
  noAppraisal: '尚无鉴定',
  notGraded: '未达伤残等级',
  nursing: '护理等级',
  full: '生活完全不能自理',
  major: '生活大部分不能自理',
  partial: '生活部分不能自理',
  extension: '停工留薪期延长（月）',
  clauses: 'GB/T 16180-2014条款',
  experts: '专家组',
  seed: '随机种子',
  verify: '重放核验',
  verified: '重放结果一致',
  final: '最终结论',
  loadError: '加载失败',
} as const;

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  title: 'Disability appraisal work list',
  state: 'State',
  open: 'Open',
  concluded: 'Concluded',
  all: 'All',
  kind: 'Kind',
  anyKind: 'All kinds',
  dueBy: 'Due by',
  case: 'Case',
  applied: 'Applied',
  due: 'Conclusion due',
  daysLeft: 'Days left',
  overdue: 'Overdue',
  status: 'Progress',
  grade: 'Disability grade',
  none: 'None',
  initial: 'First appraisal',
  re_appraisal: 'Re-appraisal',
  review: 'Review',
  received: 'Received',
  panel_drawn: 'Panel drawn',
  concluded_status: 'Concluded',
  panel: 'Disability appraisal',
  current: 'Current conclusion',
  noAppraisal: 'No appraisal yet',
  notGraded: 'Not graded',
  nursing: 'Nursing level',
  full: 'Fully dependent',
  major: 'Mostly dependent',
  partial: 'Partly dependent',
  extension: 'Paid-leave extension (months)',
  clauses: 'GB/T 16180-2014 clauses',
  experts: 'Expert panel',
  seed: 'Seed',
  verify: 'Replay',
  verified: 'Replay matches',
  final: 'Final conclusion',
  loadError: 'Could not load',
};

const messages: Record<Language, Record<Key, string>> = { zh, en };

export function appraisalText(language: Language): (key: Key) => string {
  return (key) => messages[language][key];
}

/** Whole days from `today` to `due` (negative: overdue). */
export function daysUntil(today: string, due: string): number {
  return Math.round(
    (Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000,
  );
}
