import type { AppraisalKind, ConclusionInput, NursingLevel } from './appraisal-procedure.ts';

/**
 * The text of a 劳动能力鉴定结论书: what the conclusion says, in the committee's words, with the
 * articles it rests on. Pure: the use case issues it as a numbered letter.
 */
const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const kindText: Record<AppraisalKind, string> = {
  initial: '劳动能力初次鉴定',
  re_appraisal: '劳动能力再次鉴定',
  review: '劳动能力复查鉴定',
};
/** 第二十二条第三款: "生活完全不能自理、生活大部分不能自理和生活部分不能自理". */
export const nursingText: Record<NursingLevel, string> = {
  full: '生活完全不能自理',
  major: '生活大部分不能自理',
  partial: '生活部分不能自理',
};

export type ConclusionLetterFacts = {
  kind: AppraisalKind;
  committeeLevel: 'city' | 'province';
  committeeName: string;
  provinceCommitteeName: string;
  appliedOn: string;
  panelSize: number;
  conclusion: ConclusionInput;
};

function dateZh(iso: string): string {
  return `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

export function conclusionLetterParagraphs(f: ConclusionLetterFacts): string[] {
  const c = f.conclusion;
  const grade =
    c.conclusion === 'graded' && c.disabilityGrade !== null
      ? `伤残${numerals[c.disabilityGrade - 1]}级（依据GB/T 16180-2014 ${c.gradingClauses.join('、')}）`
      : '未达到伤残等级';
  const lines = [
    `你（单位）于${dateZh(f.appliedOn)}提出的${kindText[f.kind]}申请收悉。本委员会依照《工伤保险条例》第二十五条第一款的规定，从医疗卫生专家库中随机抽取${f.panelSize}名相关专家组成专家组，根据专家组的鉴定意见，作出鉴定结论如下：`,
    `一、劳动功能障碍程度：${grade}。`,
    `二、生活自理障碍程度：${c.nursingLevel ? nursingText[c.nursingLevel] : '未达到生活自理障碍等级'}。`,
  ];
  if (c.stopWorkExtensionMonths !== null)
    lines.push(
      `三、停工留薪期：确认延长${c.stopWorkExtensionMonths}个月（《工伤保险条例》第三十三条第二款）。`,
    );
  lines.push(
    f.committeeLevel === 'province'
      ? '本结论为最终结论（《工伤保险条例》第二十六条）。'
      : `如对本鉴定结论不服，可以在收到本结论之日起15日内向${f.provinceCommitteeName}提出再次鉴定申请（《工伤保险条例》第二十六条）。`,
  );
  return lines;
}
