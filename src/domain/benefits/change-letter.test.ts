import { describe, expect, it } from 'vitest';
import { changeLetterText } from './change-letter.ts';
import { REVIEW_RIGHTS_ZH } from './decision-letter.ts';

/** The letters of a change, by hand (the stop test's W1: 伤残津贴 6 800.00 a month, 08 paid after the stop). */
describe('the letters of a change to benefits (benefit_change)', () => {
  it('a stop names the ground and its 项, the last day paid, the months to return and the way back', () => {
    const { title, paragraphs } = changeLetterText({
      event: 'stop',
      workerName: '李四',
      ground: 'refused_treatment',
      effectiveOn: '2025-07-10',
      reason: '经两次书面通知未到指定医疗机构就诊',
      ended: [
        {
          kind: 'disability_allowance',
          amountFen: 680_000,
          startsOn: '2025-04-01',
          endsOn: '2025-07-31',
        },
        { kind: 'nursing_allowance', amountFen: 270_000, startsOn: '2025-09-01', endsOn: null },
      ],
      overpaid: [{ kind: 'disability_allowance', months: ['2025-08'], amountFen: 680_000 }],
    });
    expect(title).toBe('停止工伤保险待遇通知书');
    expect(paragraphs).toEqual([
      '李四：经核查，你于2025年7月10日拒绝治疗（经两次书面通知未到指定医疗机构就诊）。根据《工伤保险条例》第四十二条第（三）项"工伤职工有下列情形之一的，停止享受工伤保险待遇"的规定，自2025年8月1日起停止享受下列工伤保险待遇：',
      '1. 伤残津贴：原每月6,800.00元，发放至2025年7月31日止。',
      '2. 生活护理费：原每月2,700.00元，不再发放。',
      '已发放的伤残津贴2025年8月共计6,800.00元不应发放，根据《社会保险经办条例》第四十六条"个人多享受社会保险待遇的，由社会保险经办机构责令退回"的规定，应予退回，退回方式由经办机构另行通知。',
      '你接受治疗后，可以向经办机构申请恢复享受工伤保险待遇；停止期间的待遇不予补发。',
      REVIEW_RIGHTS_ZH,
    ]);
  });

  it('a stop for lost conditions (一) offers no way back', () => {
    const { paragraphs } = changeLetterText({
      event: 'stop',
      workerName: '王五',
      ground: 'lost_conditions',
      effectiveOn: '2025-12-20',
      reason: '经复查鉴定不再符合享受伤残津贴的条件',
      ended: [
        {
          kind: 'disability_allowance',
          amountFen: 300_000,
          startsOn: '2025-04-01',
          endsOn: '2025-12-31',
        },
      ],
      overpaid: [],
    });
    expect(paragraphs[0]).toContain('第四十二条第（一）项');
    expect(paragraphs[0]).toContain('自2026年1月1日起停止');
    expect(paragraphs).toHaveLength(3);
    expect(paragraphs.some((p) => p.includes('恢复'))).toBe(false);
  });
});

describe('the letters of a resumption and a correction (benefit_change)', () => {
  it('a resumption names the stop, the month paid again and that the months between stay unpaid', () => {
    const { title, paragraphs } = changeLetterText({
      event: 'resume',
      workerName: '赵六',
      ground: 'refused_appraisal',
      stoppedOn: '2025-09-15',
      resumedOn: '2025-11-03',
      reason: '已到指定机构接受劳动能力鉴定',
      started: [
        { kind: 'disability_allowance', amountFen: 400_000, startsOn: '2025-11-01', endsOn: null },
      ],
    });
    expect(title).toBe('恢复工伤保险待遇通知书');
    expect(paragraphs).toEqual([
      '赵六：你因拒不接受劳动能力鉴定，自2025年10月1日起被停止享受工伤保险待遇（《工伤保险条例》第四十二条第（二）项）。现已到指定机构接受劳动能力鉴定，自2025年11月3日起恢复享受下列工伤保险待遇：',
      '1. 伤残津贴：每月4,000.00元，自2025年11月1日起，由工伤保险基金按月支付。',
      '停止期间的待遇不予补发。',
      REVIEW_RIGHTS_ZH,
    ]);
  });

  it('a correction states the terms before and after and the arrears, or the months to return', () => {
    const base = {
      event: 'correction' as const,
      workerName: '钱七',
      reason: '本人工资录入错误',
      before: {
        kind: 'disability_allowance',
        amountFen: 456_789,
        startsOn: '2025-03-01',
        endsOn: null,
      },
      after: {
        kind: 'disability_allowance',
        amountFen: 465_000,
        startsOn: '2025-03-01',
        endsOn: null,
      },
    };
    const arrears = changeLetterText({ ...base, arrearsFen: 32_844, overpaid: null });
    expect(arrears.title).toBe('工伤保险待遇更正通知书');
    expect(arrears.paragraphs).toEqual([
      '钱七：经复核，你的伤残津贴原核定为每月4,567.89元，自2025年3月1日起，核定有误（本人工资录入错误）。现更正为每月4,650.00元，自2025年3月1日起。',
      '按更正后的标准，已发放月份少发328.44元，由工伤保险基金补发。',
      REVIEW_RIGHTS_ZH,
    ]);
    const over = changeLetterText({
      ...base,
      arrearsFen: 0,
      overpaid: {
        kind: 'disability_allowance',
        months: ['2025-02', '2025-03'],
        amountFen: 120_000,
      },
    });
    expect(over.paragraphs[1]).toBe(
      '已发放的伤残津贴2025年2月、2025年3月共计1,200.00元不应发放，根据《社会保险经办条例》第四十六条"个人多享受社会保险待遇的，由社会保险经办机构责令退回"的规定，应予退回，退回方式由经办机构另行通知。',
    );
  });
});

describe('the letter of a retirement (benefit_change)', () => {
  it('ends the allowance, states the difference the fund pays and what goes on (the retirement test’s W1)', () => {
    const { title, paragraphs } = changeLetterText({
      event: 'retirement',
      workerName: '孙八',
      retiredOn: '2025-07-15',
      pensionFen: 398_765,
      ended: [
        {
          kind: 'disability_allowance',
          amountFen: 456_789,
          startsOn: '2025-04-01',
          endsOn: '2025-07-31',
        },
      ],
      topUp: {
        kind: 'disability_allowance_top_up',
        amountFen: 58_024,
        startsOn: '2025-08-01',
        endsOn: null,
      },
      kept: ['nursing_allowance'],
    });
    expect(title).toBe('工伤职工退休后工伤保险待遇变更通知书');
    expect(paragraphs).toEqual([
      '孙八：你于2025年7月15日办理退休手续，按月领取基本养老金每月3,987.65元。根据《工伤保险条例》第三十五条第一款第（三）项"工伤职工达到退休年龄并办理退休手续后，停发伤残津贴，按照国家有关规定享受基本养老保险待遇。基本养老保险待遇低于伤残津贴的，由工伤保险基金补足差额。"的规定，你的工伤保险待遇变更如下：',
      '1. 伤残津贴：原每月4,567.89元，发放至2025年7月31日止。',
      '2. 伤残津贴差额：每月580.24元，自2025年8月1日起（原伤残津贴与基本养老金每月3,987.65元之差），由工伤保险基金按月支付。',
      '你的生活护理费继续按原标准发放。',
      REVIEW_RIGHTS_ZH,
    ]);
  });
});

describe('the letter of a retirement without a monthly pension, back-dated (浙江 第二十六条第二款)', () => {
  it('states the account, the net rows, the heirs’ right and the net to recover', () => {
    // The figures of the brief: 4 000.00 − 1 500.00 = 2 500.00 × 6, 3 000.00 once, then 4 000.00;
    // two months paid at 4 000.00 against 2 500.00 owed: 8 000.00 − 5 000.00 = 3 000.00 to recover.
    const item = (amountFen: number, startsOn: string, endsOn: string | null) => ({
      kind: 'disability_allowance',
      amountFen,
      startsOn,
      endsOn,
    });
    const { title, paragraphs } = changeLetterText({
      event: 'retirement',
      workerName: '钱七',
      retiredOn: '2025-07-15',
      pensionFen: 0,
      ended: [item(400_000, '2025-04-01', '2025-07-31')],
      topUp: null,
      kept: [],
      offset: {
        balanceFen: 1_000_000,
        monthlyOffsetFen: 150_000,
        lastOffsetFen: 100_000,
        months: 7,
        rows: [
          item(250_000, '2025-08-01', '2026-01-31'),
          item(300_000, '2026-02-01', '2026-02-28'),
          item(400_000, '2026-03-01', null),
        ],
      },
      backDated: {
        months: ['2025-08', '2025-09'],
        paidMonths: ['2025-08', '2025-09'],
        overpaidFen: 800_000,
        arrearsFen: 500_000,
        netFen: -300_000,
      },
    });
    expect(title).toBe('工伤职工退休后工伤保险待遇变更通知书');
    expect(paragraphs).toEqual([
      '钱七：你于2025年7月15日达到法定退休年龄，不符合按月领取基本养老保险待遇条件。经办机构核定你的个人养老金账户余额10,000.00元，按月冲抵1,500.00元，共冲抵7个月（最后一个月冲抵1,000.00元）。根据《浙江省工伤保险条例》第二十六条第二款"一级至四级工伤职工达到法定退休年龄，不符合按月领取基本养老保险待遇条件的，由工伤保险基金继续按月发放伤残津贴，职工个人养老金账户金额按照规定计发标准按月冲抵到伤残津贴。"的规定，你的工伤保险待遇变更如下：',
      '1. 伤残津贴：原每月4,000.00元，发放至2025年7月31日止。',
      '2. 伤残津贴（冲抵个人养老金账户1,500.00元后）：每月2,500.00元，自2025年8月1日起，至2026年1月31日止，由工伤保险基金按月支付。',
      '3. 伤残津贴（冲抵个人养老金账户1,000.00元后）：每月3,000.00元，自2026年2月1日起，至2026年2月28日止，由工伤保险基金按月支付。',
      '4. 伤残津贴（按原标准）：每月4,000.00元，自2026年3月1日起，由工伤保险基金按月支付。',
      '个人养老金账户余额冲抵完毕后，伤残津贴按原标准发放。你死亡时个人养老金账户有余额的，余额由你的近亲属依法继承。',
      '2025年8月、2025年9月已按伤残津贴发放共计8,000.00元，2025年8月、2025年9月按变更后的标准应发放5,000.00元，多发3,000.00元，根据《社会保险经办条例》第四十六条"个人多享受社会保险待遇的，由社会保险经办机构责令退回"的规定，应予退回，退回方式由经办机构另行通知。',
      REVIEW_RIGHTS_ZH,
    ]);
  });
});

describe('the letter of a survivor’s change (benefit_change)', () => {
  it('names the event, ends her pension and states the others recomputed under the cap (the survivor-change test’s figures)', () => {
    const { title, paragraphs } = changeLetterText({
      event: 'survivor',
      workerName: '周九',
      dependantName: '周小明',
      kind: 'aged_out',
      eventOn: '2026-02-15',
      ended: { amountFen: 165_000, endsOn: '2026-02-28' },
      started: [
        { name: '吴芳', beforeFen: 220_000, amountFen: 240_000, startsOn: '2026-03-01' },
        { name: '周小红', beforeFen: 165_000, amountFen: 180_000, startsOn: '2026-03-01' },
      ],
      arrearsFen: 35_000,
      overpaid: { kind: 'survivor_pension', months: ['2026-03'], amountFen: 165_000 },
    });
    expect(title).toBe('供养亲属抚恤金变更通知书');
    expect(paragraphs).toEqual([
      '周九的近亲属：周小明于2026年2月15日年满十八周岁。依照《因工死亡职工供养亲属范围规定》（劳动和社会保障部令第18号）及《工伤保险条例》第三十九条第一款第（二）项"核定的各供养亲属的抚恤金之和不应高于因工死亡职工生前的工资"的规定，供养亲属抚恤金变更如下：',
      '周小明的供养亲属抚恤金（每月1,650.00元）发放至2026年2月28日止，以后不再发放。',
      '下列供养亲属抚恤金重新核定：',
      '1. 吴芳：每月2,400.00元（原2,200.00元），自2026年3月1日起按月支付。',
      '2. 周小红：每月1,800.00元（原1,650.00元），自2026年3月1日起按月支付。',
      '按重新核定的标准，已发放月份少发350.00元，由工伤保险基金补发。',
      '已发放的供养亲属抚恤金2026年3月共计1,650.00元不应发放，根据《社会保险经办条例》第四十六条"个人多享受社会保险待遇的，由社会保险经办机构责令退回"的规定，应予退回，退回方式由经办机构另行通知。',
      REVIEW_RIGHTS_ZH,
    ]);
  });
  it('a child become an orphan: cites the 10 % and the cap, ends no pension, lists the raise (survivor-change.test’s figures)', () => {
    const { paragraphs } = changeLetterText({
      event: 'survivor',
      workerName: '周九',
      dependantName: '周小明',
      kind: 'orphan_or_sole_elder',
      eventOn: '2025-10-20',
      ended: null,
      started: [{ name: '周小明', beforeFen: 180_000, amountFen: 240_000, startsOn: '2025-11-01' }],
      arrearsFen: 0,
      overpaid: null,
    });
    expect(paragraphs).toEqual([
      '周九的近亲属：周小明于2025年10月20日成为孤儿或者孤寡老人。依照《工伤保险条例》第三十九条第一款第（二）项"孤寡老人或者孤儿每人每月在上述标准的基础上增加10%"及"核定的各供养亲属的抚恤金之和不应高于因工死亡职工生前的工资"的规定，自事由发生的次月起增发10%并重新核定，供养亲属抚恤金变更如下：',
      '下列供养亲属抚恤金重新核定：',
      '1. 周小明：每月2,400.00元（原1,800.00元），自2025年11月1日起按月支付。',
      REVIEW_RIGHTS_ZH,
    ]);
  });
});

describe('the letter of a reappearance (benefit_change)', () => {
  const facts = {
    event: 'reappeared' as const,
    workerName: '张三',
    reappearedOn: '2025-07-15',
    evidence: '本人到派出所报到',
    pensions: [
      { name: '王丽', amountFen: 280_000, startsOn: '2025-06-01', endsOn: '2025-07-31' },
      { name: '李明', amountFen: 210_000, startsOn: '2025-06-01', endsOn: '2025-07-31' },
    ],
    overpaid: [
      {
        name: '王丽',
        kind: 'survivor_pension',
        months: ['2025-08', '2025-09'],
        amountFen: 560_000,
      },
    ],
    advance: { amountFen: 54_188_000, paidOn: '2025-06-05' },
  };
  it('河南: quotes 第三十二条’s sentence, the months paid, what is returned, the review rights', () => {
    const { title, paragraphs } = changeLetterText({
      ...facts,
      rule: { status: 'legislated', citation: '《河南省工伤保险条例》第三十二条' },
    });
    expect(title).toBe('停发供养亲属抚恤金及退回预支一次性工亡补助金通知书');
    expect(paragraphs[0]).toContain(
      '根据《河南省工伤保险条例》第三十二条"该职工重新出现的，自出现的次月起停发供养亲属抚恤金，领取的一次性工亡补助金应当退回。"的规定，自2025年8月1日起停发',
    );
    expect(paragraphs.slice(1, 3)).toEqual([
      '1. 王丽的供养亲属抚恤金：每月2,800.00元，自2025年6月1日起发放至2025年7月31日止。',
      '2. 李明的供养亲属抚恤金：每月2,100.00元，自2025年6月1日起发放至2025年7月31日止。',
    ]);
    // 2 × 2 800.00 = 5 600.00 for August and September; the advance 541 880.00 (50 % of 20 × 54 188).
    expect(paragraphs[3]).toContain('2025年8月、2025年9月共计5,600.00元不应发放');
    expect(paragraphs[4]).toContain(
      '预支给近亲属的一次性工亡补助金541,880.00元，由领取的近亲属退回',
    );
    expect(paragraphs.at(-1)).toBe(REVIEW_RIGHTS_ZH);
  });
  it('浙江: says the rule is the demo one borrowed from 河南’s text, not quoted as 浙江’s', () => {
    const { paragraphs } = changeLetterText({
      ...facts,
      advance: null,
      rule: { status: 'demo', citation: '《河南省工伤保险条例》第三十二条' },
    });
    expect(paragraphs[0]).toContain('本省工伤保险条例对下落不明职工重新出现未作规定');
    expect(paragraphs[0]).toContain('并非本省条例条文');
    expect(paragraphs[0]).not.toContain('"该职工重新出现的');
    expect(paragraphs.some((p) => p.includes('预支'))).toBe(false);
  });
});
