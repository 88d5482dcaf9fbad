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
 * Direct ordering: a hospital buyer filters the market to 选货, adds 黄芪 to the cart, pays (the payment
 * is authorised in the Stripe-compatible sandbox by a job), the supplier accepts and ships (the payment
 * is captured), and the buyer sees it on the order's timeline.
 */
test('hospital buys 黄芪 选货; supplier accepts and ships; payment authorised then captured', async ({ page }) => {
  await signIn(page, 'hospital@bencao.demo');
  // Search the market the way buyers type (initials), then narrow to 选货.
  await page.goto('/zh/catalog');
  await page.getByTestId('catalog-search').fill('hq');
  await page.getByTestId('catalog-filter').getByRole('combobox').first().selectOption('selected');
  await page.getByTestId('catalog-filter').getByRole('button').click();
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
  await page.getByTestId('cart-checkout').click();
  await page.getByTestId('cart-view-orders').click();
  await expect(page).toHaveURL(/\/zh\/orders/);
  await page.getByTestId('order-row').first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/zh\/orders\/ord_/);
  const orderUrl = page.url();
  await reloadUntil(page, 'order-detail-status', /已付款/);
  await expect(page.getByTestId('order-payment-status')).toContainText('已授权');
  await signOut(page);

  await signIn(page, 'supplier@bencao.demo');
  await page.goto(orderUrl);
  await page.getByTestId('order-action-accept').click();
  await page.getByTestId('order-action-confirm-button').click();
  await expect(page.getByTestId('order-detail-status')).toContainText('已接单');
  await page.getByTestId('order-action-ship').click();
  await page.getByTestId('order-action-confirm-button').click();
  await expect(page.getByTestId('order-detail-status')).toContainText('已发货');
  await signOut(page);

  await signIn(page, 'hospital@bencao.demo');
  await page.goto(orderUrl);
  await reloadUntil(page, 'order-payment-status', /已扣款/);
  await expect(page.getByTestId('order-timeline')).toContainText('已发货');
  await page.screenshot({ path: 'test-results/screens/order-detail.png', fullPage: true });

  // The traded price now shows in the product's weekly price history.
  await page.goto('/zh/catalog?grade=selected');
  await page.getByTestId('listing-row').filter({ hasText: '黄芪' }).filter({ hasText: '亳州本草饮片' }).first().getByTestId('product-link').click();
  await expect(page.getByTestId('product-spec')).toContainText('黄芪');
  await expect(page.getByTestId('price-history-table')).toContainText('68');
  await expect(page.getByTestId('price-history-chart')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/product-page.png', fullPage: true });
});
