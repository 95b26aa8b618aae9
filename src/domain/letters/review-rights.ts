/**
 * The remedies a letter of a city's decision closes with (pure): the right to administrative review,
 * the authority that hears it and the period, and the right to sue and its period.
 *
 * Why all three are named: 《中华人民共和国行政复议法》(2023) 第二十条第三款, whole: "行政机关作出行政行为时，未告知
 * 公民、法人或者其他组织申请行政复议的权利、行政复议机关和申请期限的，申请期限自公民、法人或者其他组织知道或者应当知道申请行政复议的
 * 权利、行政复议机关和申请期限之日起计算，但是自知道或者应当知道行政行为内容之日起最长不得超过一年。" A letter that only said "可以
 * 依法申请行政复议" left the person's period open for up to a year.
 *
 * Which authority: every decision these letters carry is a city's — 工伤认定 by the city's 社会保险行政部门
 * (a 工作部门 of the city's people's government: 第二十四条第一款第（一）项 "对本级人民政府工作部门作出的行政行为不服的"),
 * the 核定 of benefits and the floating rate by the city's 社会保险经办机构 (an organisation the 条例 empowers
 * and the city's department manages: 第二十四条第一款第（四）项, REVIEW_AUTHORITY_BASIS; docs/adr/0011). Both
 * lie with 县级以上地方各级人民政府 of the same level (第二十四条第一款), i.e. the city's people's government.
 * The letters are issued in the city's name, so "本市人民政府" names it without a second lookup.
 */

/** 《中华人民共和国行政复议法》(2023) 第二十条第一款, verbatim: the 60-day period. */
export const REVIEW_APPEAL_ARTICLE =
  '公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起六十日内提出行政复议申请；但是法律规定的申请期限超过六十日的除外。';

/** 《中华人民共和国行政复议法》(2023) 第二十四条第一款第（四）项, verbatim. */
export const REVIEW_AUTHORITY_BASIS =
  '对本级人民政府或者其工作部门管理的法律、法规、规章授权的组织作出的行政行为不服的';

/**
 * 《中华人民共和国行政诉讼法》(2017) 第四十六条第一款, verbatim: the six-month period to sue directly. (Its
 * 第二款's 20- and 5-year outer limits run from the decision and need no notice.)
 */
export const LITIGATION_PERIOD_ARTICLE =
  '公民、法人或者其他组织直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起六个月内提出。法律另有规定的除外。';

/** The authority that reviews a city's decision: the city's people's government. */
export function reviewAuthorityOf(cityName: string): string {
  return `${cityName}人民政府`;
}

/**
 * The closing sentence of a letter of a city's decision, naming the right, the authority and both
 * periods. `subject` is what the letter calls its decision (本核定, 本决定).
 */
export function reviewRightsSentence(subject: string): string {
  return (
    `如对${subject}不服，可以自知道${subject}之日起六十日内向本市人民政府申请行政复议` +
    `（《中华人民共和国行政复议法》第二十条第一款、第二十四条第一款），` +
    `也可以自知道${subject}之日起六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条第一款）。`
  );
}
