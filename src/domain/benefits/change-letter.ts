import { type IsoDate, monthOf, nextMonth } from '../../kernel/dates.ts';
import { formatYuan } from '../../kernel/money.ts';
import { chineseDate } from '../letters/letter-types.ts';
import { ITEM_LABEL_ZH, REVIEW_RIGHTS_ZH } from './decision-letter.ts';
import type { StopGround } from './stop.ts';
import type { SurvivorEventKind } from './survivor-events.ts';

/**
 * The text of the letters that tell a worker of a change to benefits already decided (pure; issue
 * 12: "the worker … see[s] … the letter of any change"): the 停止工伤保险待遇通知书 of a stop
 * (《工伤保险条例》第四十二条), the 恢复工伤保险待遇通知书 of its lifting, the 工伤保险待遇更正通知书 of a
 * correction, the 工伤职工退休后工伤保险待遇变更通知书 of a retirement (第三十五条第一款第（三）项) and the
 * 供养亲属抚恤金变更通知书 of a survivor's change (to the 近亲属 jointly, as the death decision's). One
 * series (letter type `benefit_change`, 工待变), issued in the transaction that applies the change,
 * on the case whose decision the changed items rest on. Every letter carries
 * the review rights of the benefit letters; a month paid that was not owed is named with the
 * sentence of 《社会保险经办条例》第四十六条 the recovery rests on.
 */
export type ChangedItem = {
  kind: string;
  amountFen: number;
  /** The first day paid (a started or corrected item), or null. */
  startsOn: IsoDate | null;
  /** The last day paid (an ended item), or null: open-ended. */
  endsOn: IsoDate | null;
};

export type OverpaidItem = { kind: string; months: readonly string[]; amountFen: number };

export type ChangeLetterFacts =
  | {
      event: 'stop';
      workerName: string;
      ground: StopGround;
      effectiveOn: IsoDate;
      reason: string;
      ended: readonly ChangedItem[];
      overpaid: readonly OverpaidItem[];
    }
  | {
      event: 'resume';
      workerName: string;
      ground: StopGround;
      stoppedOn: IsoDate;
      resumedOn: IsoDate;
      reason: string;
      started: readonly ChangedItem[];
    }
  | {
      event: 'retirement';
      workerName: string;
      retiredOn: IsoDate;
      pensionFen: number;
      ended: readonly ChangedItem[];
      /** The fund's difference (伤残津贴差额); null: the pension is not lower. */
      topUp: ChangedItem | null;
      /** The kinds of the worker's items that go on (生活护理费, an employer's 伤残津贴). */
      kept: readonly string[];
      /**
       * 《浙江省工伤保险条例》第二十六条第二款 (no monthly pension): the account's figures and the
       * allowance's rows net of the offset, then whole (pensionFen is 0, topUp null).
       */
      offset?: {
        balanceFen: number;
        monthlyOffsetFen: number;
        lastOffsetFen: number;
        months: number;
        rows: readonly ChangedItem[];
      };
      /** A back-dated retirement: the months paid as 伤残津贴 after it, against what was owed. */
      backDated?: {
        months: readonly string[];
        paidMonths: readonly string[];
        overpaidFen: number;
        arrearsFen: number;
        netFen: number;
      };
    }
  | {
      event: 'survivor';
      /** The deceased worker: the letter goes to his 近亲属 jointly, as the death decision's. */
      workerName: string;
      dependantName: string;
      kind: SurvivorEventKind;
      eventOn: IsoDate;
      /** The event's dependant's pension ended (or suspended) on its last day paid. */
      ended: { amountFen: number; endsOn: IsoDate | null } | null;
      /** Every pension started by the change (a release's, the others' recomputed), by name. */
      started: readonly { name: string; beforeFen: number; amountFen: number; startsOn: IsoDate }[];
      arrearsFen: number;
      overpaid: OverpaidItem | null;
    }
  | {
      event: 'reappeared';
      /** The missing worker: the letter goes to his 近亲属 jointly, who received the pensions. */
      workerName: string;
      reappearedOn: IsoDate;
      evidence: string;
      /** The province's rule value: `legislated` quotes its text, `demo` says it is borrowed. */
      rule: { status: string; citation: string };
      /** Each pension the missing event started: since when, to when it is paid. */
      pensions: readonly {
        name: string;
        amountFen: number;
        startsOn: IsoDate;
        endsOn: IsoDate | null;
      }[];
      overpaid: readonly (OverpaidItem & { name: string })[];
      /** The advance drawn, to return (null: none was drawn). */
      advance: { amountFen: number; paidOn: IsoDate } | null;
    }
  | {
      event: 'correction';
      workerName: string;
      reason: string;
      before: ChangedItem;
      after: ChangedItem;
      arrearsFen: number;
      overpaid: OverpaidItem | null;
    };

/** 第四十二条's three grounds, in its words, with the 项 each is. */
const GROUND: Record<StopGround, { clause: string; zh: string }> = {
  lost_conditions: { clause: '（一）', zh: '丧失享受待遇条件' },
  refused_appraisal: { clause: '（二）', zh: '拒不接受劳动能力鉴定' },
  refused_treatment: { clause: '（三）', zh: '拒绝治疗' },
};

/** 《社会保险经办条例》第四十六条, the sentence a recovery rests on. */
const RECOVERY_BASIS =
  '根据《社会保险经办条例》第四十六条"个人多享受社会保险待遇的，由社会保险经办机构责令退回"的规定，应予退回';

function labelOf(kind: string): string {
  return Object.entries(ITEM_LABEL_ZH).find(([k]) => k === kind)?.[1] ?? kind;
}

function monthsZh(months: readonly string[]): string {
  return months.map((m) => `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月`).join('、');
}

function overpaidLine(o: OverpaidItem): string {
  return `已发放的${labelOf(o.kind)}${monthsZh(o.months)}共计${formatYuan(o.amountFen)}元不应发放，${RECOVERY_BASIS}，退回方式由经办机构另行通知。`;
}

function itemTerms(i: ChangedItem): string {
  const from = i.startsOn === null ? '' : `，自${chineseDate(i.startsOn)}起`;
  const to = i.endsOn === null ? '' : `，至${chineseDate(i.endsOn)}止`;
  return `每月${formatYuan(i.amountFen)}元${from}${to}`;
}

/** The first day after the month of `date`: the first day a stop no longer pays. */
function nextMonthStart(date: IsoDate): IsoDate {
  return `${nextMonth(monthOf(date))}-01`;
}

/** An ended item: paid to its last day, or (one that had not begun) not paid at all. */
function endedTerms(e: ChangedItem): string {
  const was = `原每月${formatYuan(e.amountFen)}元`;
  return e.endsOn === null ? `${was}，不再发放` : `${was}，发放至${chineseDate(e.endsOn)}止`;
}

function stopText(f: Extract<ChangeLetterFacts, { event: 'stop' }>): string[] {
  const g = GROUND[f.ground];
  const from = chineseDate(nextMonthStart(f.effectiveOn));
  return [
    `${f.workerName}：经核查，你于${chineseDate(f.effectiveOn)}${g.zh}（${f.reason}）。根据《工伤保险条例》第四十二条第${g.clause}项"工伤职工有下列情形之一的，停止享受工伤保险待遇"的规定，自${from}起停止享受下列工伤保险待遇：`,
    ...f.ended.map((e, n) => `${n + 1}. ${labelOf(e.kind)}：${endedTerms(e)}。`),
    ...f.overpaid.map(overpaidLine),
    ...(f.ground === 'lost_conditions'
      ? []
      : [
          `你${f.ground === 'refused_appraisal' ? '接受劳动能力鉴定' : '接受治疗'}后，可以向经办机构申请恢复享受工伤保险待遇；停止期间的待遇不予补发。`,
        ]),
    REVIEW_RIGHTS_ZH,
  ];
}

function resumeText(f: Extract<ChangeLetterFacts, { event: 'resume' }>): string[] {
  const g = GROUND[f.ground];
  return [
    `${f.workerName}：你因${g.zh}，自${chineseDate(nextMonthStart(f.stoppedOn))}起被停止享受工伤保险待遇（《工伤保险条例》第四十二条第${g.clause}项）。现${f.reason}，自${chineseDate(f.resumedOn)}起恢复享受下列工伤保险待遇：`,
    ...f.started.map(
      (e, n) => `${n + 1}. ${labelOf(e.kind)}：${itemTerms(e)}，由工伤保险基金按月支付。`,
    ),
    '停止期间的待遇不予补发。',
    REVIEW_RIGHTS_ZH,
  ];
}

/** 《工伤保险条例》第三十五条第一款第（三）项, whole: the rule a retirement applies. */
const RETIREMENT_RULE =
  '《工伤保险条例》第三十五条第一款第（三）项"工伤职工达到退休年龄并办理退休手续后，停发伤残津贴，按照国家有关规定享受基本养老保险待遇。基本养老保险待遇低于伤残津贴的，由工伤保险基金补足差额。"';

/** 《浙江省工伤保险条例》第二十六条第二款, the sentence the variant applies. */
const OFFSET_RULE =
  '《浙江省工伤保险条例》第二十六条第二款"一级至四级工伤职工达到法定退休年龄，不符合按月领取基本养老保险待遇条件的，由工伤保险基金继续按月发放伤残津贴，职工个人养老金账户金额按照规定计发标准按月冲抵到伤残津贴。"';

type RetirementFacts = Extract<ChangeLetterFacts, { event: 'retirement' }>;

function keptLine(f: RetirementFacts): string[] {
  return f.kept.length === 0
    ? []
    : [`你的${[...new Set(f.kept.map(labelOf))].join('、')}继续按原标准发放。`];
}

/** A back-dated retirement: the months paid as 伤残津贴, what was owed for them, the net. */
function backDatedLine(f: RetirementFacts): string[] {
  const b = f.backDated;
  if (b === undefined || b.netFen >= 0) return [];
  return [
    `${monthsZh(b.paidMonths)}已按伤残津贴发放共计${formatYuan(b.overpaidFen)}元，${monthsZh(b.months)}按变更后的标准应发放${formatYuan(b.arrearsFen)}元，多发${formatYuan(-b.netFen)}元，${RECOVERY_BASIS}，退回方式由经办机构另行通知。`,
  ];
}

function offsetText(f: RetirementFacts, o: NonNullable<RetirementFacts['offset']>): string[] {
  const allowanceFen = f.ended[0]?.amountFen ?? 0;
  const rows = o.rows.map((r, n) => {
    const off = allowanceFen - r.amountFen;
    const what = off > 0 ? `（冲抵个人养老金账户${formatYuan(off)}元后）` : '（按原标准）';
    return `${f.ended.length + n + 1}. ${labelOf(r.kind)}${what}：${itemTerms(r)}，由工伤保险基金按月支付。`;
  });
  return [
    `${f.workerName}：你于${chineseDate(f.retiredOn)}达到法定退休年龄，不符合按月领取基本养老保险待遇条件。经办机构核定你的个人养老金账户余额${formatYuan(o.balanceFen)}元，按月冲抵${formatYuan(o.monthlyOffsetFen)}元，共冲抵${o.months}个月${o.lastOffsetFen > 0 ? `（最后一个月冲抵${formatYuan(o.lastOffsetFen)}元）` : ''}。根据${OFFSET_RULE}的规定，你的工伤保险待遇变更如下：`,
    ...f.ended.map((e, n) => `${n + 1}. ${labelOf(e.kind)}：${endedTerms(e)}。`),
    ...rows,
    '个人养老金账户余额冲抵完毕后，伤残津贴按原标准发放。你死亡时个人养老金账户有余额的，余额由你的近亲属依法继承。',
    ...keptLine(f),
    ...backDatedLine(f),
    REVIEW_RIGHTS_ZH,
  ];
}

function retirementText(f: RetirementFacts): string[] {
  if (f.offset !== undefined) return offsetText(f, f.offset);
  const pension = `每月${formatYuan(f.pensionFen)}元`;
  const topUp =
    f.topUp === null
      ? '你的基本养老金不低于伤残津贴，工伤保险基金不再补足差额。'
      : `伤残津贴差额：${itemTerms(f.topUp)}（原伤残津贴与基本养老金${pension}之差），由工伤保险基金按月支付。`;
  return [
    `${f.workerName}：你于${chineseDate(f.retiredOn)}办理退休手续，按月领取基本养老金${pension}。根据${RETIREMENT_RULE}的规定，你的工伤保险待遇变更如下：`,
    ...f.ended.map((e, n) => `${n + 1}. ${labelOf(e.kind)}：${endedTerms(e)}。`),
    `${f.ended.length + 1}. ${topUp}`,
    ...keptLine(f),
    ...backDatedLine(f),
    REVIEW_RIGHTS_ZH,
  ];
}

/** What happened to the dependant, as the letter says it (domain-spec §2.9's five ends, and 服刑). */
const SURVIVOR_EVENT_ZH: Record<SurvivorEventKind, string> = {
  aged_out: '年满十八周岁',
  employed: '就业或者参军',
  remarried: '再婚',
  adopted: '被他人或者组织收养',
  died: '死亡',
  imprisoned: '服刑',
  released: '刑满释放',
  orphan_or_sole_elder: '成为孤儿或者孤寡老人',
};

const CAP_SENTENCE = '核定的各供养亲属的抚恤金之和不应高于因工死亡职工生前的工资';

/** The rule the letter cites: the 10 % and the cap for a raise, the ministry's range and the cap otherwise. */
function survivorBasis(kind: SurvivorEventKind): string {
  if (kind === 'orphan_or_sole_elder')
    return `依照《工伤保险条例》第三十九条第一款第（二）项"孤寡老人或者孤儿每人每月在上述标准的基础上增加10%"及"${CAP_SENTENCE}"的规定，自事由发生的次月起增发10%并重新核定`;
  return `依照《因工死亡职工供养亲属范围规定》（劳动和社会保障部令第18号）及《工伤保险条例》第三十九条第一款第（二）项"${CAP_SENTENCE}"的规定`;
}

function survivorEnded(f: Extract<ChangeLetterFacts, { event: 'survivor' }>): string[] {
  if (f.ended === null) return [];
  const last = f.ended.endsOn === null ? '不再发放' : `发放至${chineseDate(f.ended.endsOn)}止`;
  const how = f.kind === 'imprisoned' ? '服刑期间停止发放' : '以后不再发放';
  return [
    `${f.dependantName}的供养亲属抚恤金（每月${formatYuan(f.ended.amountFen)}元）${last}，${how}。`,
  ];
}

function survivorText(f: Extract<ChangeLetterFacts, { event: 'survivor' }>): string[] {
  const started = f.started.map(
    (s, n) =>
      `${n + 1}. ${s.name}：每月${formatYuan(s.amountFen)}元（原${formatYuan(s.beforeFen)}元），自${chineseDate(s.startsOn)}起按月支付。`,
  );
  return [
    `${f.workerName}的近亲属：${f.dependantName}于${chineseDate(f.eventOn)}${SURVIVOR_EVENT_ZH[f.kind]}。${survivorBasis(f.kind)}，供养亲属抚恤金变更如下：`,
    ...survivorEnded(f),
    ...(started.length === 0 ? [] : ['下列供养亲属抚恤金重新核定：', ...started]),
    ...(f.arrearsFen > 0
      ? [`按重新核定的标准，已发放月份少发${formatYuan(f.arrearsFen)}元，由工伤保险基金补发。`]
      : []),
    ...(f.overpaid === null ? [] : [overpaidLine(f.overpaid)]),
    REVIEW_RIGHTS_ZH,
  ];
}

function correctionText(f: Extract<ChangeLetterFacts, { event: 'correction' }>): string[] {
  const label = labelOf(f.after.kind);
  const money =
    f.arrearsFen > 0
      ? [`按更正后的标准，已发放月份少发${formatYuan(f.arrearsFen)}元，由工伤保险基金补发。`]
      : f.overpaid === null
        ? []
        : [overpaidLine(f.overpaid)];
  return [
    `${f.workerName}：经复核，你的${label}原核定为${itemTerms(f.before)}，核定有误（${f.reason}）。现更正为${itemTerms(f.after)}。`,
    ...money,
    REVIEW_RIGHTS_ZH,
  ];
}

/** 《河南省工伤保险条例》第三十二条, its last sentence: the rule a reappearance applies there. */
export const REAPPEARANCE_RULE_HENAN =
  '该职工重新出现的，自出现的次月起停发供养亲属抚恤金，领取的一次性工亡补助金应当退回。';
const HENAN_CITATION = '《河南省工伤保险条例》第三十二条';

function reappearedBasis(rule: { status: string; citation: string }): string {
  if (rule.status === 'legislated' && rule.citation === HENAN_CITATION)
    return `根据${HENAN_CITATION}"${REAPPEARANCE_RULE_HENAN}"的规定`;
  if (rule.status === 'legislated') return `根据${rule.citation}的规定`;
  // 浙江: its 条例 has no such article; the rule is the demo province's, borrowed from 河南's text.
  return `本省工伤保险条例对下落不明职工重新出现未作规定，依照本系统演示规则（参照${rule.citation}设定，并非本省条例条文）`;
}

function reappearedPension(
  p: Extract<ChangeLetterFacts, { event: 'reappeared' }>['pensions'][number],
  n: number,
): string {
  const paid =
    p.endsOn === null
      ? '尚未开始发放，不再发放'
      : `自${chineseDate(p.startsOn)}起发放至${chineseDate(p.endsOn)}止`;
  return `${n + 1}. ${p.name}的供养亲属抚恤金：每月${formatYuan(p.amountFen)}元，${paid}。`;
}

function reappearedText(f: Extract<ChangeLetterFacts, { event: 'reappeared' }>): string[] {
  const next = chineseDate(nextMonthStart(f.reappearedOn));
  return [
    `${f.workerName}的近亲属：${f.workerName}下落不明期间，工伤保险基金依照《工伤保险条例》第四十一条按月向供养亲属支付供养亲属抚恤金。经核实，${f.workerName}已于${chineseDate(f.reappearedOn)}重新出现（${f.evidence}）。${reappearedBasis(f.rule)}，自${next}起停发供养亲属抚恤金：`,
    ...f.pensions.map(reappearedPension),
    ...f.overpaid.map(
      (o) =>
        `已发放给${o.name}的供养亲属抚恤金${monthsZh(o.months)}共计${formatYuan(o.amountFen)}元不应发放，${RECOVERY_BASIS}，退回方式由经办机构另行通知。`,
    ),
    ...(f.advance === null
      ? []
      : [
          `${chineseDate(f.advance.paidOn)}预支给近亲属的一次性工亡补助金${formatYuan(f.advance.amountFen)}元，由领取的近亲属退回；${RECOVERY_BASIS}，退回方式由经办机构另行通知。`,
        ]),
    REVIEW_RIGHTS_ZH,
  ];
}

export const CHANGE_LETTER_TITLE: Record<ChangeLetterFacts['event'], string> = {
  stop: '停止工伤保险待遇通知书',
  resume: '恢复工伤保险待遇通知书',
  correction: '工伤保险待遇更正通知书',
  retirement: '工伤职工退休后工伤保险待遇变更通知书',
  survivor: '供养亲属抚恤金变更通知书',
  reappeared: '停发供养亲属抚恤金及退回预支一次性工亡补助金通知书',
};

export function changeLetterText(f: ChangeLetterFacts): { title: string; paragraphs: string[] } {
  const paragraphs =
    f.event === 'stop'
      ? stopText(f)
      : f.event === 'resume'
        ? resumeText(f)
        : f.event === 'retirement'
          ? retirementText(f)
          : f.event === 'survivor'
            ? survivorText(f)
            : f.event === 'reappeared'
              ? reappearedText(f)
              : correctionText(f);
  return { title: CHANGE_LETTER_TITLE[f.event], paragraphs };
}
