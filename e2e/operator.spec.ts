import { expect, test } from '@playwright/test';
import { signIn } from './helpers.ts';

/** The platform operator checks the system: every adapter answers, the queues are listed, nothing is down. */
test('the operator sees adapter health and queue depths', async ({ page }) => {
  await signIn(page, 'ops@bencao.demo');
  await page.getByTestId('main-nav').getByRole('link', { name: '系统健康' }).click();
  await expect(page).toHaveURL(/\/zh\/operator\/health/);
  await expect(page.getByRole('heading', { name: '系统健康', level: 1 })).toBeVisible();
  await expect(page.getByTestId('health-status')).not.toHaveAttribute('data-status', 'down');
  for (const adapter of ['health-database', 'health-runner', 'health-search', 'health-payments']) {
    await expect(page.getByTestId(adapter)).toHaveAttribute('data-status', /^(ok|slow)$/);
  }
  // The embedded world: PGlite, the in-process runner, PostgreSQL search and the payment sandbox.
  await expect(page.getByTestId('health-database')).toContainText('PGlite');
  await expect(page.getByTestId('health-payments')).toContainText('沙箱');
  await expect(page.getByTestId('health-carrier')).toHaveCount(3);
  // The demo seed's jobs ran through the outbox: the queue table has rows.
  await expect(page.getByTestId('health-queue-row').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/operator-health.png', fullPage: true });
  await page.getByTestId('health-refresh').click();
  await expect(page.getByTestId('health-status')).toBeVisible();
});
