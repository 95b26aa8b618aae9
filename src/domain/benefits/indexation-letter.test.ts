import { describe, expect, it } from 'vitest';
import { adjustmentsOfYear } from '../../rules/benefits/indexation.ts';
import { testRuleBook } from '../../runtime/testing.ts';
import { ARTICLE_40, indexationNoticeText } from './indexation-letter.ts';

const rules = testRuleBook().benefits;

describe('the notice of an indexation batch (待遇调整通知)', () => {
  it('states the rule of each item, the totals, and the remedies (杭州 2025, demo figures)', () => {
    const adjustments = adjustmentsOfYear(rules, '330100', 2025);
    if (!adjustments.ok) throw new Error(adjustments.message);
    const text = indexationNoticeText({
      cityName: '杭州市',
      year: 2025,
      adjustments: adjustments.value,
      // Two allowances of grade 3 at 4 000.00 → 4 000.00 × 1.02 + 30.00 = 4 110.00 each.
      totals: [
        {
          kind: 'disability_allowance',
          payer: 'fund',
          lines: 2,
          beforeFen: 800_000,
          afterFen: 822_000,
        },
      ],
      lineCount: 2,
    });
    expect(text.title).toBe('关于调整2025年工伤保险定期待遇的通知');
    expect(text.recipient).toBe('杭州市领取工伤保险定期待遇的工伤职工及供养亲属');
    expect(text.paragraphs[0]).toBe(
      `根据《工伤保险条例》第四十条“${ARTICLE_40}”和省人民政府规定的调整办法，现将杭州市2025年伤残津贴、生活护理费、供养亲属抚恤金的调整事项通知如下：`,
    );
    expect(text.paragraphs[1]).toBe(
      '1. 伤残津贴：自2025年7月1日起，一级按原标准增加2%，另增加30.00元；二级按原标准增加2%，另增加30.00元；三级按原标准增加2%，另增加30.00元；四级按原标准增加2%，另增加30.00元；五级、六级不在本次调整之列。依据：《浙江省工伤保险条例》第三十七条（演示参数：省级正式调整文件尚未载入）。',
    );
    expect(text.paragraphs[2]).toMatch(
      /^2\. 生活护理费：自2025年7月1日起，生活完全不能自理按原标准增加5%；/,
    );
    expect(text.paragraphs[3]).toMatch(/^3\. 供养亲属抚恤金：自2025年7月1日起，按原标准增加3%。/);
    expect(text.paragraphs[4]).toBe(
      '本次调整涉及定期待遇2项：伤残津贴（工伤保险基金支付）2项，月待遇合计由8,000.00元调整为8,220.00元。',
    );
    expect(text.paragraphs[5]).toBe(
      '调整后的待遇自2025年7月起按月发放至本人社会保障卡银行账户。本人调整前后的金额可在个人服务页面查询。',
    );
    expect(text.paragraphs[6]).toMatch(
      /^如对本次调整不服，可以自知道本次调整之日起六十日内向本市人民政府申请行政复议/,
    );
  });
});
