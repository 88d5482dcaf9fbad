import { expect, test } from '@playwright/test';

/** The herb catalogue the way Chinese buyers type, the help page, and the English UI — no login needed. */
test('herb search by pinyin, initials, traditional characters and processed forms; detail; help; English', async ({ page, request }) => {
  await page.goto('/zh/herbs');
  const search = page.getByTestId('herb-search-input');
  for (const [query, expected] of [
    ['huangqi', '黄芪'],
    ['hq', '黄芪'],
    ['黃芪', '黄芪'],
    ['芪', '黄芪'],
    ['法半夏', '半夏'],
    ['Astragali', '黄芪'],
  ] as const) {
    await search.fill(query);
    await search.press('Enter');
    await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(query)}`));
    await expect(page.getByTestId('herb-row').first()).toBeVisible();
    await expect(page.getByTestId('herb-row').filter({ hasText: expected }).first()).toBeVisible();
  }
  await page.screenshot({ path: 'test-results/screens/herbs-search.png', fullPage: true });

  await search.fill('法半夏');
  await search.press('Enter');
  await page.getByTestId('herb-row').filter({ hasText: '半夏' }).first().getByRole('link').first().click();
  await expect(page.getByTestId('herb-detail-heading')).toContainText('半夏');
  await expect(page.locator('main')).toContainText('法半夏');
  await expect(page.locator('main')).toContainText('十八反');
  await page.screenshot({ path: 'test-results/screens/herb-detail.png', fullPage: true });

  await page.goto('/zh/herbs?q=%F0%9F%98%80%27%3B%20drop%20table%20herb%3B--');
  await expect(page.getByTestId('empty-state')).toBeVisible();

  await page.goto('/zh/help');
  await expect(page.locator('main')).toContainText('国务院');
  await page.goto('/en/herbs?q=dangshen');
  await expect(page.getByTestId('herb-row').filter({ hasText: '党参' }).first()).toBeVisible();
  await expect(page.getByTestId('main-nav')).toContainText('Herbs');
  await page.screenshot({ path: 'test-results/screens/herbs-en.png', fullPage: true });

  const rest = await request.get('/api/v1/herbs?q=huang%20qi&limit=3');
  expect(rest.status()).toBe(200);
  expect((await rest.json()).items[0].name).toBe('黄芪');
  const health = await request.get('/api/health');
  expect(await health.json()).toEqual({ status: 'ok', db: 'pglite', queue: 'inline', search: 'postgres', payments: 'sandbox' });
  const openapi = await request.get('/api/v1/openapi.json');
  expect(Object.keys((await openapi.json()).paths)).toEqual(expect.arrayContaining(['/herbs', '/prescriptions/screen', '/orgs/{id}']));
});
