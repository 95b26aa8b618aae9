/**
 * The grounds of a determination (工伤认定), coded by article and item of 《工伤保险条例》, so a
 * decision says which sentence of the law it rests on and a ground can be checked against its
 * decision type (a 第十六条 ground cannot support 认定).
 */
export const determinationOutcomes = ['recognised', 'deemed', 'not_recognised'] as const;
export type DeterminationOutcome = (typeof determinationOutcomes)[number];

export const determinationGrounds = [
  // 第十四条 "职工有下列情形之一的，应当认定为工伤" (一)–(七).
  'art14_1',
  'art14_2',
  'art14_3',
  'art14_4',
  'art14_5',
  'art14_6',
  'art14_7',
  // 第十五条 "职工有下列情形之一的，视同工伤" (一)–(三).
  'art15_1',
  'art15_2',
  'art15_3',
  // 第十六条 "有下列情形之一的，不得认定为工伤或者视同工伤" (一)–(三).
  'art16_1',
  'art16_2',
  'art16_3',
  // 不予认定 because the facts meet none of 第十四条 and 第十五条 (no item of 第十六条 needed).
  'art14_15_not_met',
] as const;
export type DeterminationGround = (typeof determinationGrounds)[number];

/** zh label of each ground: the item's own words, shortened. */
export const groundLabels: Record<DeterminationGround, { zh: string; en: string }> = {
  art14_1: {
    zh: '第十四条(一) 工作时间和场所内因工作原因受事故伤害',
    en: 'Art. 14(1) accident at work',
  },
  art14_2: {
    zh: '第十四条(二) 预备性或收尾性工作受事故伤害',
    en: 'Art. 14(2) preparatory or closing work',
  },
  art14_3: {
    zh: '第十四条(三) 履行工作职责受暴力等意外伤害',
    en: 'Art. 14(3) violence while on duty',
  },
  art14_4: { zh: '第十四条(四) 患职业病', en: 'Art. 14(4) occupational disease' },
  art14_5: {
    zh: '第十四条(五) 因工外出期间受伤害或下落不明',
    en: 'Art. 14(5) travelling for work',
  },
  art14_6: {
    zh: '第十四条(六) 上下班途中非本人主要责任交通事故',
    en: 'Art. 14(6) commuting accident',
  },
  art14_7: {
    zh: '第十四条(七) 法律、行政法规规定的其他情形',
    en: 'Art. 14(7) other statutory case',
  },
  art15_1: {
    zh: '第十五条(一) 突发疾病死亡或48小时内抢救无效死亡',
    en: 'Art. 15(1) sudden illness death',
  },
  art15_2: {
    zh: '第十五条(二) 抢险救灾等维护公共利益受伤害',
    en: 'Art. 15(2) public-interest rescue',
  },
  art15_3: { zh: '第十五条(三) 革命伤残军人旧伤复发', en: 'Art. 15(3) recurring military injury' },
  art16_1: { zh: '第十六条(一) 故意犯罪', en: 'Art. 16(1) intentional crime' },
  art16_2: { zh: '第十六条(二) 醉酒或者吸毒', en: 'Art. 16(2) drunkenness or drugs' },
  art16_3: { zh: '第十六条(三) 自残或者自杀', en: 'Art. 16(3) self-harm or suicide' },
  art14_15_not_met: {
    zh: '不符合第十四条、第十五条规定的情形',
    en: 'Meets neither Art. 14 nor Art. 15',
  },
};

/** The decision type a ground supports. */
export function outcomeOfGround(ground: DeterminationGround): DeterminationOutcome {
  if (ground.startsWith('art14_15')) return 'not_recognised';
  if (ground.startsWith('art14_')) return 'recognised';
  if (ground.startsWith('art15_')) return 'deemed';
  return 'not_recognised';
}

/** The grounds given that do not fit the decision type (empty when all fit). */
export function misfitGrounds(
  outcome: DeterminationOutcome,
  grounds: readonly DeterminationGround[],
): DeterminationGround[] {
  return grounds.filter((g) => outcomeOfGround(g) !== outcome);
}
