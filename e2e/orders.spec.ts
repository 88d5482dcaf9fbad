import { expect, test, type Page } from '@playwright/test';
import { signIn, signOut } from './helpers.ts';

async function reloadUntil(page: Page, testId: string, text: RegExp) {
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await page.getByTestId(testId).textContent()) ?? '';
      },
      { timeout: 30_000, intervals: [500, 1000, 2000] },
    )
    .toMatch(text);
}

/**
 * Direct ordering: a hospital buyer filters the market to 选货, adds 黄芪 to the cart, pays on the
 * sandbox checkout page (a simulated decline first, then a retry that is authorised), the supplier
 * accepts and ships (the payment is captured), refunds part of it, and the buyer sees it all on the
 * order's timeline.
 */
test('hospital buys 黄芪 选货; declined then paid; supplier accepts, ships and refunds part', async ({ page }) => {
  await signIn(page, 'hospital@bencao.demo');
  // Search the market the way buyers type (initials), then narrow to 选货.
  await page.goto('/zh/catalog');
  await page.getByTestId('catalog-search').fill('hq');
  await page.getByTestId('catalog-grade').selectOption('selected');
  await page.getByTestId('catalog-filter-submit').click();
  await expect(page).toHaveURL(/q=hq/);
  const row = page.getByTestId('listing-row').filter({ hasText: '黄芪' }).filter({ hasText: '亳州本草饮片' }).first();
  // Listings reach the search index through outbox jobs run right after the demo server starts.
  await expect.poll(async () => {
    if (await row.isVisible()) return true;
    await page.reload();
    return row.isVisible();
  }, { timeout: 30_000 }).toBe(true);
  await expect(page.getByTestId('listing-row').filter({ hasText: '统货' })).toHaveCount(0);
  await row.getByRole('textbox').fill('12');
  await row.getByRole('button', { name: '加入购物车' }).click();
  await expect(row.getByTestId('added-to-cart')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/catalog.png', fullPage: true });

  await page.goto('/zh/cart');
  await expect(page.getByTestId('cart-row').filter({ hasText: '黄芪' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/cart.png', fullPage: true });
  await expect(page.getByTestId('cart-method-hint')).toContainText('发货时才扣款');
  await page.getByTestId('cart-checkout').click();

  // The checkout page: the bank declines first (simulated), the stock stays reserved, the retry pays.
  await expect(page).toHaveURL(/\/zh\/checkout\//);
  await expect(page.getByTestId('pay-order-row')).toHaveCount(1);
  await page.getByTestId('pay-decline').click();
  await expect(page.getByTestId('pay-failed')).toContainText('付款被拒绝', { timeout: 30_000 });
  await expect(page.getByTestId('pay-order-status')).toContainText('付款失败');
  await page.screenshot({ path: 'test-results/screens/checkout-declined.png', fullPage: true });
  await page.getByTestId('pay-confirm').click();
  await expect(page.getByTestId('pay-success')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('pay-order-status')).toContainText('已付款');
  await page.screenshot({ path: 'test-results/screens/checkout-paid.png', fullPage: true });
  await page.getByTestId('pay-order-row').getByRole('link').click();
  await expect(page).toHaveURL(/\/zh\/orders\/ord_/);
  const orderUrl = page.url();
  await expect(page.getByTestId('order-detail-status')).toContainText('已付款');
  await expect(page.getByTestId('order-payment-status')).toContainText('已授权');
  await expect(page.getByTestId('order-tax-line')).toContainText('13%');
  await expect(page.getByTestId('order-timeline')).toContainText('付款被拒绝');
  await signOut(page);

  await signIn(page, 'supplier@bencao.demo');
  await page.goto(orderUrl);
  await page.getByTestId('order-action-accept').click();
  await page.getByTestId('order-action-confirm-button').click();
  await expect(page.getByTestId('order-detail-status')).toContainText('已接单');
  await page.getByTestId('order-action-ship').click();
  await page.getByTestId('order-action-confirm-button').click();
  await expect(page.getByTestId('order-detail-status')).toContainText('已发货');

  // Capture happens in a job after shipment; then the supplier refunds ¥100 of it.
  await reloadUntil(page, 'order-payment-status', /已收款/);
  await page.getByTestId('order-action-refund').click();
  await page.getByTestId('order-action-amount').fill('100');
  await page.getByTestId('order-action-confirm-button').click();
  await reloadUntil(page, 'order-detail-status', /部分退款/);
  await signOut(page);

  await signIn(page, 'hospital@bencao.demo');
  await page.goto(orderUrl);
  await expect(page.getByTestId('order-detail-status')).toContainText('部分退款');
  await expect(page.getByTestId('order-timeline')).toContainText('已发货');
  await expect(page.getByTestId('order-timeline')).toContainText('退款已到账');
  await expect(page.getByTestId('order-timeline')).toContainText('¥100.00');
  await page.screenshot({ path: 'test-results/screens/order-detail.png', fullPage: true });

  // The traded price now shows in the product's weekly price history.
  await page.goto('/zh/catalog?grade=selected');
  await page.getByTestId('listing-row').filter({ hasText: '黄芪' }).filter({ hasText: '亳州本草饮片' }).first().getByTestId('product-link').click();
  await expect(page.getByTestId('product-spec')).toContainText('黄芪');
  await expect(page.getByTestId('price-history-table')).toContainText('68');
  await expect(page.getByTestId('price-history-chart')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/product-page.png', fullPage: true });
});
