import type { LetterType } from '../letters/letter-types.ts';
import { reviewRightsSentence } from '../letters/review-rights.ts';
import type { DeterminationCommand } from './determination.ts';
import { type DeterminationOutcome, groundLabels } from './determination-grounds.ts';

/**
 * The letter a determination step issues (the decisions and notices the law requires in writing),
 * or null for steps that issue none (notes, resumption, service, review records).
 * - 第十八条第三款 "应当一次性书面告知工伤认定申请人需要补正的全部材料" → the materials notice names every item.
 * - 第二十条第一款 "作出工伤认定的决定，并书面通知申请工伤认定的职工或者其近亲属和该职工所在单位" → the decision.
 */
export type LetterFacts = {
  workerName: string;
  employerName: string;
  accidentDate: string;
  cityAgency: string;
};

export type DeterminationLetter = { letterType: LetterType; title: string; paragraphs: string[] };

const decisionTitles: Record<DeterminationOutcome, string> = {
  recognised: '认定工伤决定书',
  deemed: '视同工伤决定书',
  not_recognised: '不予认定工伤决定书',
};

export function letterFor(c: DeterminationCommand, f: LetterFacts): DeterminationLetter | null {
  const about = `${f.employerName}职工${f.workerName}于${f.accidentDate}受到的伤害`;
  switch (c.kind) {
    case 'accept':
      return {
        letterType: 'determination_acceptance',
        title: '工伤认定申请受理决定书',
        paragraphs: [`关于${about}的工伤认定申请，经审查符合受理条件，本机关决定予以受理。`],
      };
    case 'refuse_acceptance':
      return {
        letterType: 'determination_not_accepted',
        title: '工伤认定申请不予受理决定书',
        paragraphs: [`关于${about}的工伤认定申请，本机关决定不予受理。理由：${c.reason}。`],
      };
    case 'request_materials':
      return {
        letterType: 'determination_materials',
        title: '工伤认定申请材料补正告知书',
        paragraphs: [
          `关于${about}的工伤认定申请，材料不完整。依据《工伤保险条例》第十八条第三款，请补正以下全部材料：`,
          ...c.missing.map((m, i) => `${i + 1}. ${m}`),
        ],
      };
    case 'suspend':
      return {
        letterType: 'determination_suspension',
        title: '工伤认定中止通知书',
        paragraphs: [
          `关于${about}的工伤认定，依据《工伤保险条例》第二十条第三款，作出工伤认定决定的时限中止。理由：${c.reason}。`,
        ],
      };
    case 'decide':
      return decisionLetter(c.outcome, c.grounds, about);
    case 'record_review_outcome':
      return c.result === 'changed' && c.outcome && c.grounds
        ? decisionLetter(c.outcome, c.grounds, about)
        : null;
    default:
      return null;
  }
}

function decisionLetter(
  outcome: DeterminationOutcome,
  grounds: readonly (keyof typeof groundLabels)[],
  about: string,
): DeterminationLetter {
  return {
    letterType: 'determination_decision',
    title: decisionTitles[outcome],
    paragraphs: [
      `关于${about}，本机关依据《工伤保险条例》作出${decisionTitles[outcome].replace('决定书', '')}的决定。`,
      `依据：${grounds.map((g) => groundLabels[g].zh).join('；')}。`,
      reviewRightsSentence('本决定'),
    ],
  };
}
