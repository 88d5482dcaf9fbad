import { expect, test } from '@playwright/test';
import { signIn } from './helpers.ts';

test.use({ viewport: { width: 390, height: 844 } });

/** Whether the page is wider than the screen (it would scroll sideways). */
const scrollsSideways = () => document.documentElement.scrollWidth > window.innerWidth;

test('on a phone: the menu scrolls within its row and pages do not scroll sideways; the language link keeps the page; the order form refuses a card buy above one authorisation next to the funding', async ({ page }) => {
  await signIn(page, 'hospital@bencao.demo');
  await page.goto('/zh/market');
  const nav = page.getByTestId('main-nav');
  await expect(nav).toHaveAccessibleName('主导航');
  // One row of links, wider than the screen, scrolled within the menu.
  expect(await nav.evaluate((el) => el.scrollWidth > el.clientWidth && el.clientHeight < 60)).toBe(true);
  expect(await page.evaluate(scrollsSideways)).toBe(false);

  await page.getByTestId('instrument-row').filter({ hasText: '黄芪 药材 生 统货' }).getByRole('link').click();
  await expect(page.getByTestId('instrument-name')).toHaveText('黄芪 药材 生 统货');
  expect(await page.evaluate(scrollsSideways)).toBe(false);

  // 20 t at ¥62.50/kg (typed with a Chinese input method) is more than one card authorisation may hold.
  const form = page.getByTestId('order-form');
  await form.getByTestId('order-side-buy').click();
  await form.getByTestId('order-qty').fill('２００００');
  await form.getByTestId('order-price').fill('62。5');
  await form.getByTestId('order-funding-card').check();
  await form.getByTestId('order-submit').click();
  await expect(form.locator('#order-funding-error')).toHaveText('银行卡预授权单笔不能超过 ¥999,999.99，本委托金额 ¥1,250,000.00：请减少数量、分笔委托，或选择账期。');
  await expect(form.getByTestId('order-placed')).toHaveCount(0);

  const path = new URL(page.url()).pathname.replace(/^\/zh/, '');
  await page.getByTestId('language-link').click();
  await expect(page).toHaveURL(new RegExp(`/en${path}$`));
  await expect(page.getByTestId('main-nav')).toHaveAccessibleName('Main');
});

test('on a phone: the catalogue, the cart and the orders do not scroll sideways; their tables scroll inside their cards', async ({ page }) => {
  await signIn(page, 'buyer@bencao.demo');
  for (const path of ['/zh/catalog', '/zh/cart', '/zh/orders', '/zh/market/mine']) {
    await page.goto(path);
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(scrollsSideways), path).toBe(false);
  }
  await page.goto('/zh/catalog');
  const table = page.getByTestId('listings-table');
  // Wider than the screen, so it scrolls within its card.
  expect(await table.evaluate((el) => el.scrollWidth > window.innerWidth)).toBe(true);
  expect(await table.evaluate((el) => getComputedStyle(el.parentElement!).overflowX)).toBe('auto');
});

test('on a phone: a supplier’s tender list and tender page do not scroll sideways; the lots table scrolls inside its card', async ({ page }) => {
  await signIn(page, 'supplier@bencao.demo');
  await page.goto('/zh/tenders');
  expect(await page.evaluate(scrollsSideways)).toBe(false);
  // The supplier's progress stands beside the title, in view without scrolling the table.
  const mine = page.getByTestId('tender-mine').first();
  await expect(mine).toBeVisible();
  expect(await mine.evaluate((el) => el.getBoundingClientRect().right <= window.innerWidth)).toBe(true);
  await page.getByTestId('tender-row').first().getByRole('link').click();
  await expect(page).toHaveURL(/\/zh\/tenders\/tdr_/);
  await page.waitForLoadState('networkidle');
  expect(await page.evaluate(scrollsSideways)).toBe(false);
  const lots = page.getByTestId('tender-lots').locator('table').first();
  expect(await lots.evaluate((el) => getComputedStyle(el.parentElement!).overflowX)).toBe('auto');
});
