import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REVIEW_RIGHTS_ZH } from '../benefits/decision-letter.ts';
import {
  LITIGATION_PERIOD_ARTICLE,
  REVIEW_APPEAL_ARTICLE,
  REVIEW_AUTHORITY_BASIS,
  reviewRightsSentence,
} from './review-rights.ts';

const law = (name: string) =>
  readFileSync(resolve(import.meta.dirname, '../../../docs/law', name), 'utf8');

describe('the remedies a city letter names (行政复议法 第二十条第三款)', () => {
  it('quotes the held texts verbatim', () => {
    const review = law('行政复议法(2023-09-01).md');
    expect(review).toContain(`第二十条 ${REVIEW_APPEAL_ARTICLE}`);
    expect(review).toContain(`（四）${REVIEW_AUTHORITY_BASIS}`);
    expect(law('行政诉讼法(2017-06-27).md')).toContain(`第四十六条 ${LITIGATION_PERIOD_ARTICLE}`);
  });

  it('names the right, the authority and both periods', () => {
    expect(reviewRightsSentence('本决定')).toBe(
      '如对本决定不服，可以自知道本决定之日起六十日内向本市人民政府申请行政复议（《中华人民共和国行政复议法》第二十条第一款、第二十四条第一款），也可以自知道本决定之日起六个月内依法向人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第四十六条第一款）。',
    );
    expect(REVIEW_RIGHTS_ZH).toContain(
      '如对本核定不服，可以自知道本核定之日起六十日内向本市人民政府',
    );
  });
});
