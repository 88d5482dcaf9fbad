import { expect, test, type Browser, type Page } from '@playwright/test';
import { signIn } from './helpers.ts';

/** A signed-in page of its own (its own cookies), so several parties watch the market at once. */
async function partyPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

async function openInstrument(page: Page, name: string): Promise<void> {
  await page.goto('/zh/market');
  const row = page.getByTestId('instrument-row').filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await row.getByRole('link', { name }).click();
  await expect(page.getByTestId('instrument-name')).toHaveText(name);
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'connected');
}

async function placeBuy(page: Page, kg: string, yuanPerKg: string): Promise<void> {
  const form = page.getByTestId('order-form');
  await form.getByTestId('order-side-buy').click();
  await form.getByTestId('order-qty').fill(kg);
  await form.getByTestId('order-price').fill(yuanPerKg);
  await form.getByTestId('order-funding-card').check();
  await form.getByTestId('order-submit').click();
  await expect(form.getByTestId('order-placed')).toBeVisible();
}

/** Cancels every resting order of the page's organisation on the open instrument (leaves the demo book as found). */
async function cancelAll(page: Page): Promise<void> {
  const open = page.getByTestId('my-open-order');
  for (let n = await open.count(); n > 0; n -= 1) {
    await open.first().getByTestId('cancel-order').click();
    await expect(open).toHaveCount(n - 1);
  }
}

const INSTRUMENT = '黄芪 药材 生 统货';

/**
 * The journey: two hospitals bid for 黄芪 at different prices (card-funded); the demo grower
 * sells from its lot below both; the better bid fills first, partially, at its own (resting) price.
 * Both parties see the trade and the order it became without reloading; the buyer cancels its rest.
 */
test('a grower sells 黄芪 from a lot; the better of two hospital bids fills first and partially; both see it live; cancel works', async ({ browser }) => {
  test.setTimeout(180_000);
  const h1 = await partyPage(browser, 'hospital02@bencao.demo');
  const h2 = await partyPage(browser, 'hospital@bencao.demo');
  const grower = await partyPage(browser, 'grower@bencao.demo');

  await openInstrument(h1, INSTRUMENT);
  await cancelAll(h1);
  await placeBuy(h1, '40', '60.00');
  await openInstrument(h2, INSTRUMENT);
  await cancelAll(h2);
  await placeBuy(h2, '40', '61.50');
  await expect(h2.getByTestId('book-bids').getByTestId('book-level').first()).toHaveAttribute('data-price', '6150');

  // The grower's "my orders & trades" page stays open to see the trade arrive.
  await grower.goto('/zh/market/mine');
  await expect(grower.getByTestId('live-indicator')).toHaveAttribute('data-state', 'connected');
  const growerTrades = grower.getByTestId('mine-trade');
  const tradesBefore = await growerTrades.count();
  await grower.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await h2.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  // The grower sells 25 kg at ¥59 from its lot in a second tab.
  const sellTab = await grower.context().newPage();
  await openInstrument(sellTab, INSTRUMENT);
  const form = sellTab.getByTestId('order-form');
  await form.getByTestId('order-side-sell').click();
  await expect(form.getByTestId('order-lot').locator('option').first()).toBeAttached();
  await form.getByTestId('order-qty').fill('25');
  await form.getByTestId('order-price').fill('59.00');
  await form.getByTestId('order-submit').click();
  await expect(form.getByTestId('order-placed')).toContainText('成交 1 笔共 25 kg');
  await sellTab.screenshot({ path: 'test-results/screens/market-grower-sold.png', fullPage: true });

  // The better bid (¥61.50) took all 25 kg at its own price; 15 kg of it still rest; ¥60 is untouched.
  await expect(h2.getByTestId('recent-trade').filter({ hasText: '¥61.50/kg' }).first()).toHaveAttribute('data-mine', 'buy', { timeout: 30_000 });
  await expect(h2.getByTestId('my-open-order')).toHaveAttribute('data-open', '15000');
  await expect(h2.getByTestId('book-bids').getByTestId('book-level').first()).toHaveAttribute('data-qty', '15000');
  expect(await h2.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await expect(h1.getByTestId('my-open-order')).toHaveAttribute('data-open', '40000');
  await expect(h1.getByTestId('recent-trade').filter({ hasText: '¥61.50/kg' }).first()).toHaveAttribute('data-mine', '', { timeout: 30_000 });

  // The grower's open page shows the trade with its counterparty and the order it became, live.
  await expect(growerTrades).toHaveCount(tradesBefore + 1, { timeout: 30_000 });
  const trade = growerTrades.first();
  await expect(trade.getByTestId('mine-trade-counterparty')).toHaveText('浙江省中医院');
  await expect(trade.getByTestId('mine-trade-order')).toHaveText(/^ord_/, { timeout: 30_000 });
  expect(await grower.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await grower.screenshot({ path: 'test-results/screens/market-grower-mine.png', fullPage: true });

  // The hospital's side: the same order, between the disclosed parties, paid by card authorisation.
  await h2.goto('/zh/market/mine');
  const bought = h2.getByTestId('mine-trade').first();
  await expect(bought.getByTestId('mine-trade-counterparty')).toHaveText('陇西黄芪种植专业合作社');
  await bought.getByTestId('mine-trade-order').click();
  await expect(h2.getByTestId('order-market-trade')).toContainText(INSTRUMENT);
  await expect(h2.getByTestId('order-detail-status')).toHaveText('已付款', { timeout: 30_000 });
  await h2.screenshot({ path: 'test-results/screens/market-trade-order.png', fullPage: true });

  // Cancel works: the 15 kg rest leaves the book; the other hospital cancels too.
  await openInstrument(h2, INSTRUMENT);
  await cancelAll(h2);
  await expect(h2.getByTestId('book-bids').getByTestId('book-level').first()).toHaveAttribute('data-price', '6000');
  await cancelAll(h1);
  await expect(h1.getByTestId('book-bids-empty')).toBeVisible({ timeout: 30_000 });
});

test('on English pages an instrument is also named in pinyin, Latin and English words', async ({ page }) => {
  await signIn(page, 'buyer@bencao.demo');
  await page.goto('/en/market');
  const row = page.getByTestId('instrument-row').filter({ hasText: INSTRUMENT });
  await expect(row.getByTestId('instrument-other-name')).toHaveText('Huangqi (Astragali Radix) · Raw herb · Raw · Ungraded');
  await row.getByRole('link', { name: INSTRUMENT }).click();
  await expect(page.getByTestId('instrument-name')).toHaveText(INSTRUMENT);
  await expect(page.getByTestId('instrument-other-name')).toHaveText('Huangqi (Astragali Radix) · Raw herb · Raw · Ungraded');
  // Chinese pages keep the Chinese name alone.
  await page.goto('/zh/market');
  await expect(page.getByTestId('instrument-other-name')).toHaveCount(0);
});
