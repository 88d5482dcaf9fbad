import { expect, test, type Page } from '@playwright/test';
import { signIn, signOut } from './helpers.ts';

async function fillItem(page: Page, row: number, herb: string, grams: string) {
  const herbs = page.getByTestId('rx-herb-input');
  while ((await herbs.count()) <= row) await page.getByTestId('rx-add-item').click();
  await herbs.nth(row).fill(herb);
  await page.getByTestId('rx-grams-input').nth(row).fill(grams);
}

/**
 * Prescription routing through the UI: the physician writes 四君子汤 (7 doses, 代煎, pickup at the
 * patient's chosen store) with no blocking flag, the hospital pharmacist approves, the store's
 * pharmacist accepts the offer and dispenses with a second pharmacist's 复核, the decoction is logged,
 * the medicine is ready with a pickup code, and the patient link shows each step. A formula with
 * 甘草 + 海藻 shows the blocking 十八反 flag before signing.
 */
test('physician writes 四君子汤; reviewed, accepted, dispensed with 复核, decocted, ready; patient link', async ({ page }) => {
  await signIn(page, 'doctor@bencao.demo');
  await page.goto('/zh/prescriptions/new');
  await page.getByTestId('rx-patient-name').fill('张三');
  await page.getByTestId('rx-patient-age').fill('46');
  await page.getByLabel('性别').selectOption('M');

  // 甘草 + 海藻: blocked (十八反) before anything is signed.
  await fillItem(page, 0, '甘草', '6');
  await fillItem(page, 1, '海藻', '10');
  await page.getByTestId('rx-screen').click();
  await expect(page.getByTestId('rx-flag').filter({ hasText: '拦截' }).first()).toContainText('海藻');
  await expect(page.getByTestId('rx-screen-result')).toContainText('甘草');
  await page.screenshot({ path: 'test-results/screens/rx-blocked.png', fullPage: true });

  // 四君子汤 instead.
  await fillItem(page, 0, '人参', '9');
  await fillItem(page, 1, '白术', '9');
  await fillItem(page, 2, '茯苓', '12');
  await fillItem(page, 3, '炙甘草', '6');
  await page.getByTestId('rx-doses').fill('7');
  if (!(await page.getByTestId('rx-decoction').isChecked())) await page.getByTestId('rx-decoction').check();
  await page.getByLabel('取药方式').selectOption('pickup');
  const store = page.getByTestId('rx-store').locator('option', { hasText: '文三路店' });
  await expect(store).toHaveCount(1);
  await page.getByTestId('rx-store').selectOption((await store.getAttribute('value'))!);
  await page.getByTestId('rx-screen').click();
  await expect(page.getByTestId('rx-screen-result')).toBeVisible();
  await expect(page.getByTestId('rx-flag').filter({ hasText: '拦截' })).toHaveCount(0);
  await page.getByTestId('rx-sign').click();
  await expect(page).toHaveURL(/\/zh\/prescriptions\/rx_/);
  const rxUrl = page.url();
  await expect(page.getByTestId('rx-detail-status')).toContainText('待审方');
  await signOut(page);

  await signIn(page, 'hospital-pharmacist@bencao.demo');
  await page.goto(rxUrl);
  await page.getByTestId('rx-approve').click();
  await expect(page.getByTestId('rx-detail-status')).toContainText(/已派单|药房已接单/);
  await signOut(page);

  // The chosen store's pharmacist accepts and dispenses; a second pharmacist checks every item.
  await signIn(page, 'pharmacist@bencao.demo');
  await page.goto('/zh/pharmacy');
  const rxId = rxUrl.split('/').pop()!;
  const offer = page.getByTestId('rx-offer').filter({ hasText: rxId });
  await expect(offer).toBeVisible();
  await offer.getByTestId('rx-accept-offer').click();
  await expect(offer).toHaveCount(0);
  await page.goto(rxUrl);
  await page.getByTestId('rx-start-dispensing').click();
  for (let i = 0; i < 4; i += 1) {
    await page.getByTestId('rx-dispense-item').first().click();
    await expect(page.getByTestId('rx-checklist-item').nth(i)).toContainText('已调配');
  }
  await signOut(page);

  await signIn(page, 'pharmacist2@bencao.demo');
  await page.goto(rxUrl);
  for (let i = 0; i < 4; i += 1) {
    await page.getByTestId('rx-check-item').first().click();
    await expect(page.getByTestId('rx-checklist-item').nth(i)).toContainText('已复核');
  }
  await page.getByTestId('rx-finish-dispensing').click();
  await expect(page.getByTestId('rx-detail-status')).toContainText('煎药中');
  const form = page.getByTestId('rx-decoction-form');
  await form.getByRole('combobox').selectOption('boil');
  await form.getByRole('textbox').first().fill('40');
  await page.getByTestId('rx-log-step').click();
  await expect(page.getByTestId('rx-decoction-log')).toContainText('煎煮');
  await form.getByRole('combobox').selectOption('pack');
  await form.getByRole('textbox').nth(1).fill('14');
  await page.getByTestId('rx-log-step').click();
  await expect(page.getByTestId('rx-decoction-log')).toContainText('包装');
  await page.getByTestId('rx-finish-decoction').click();
  await expect(page.getByTestId('rx-detail-status')).toContainText('待取药');
  await page.screenshot({ path: 'test-results/screens/rx-ready.png', fullPage: true });
  await signOut(page);

  // The hospital sees the timeline and hands the patient the status link (no login needed).
  await signIn(page, 'doctor@bencao.demo');
  await page.goto(rxUrl);
  await expect(page.getByTestId('rx-timeline')).toContainText('煎药中');
  const link = await page.getByTestId('rx-status-link').getAttribute('href');
  await signOut(page);
  await page.goto(link!);
  for (const step of ['药师审核通过', '药房已接单', '药房正在调配', '正在代煎', '可以取药了']) await expect(page.locator('body')).toContainText(step);
  await expect(page.locator('body')).not.toContainText('张三');
  await page.screenshot({ path: 'test-results/screens/rx-patient-link.png', fullPage: true });
});
