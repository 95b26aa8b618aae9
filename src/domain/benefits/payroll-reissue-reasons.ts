import {
  type ReissueBlock,
  type ReissueRefusalCode,
  reissueBlockCode,
  reissueBlockText,
} from './payroll-reissue-batch.ts';

/**
 * Why a failed payroll line cannot be paid again, in the handler's words (zh) and in English, for
 * the payroll page's list of failed lines (docs/benefits.md, "Reissue by hand"). The rules are
 * `reissueChecks`' (payroll-reissue.ts); the code is the refusal a proposal of the line would get
 * (docs/errors.md), the English text the refusal's. The stop rests on 《工伤保险条例》第四十二条:
 * "工伤职工有下列情形之一的，停止享受工伤保险待遇：(一)丧失享受待遇条件的；(二)拒不接受劳动能力鉴定的；(三)拒绝治疗的。"
 */
export type ReissueBlockReason = {
  block: ReissueBlock;
  code: ReissueRefusalCode;
  zh: string;
  en: string;
};

const BLOCK_ZH: Readonly<Record<ReissueBlock, string>> = {
  reissued: '已补发（由月度发放或手工补发），不再补发',
  after_death: '职工本人待遇，所属月份在登记的死亡之后，不补发',
  after_stop: '待遇已停止（《工伤保险条例》第四十二条），所属月份在停止之后，不补发',
  after_survivor_end: '供养亲属抚恤金已终止或中止，所属月份在其后，不补发',
  after_retirement: '退休后的伤残津贴已并入退休多发款，不补发',
  after_missing:
    '职工下落不明（《工伤保险条例》第四十一条），本人待遇所属月份在事故当月之后，不补发',
  released: '无人应得，应付款已冲回（失败发放冲回或死亡冲回），不补发',
  no_account: '当日无有效社会保障卡账户：请先登记账户',
};

export function reissueBlockReason(block: ReissueBlock): ReissueBlockReason {
  return { block, code: reissueBlockCode(block), zh: BLOCK_ZH[block], en: reissueBlockText(block) };
}

/** The most failed lines one page of the list answers (a batch takes at most 500 lines). */
export const FAILED_LINES_PAGE_MAX = 500;
export const FAILED_LINES_PAGE_DEFAULT = 100;
