import { expect, test } from '@playwright/test';
import { signIn } from './helpers.ts';

/**
 * Forms handled in the browser, as the server renders them: their submit button is disabled, so a click
 * (or Enter in a field) before the page has hydrated cannot submit the form natively — a reload that
 * drops what was typed and puts named fields in the URL. Once the page has hydrated it is enabled. So
 * are buttons that act on a click, whose click would otherwise be lost (the market's buy/sell toggle:
 * a lost click on 卖出 would leave the order a buy).
 */

/** The opening tag of the server-rendered button whose tag matches `marker`. */
function buttonTag(html: string, marker: RegExp): string {
  const tags = html.match(/<button[^>]*>/g) ?? [];
  const tag = tags.find((t) => marker.test(t));
  expect(tag, `a submit button matching ${marker} in the page`).toBeDefined();
  return tag!;
}

const isDisabled = (tag: string) => /\sdisabled(=""|\s|>)/.test(tag);

test('sign-in: the server sends its submit button disabled; hydrated, it is enabled', async ({ page, request }) => {
  const html = await (await request.get('/zh/sign-in')).text();
  expect(isDisabled(buttonTag(html, /type="submit"[^>]*w-full|w-full[^>]*type="submit"/))).toBe(true);
  await page.goto('/zh/sign-in');
  await expect(page.getByRole('button', { name: '登录' })).toBeEnabled();
});

test('prescription form: the server sends its sign button disabled; hydrated, it is enabled', async ({ page }) => {
  await signIn(page, 'doctor@bencao.demo');
  const html = await (await page.request.get('/zh/prescriptions/new')).text();
  expect(isDisabled(buttonTag(html, /data-testid="rx-sign"/))).toBe(true);
  await page.goto('/zh/prescriptions/new');
  await expect(page.getByTestId('rx-sign')).toBeEnabled();
});

test('market order form: the server sends the buy/sell toggle disabled; hydrated, it is enabled', async ({ page }) => {
  await signIn(page, 'hospital@bencao.demo');
  await page.goto('/zh/market');
  const instrument = '黄芪 药材 生 统货';
  await page.getByTestId('instrument-row').filter({ hasText: instrument }).getByRole('link', { name: instrument }).click();
  await expect(page.getByTestId('instrument-name')).toHaveText(instrument);
  const html = await (await page.request.get(page.url())).text();
  expect(isDisabled(buttonTag(html, /data-testid="order-side-sell"/))).toBe(true);
  await expect(page.getByTestId('order-side-sell')).toBeEnabled();
});

test('shell: sign-out and the organisation switcher are sent disabled and enabled once hydrated', async ({ page }) => {
  await signIn(page, 'hospital@bencao.demo');
  const html = await (await page.request.get('/zh/dashboard')).text();
  expect(isDisabled(buttonTag(html, /data-testid="sign-out"/))).toBe(true);
  const select = (html.match(/<select[^>]*>/g) ?? []).find((t) => t.includes('data-testid="org-switcher"'));
  expect(select, 'the organisation switcher in the page').toBeDefined();
  expect(isDisabled(select!)).toBe(true);
  await page.goto('/zh/dashboard');
  await expect(page.getByTestId('sign-out')).toBeEnabled();
  await expect(page.getByTestId('org-switcher')).toBeEnabled();
});
