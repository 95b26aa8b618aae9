import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { todayInChina } from '../../src/kernel/dates.ts';
import { formatYuan } from '../../src/kernel/money.ts';
import { declare } from '../../src/usecases/contributions/testing.ts';
import { type ApiSession, apiSession } from './support/api.ts';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Issue 10's refunds journey: an employer overpaid (assessed, then paid more, through the API as the
// handler and the supervisor); a refund is asked and approved; on the city page the handler issues
// the day's refund file, downloads it, imports the bank's return with the refund failed, and sees
// the money held for the employer again (the file's status, then the employer's 多缴 tab).

const EMPLOYER = 'emp_330100_0000000000000001';
const CREDIT_CODE = '91330100MA0000015W';

type Asked = { status: string; approval: { id: string } | null };

/** The maker asks, the supervisor approves, the maker sends the same body with the approval. */
async function approved(maker: ApiSession, checker: ApiSession, url: string, body: object) {
  const asked = (await maker.post(url, body)).body as Asked;
  expect(asked.approval, JSON.stringify(asked)).not.toBeNull();
  const decided = await checker.post(
    `/api/v1/regions/330100/approvals/${asked.approval?.id}/decision`,
    { decision: 'approved' },
  );
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  const done = await maker.post(url, { ...body, approvalId: asked.approval?.id });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return done.body;
}

/**
 * Through the API as the handler and the supervisor: the employer declares this month (a fixture:
 * the declaration upload has its own journey), the month is assessed, the tax bureau's record pays
 * 500.00 元, more than owed; a refund of 123.45 元 is asked and approved. The excess before it.
 */
async function overpaidAndRefunded(
  database: Database,
  handler: ApiSession,
  supervisor: ApiSession,
  today: string,
): Promise<{ before: number; refundId: string }> {
  const month = today.slice(0, 7);
  const run = Date.now().toString(36);
  await declare(database, { employerId: EMPLOYER, month, basesFen: [1_000_000] });
  await approved(handler, supervisor, '/api/v1/regions/330100/contributions/assessments', {
    month,
  });
  const csv = `税票号,统一社会信用代码,费款所属期,实缴金额,入库日期\r\nRF-${run},${CREDIT_CODE},${month},500.00,${today}\r\n`;
  const imported = await handler.post('/api/v1/regions/330100/contributions/collections/imports', {
    fileName: `rf-${run}.csv`,
    contentBase64: Buffer.from(csv).toString('base64'),
  });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  const importId = (imported.body as { importId: string }).importId;
  await approved(
    handler,
    supervisor,
    `/api/v1/regions/330100/contributions/collections/imports/${importId}/postings`,
    {},
  );
  const excessUrl = `/api/v1/regions/330100/employers/${EMPLOYER}/contribution-refunds`;
  const before = ((await handler.get(excessUrl)) as { excessFen: number }).excessFen;
  expect(before).toBeGreaterThan(12_345);

  // A refund of 123.45 元 asked and approved: the excess drops by it.
  const refund = (await approved(
    handler,
    supervisor,
    '/api/v1/regions/330100/contributions/refunds',
    {
      employerId: EMPLOYER,
      clientKey: `e2e-refund-${run}`,
      amountFen: 12_345,
      reason: '多缴退还',
      bankName: '中国工商银行杭州分行',
      accountNumber: '6222021202000000001',
      accountName: '杭州测试单位',
      refundOn: today,
    },
  )) as { refundId: string };
  expect(((await handler.get(excessUrl)) as { excessFen: number }).excessFen).toBe(before - 12_345);
  return { before, refundId: refund.refundId };
}

describe('contributions: a refund of an overpayment through the bank and back', () => {
  const journeys = setUpJourneys();

  it('the handler issues the day’s refund file, imports the return with the refund failed, sees the excess back', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'hz.handler');
      const base = new URL(page.url()).origin;
      const handler = await apiSession(base, 'hz.handler');
      const supervisor = await apiSession(base, 'hz.supervisor');
      const today = todayInChina();
      const { before, refundId } = await overpaidAndRefunded(
        journeys.database(),
        handler,
        supervisor,
        today,
      );

      // On the city page: the day's file, its bytes, the bank's return with the refund failed.
      await page.goto('/contributions');
      const day = page.getByTestId('refund-file-day');
      await day.click();
      await day.fill(today);
      await day.press('Enter');
      await page.getByTestId('refund-file-issue').click();
      await page.getByTestId('refund-files-note').filter({ hasText: '已生成' }).waitFor();
      const row = page.getByTestId('refund-files').locator('tbody tr.ant-table-row').first();
      expect(await textOf(row)).toContain('已发送');
      const link = row.locator('a', { hasText: '下载' });
      const bytes = await page.request.get((await link.getAttribute('href')) ?? '');
      expect(bytes.status()).toBe(200);
      expect(await bytes.text()).toContain(`${refundId},330100,${EMPLOYER}`);
      const fileId = /crfile_330100_[0-9a-f]{16}/.exec(
        (await link.getAttribute('href')) ?? '',
      )?.[0];
      await page.getByTestId(`refund-return-${fileId}`).setInputFiles({
        name: 'return.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          `refund_id,status,bank_reference,paid_on,reason\r\n${refundId},failed,,${today},账户已销户\r\n`,
        ),
      });
      await page.getByTestId('refund-files-note').filter({ hasText: '未到账 1 笔' }).waitFor();
      await page.getByTestId('refund-files').filter({ hasText: '有未到账' }).waitFor();

      // The employer's 多缴 tab holds the money again.
      await page.goto(`/registry/330100/${EMPLOYER}`);
      await page.getByTestId('contributions-tabs').waitFor();
      await page.getByRole('tab', { name: '多缴（暂收款）' }).click();
      const figures = page.getByTestId('excess-figures');
      await figures.filter({ hasText: formatYuan(before) }).waitFor();
      expect(await textOf(figures)).toContain(formatYuan(12_345));
      for (const s of [handler, supervisor]) await s.close();
      expect(errors).toEqual([]);
    }));
});
