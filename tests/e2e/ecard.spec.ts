import { describe, expect, it } from 'vitest';
import { apiSession } from './support/api.ts';
import { textOf } from './support/browser.ts';
import { setUpJourneys, withPage } from './support/journeys.ts';
import { signIn } from './support/log-in.ts';

// Issue 13's electronic card code: the demo worker gets its code on the portal (a QR code and the
// text), and the demo institution identifies the worker at 1101 读卡 with that text.
// The demo worker's row on the demo employer's roster (src/usecases/seed/seed-cases-demo.ts).
const WORKER_ID = `wkr_${(330100 * 100 + 91).toString(16).padStart(16, '0')}`;

describe('the electronic card code: portal → 1101 读卡', () => {
  const journeys = setUpJourneys();

  it('shows the worker a code as QR and text; the institution reads the card with it', () =>
    withPage(journeys, async ({ page, errors }) => {
      await signIn(page, 'demo.worker');
      await page.goto('/my/cases');
      const panel = page.getByTestId('ecard-panel');
      await panel.waitFor();
      await page.getByTestId('ecard-fetch').click();
      const shown = page.getByTestId('ecard-code');
      await shown.waitFor();
      const code = (await textOf(shown)).trim();
      expect(code).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(await panel.locator('.ant-qrcode canvas, .ant-qrcode svg').count()).toBe(1);
      expect(await textOf(page.getByTestId('ecard-expiry'))).toContain('5');

      const his = await apiSession(new URL(page.url()).origin, 'demo.institution');
      const signed = await his.post('/api/v1/settlement/his/9001', {
        version: 1,
        serial: 'E2E-EC-9001',
        body: { operator: '收费员01' },
      });
      expect(signed.status).toBe(200);
      const signInId = (signed.body as { body: { signInId: string } }).body.signInId;
      const read = await his.post('/api/v1/settlement/his/1101', {
        version: 1,
        serial: 'E2E-EC-1101',
        signInId,
        body: { ecardCode: code },
      });
      expect(read.status).toBe(200);
      expect((read.body as { body: { workerId: string } }).body.workerId).toBe(WORKER_ID);
      await his.close();
      expect(errors).toEqual([]);
    }));
});
