import { expect, test, type Page } from '@playwright/test';
import { signIn, signOut } from './helpers.ts';

async function fillItem(page: Page, row: number, herb: string, grams: string) {
  const herbs = page.getByTestId('rx-herb-input');
  while ((await herbs.count()) <= row) await page.getByTestId('rx-add-item').click();
  await herbs.nth(row).fill(herb);
  await page.getByTestId('rx-grams-input').nth(row).fill(grams);
}

/**
 * Prescription routing through the UI, as the journey: the physician writes 四君子汤 (7 doses,
 * 代煎, delivery to the patient near 解放路) with no blocking flag, the hospital pharmacist approves, the
 * nearest eligible decoction pharmacy (药房 03) is offered it and rejects (out of 人参), routing moves it
 * to the next (文三路店), whose pharmacist accepts and dispenses with a second pharmacist's 复核; the
 * decoction is logged and the medicine ships; the patient link shows each step.
 */
test('四君子汤 with 代煎 for delivery: approved, nearest rejects (人参), re-routed, accepted, 复核, decocted, shipped; patient link', async ({ page }) => {
  await signIn(page, 'doctor@bencao.demo');
  await page.goto('/zh/prescriptions/new');
  await page.getByTestId('rx-patient-name').fill('张三');
  await page.getByTestId('rx-patient-age').fill('46');
  await page.getByLabel('性别').selectOption('M');
  await fillItem(page, 0, '人参', '9');
  await fillItem(page, 1, '白术', '9');
  await fillItem(page, 2, '茯苓', '12');
  await fillItem(page, 3, '炙甘草', '6');
  await page.getByTestId('rx-doses').fill('7');
  if (!(await page.getByTestId('rx-decoction').isChecked())) await page.getByTestId('rx-decoction').check();
  await page.getByLabel('取药方式').selectOption('delivery');
  await page.getByLabel('纬度').fill('30.2600');
  await page.getByLabel('经度').fill('120.1700');
  await page.getByTestId('rx-screen').click();
  await expect(page.getByTestId('rx-screen-result')).toBeVisible();
  await expect(page.getByTestId('rx-flag').filter({ hasText: '拦截' })).toHaveCount(0);
  await page.getByTestId('rx-sign').click();
  await expect(page).toHaveURL(/\/zh\/prescriptions\/rx_/);
  const rxUrl = page.url();
  const rxId = rxUrl.split('/').pop()!;
  await expect(page.getByTestId('rx-detail-status')).toContainText('待审方');
  await signOut(page);

  await signIn(page, 'hospital-pharmacist@bencao.demo');
  await page.goto(rxUrl);
  await page.getByTestId('rx-approve').click();
  await expect(page.getByTestId('rx-detail-status')).toContainText('已派单');
  await signOut(page);

  // The nearest decoction pharmacy is out of 人参 on the shelf and says so.
  await signIn(page, 'pharmacy03@bencao.demo');
  await page.goto('/zh/pharmacy');
  const nearest = page.getByTestId('rx-offer').filter({ hasText: rxId });
  await expect(nearest).toBeVisible();
  await nearest.getByLabel('拒单理由（必填）').fill('人参缺货');
  await nearest.getByTestId('rx-reject-offer').click();
  await expect(nearest).toHaveCount(0);
  await signOut(page);

  // Re-routed to the next nearest, 文三路店: accepted and dispensed; a second pharmacist checks every item.
  await signIn(page, 'pharmacist@bencao.demo');
  await page.goto('/zh/pharmacy');
  const offer = page.getByTestId('rx-offer').filter({ hasText: rxId });
  await expect(offer).toBeVisible();
  await offer.getByTestId('rx-accept-offer').click();
  await expect(offer).toHaveCount(0);
  await page.goto(rxUrl);
  await expect(page.getByTestId('rx-timeline')).toContainText('人参缺货');
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
  await expect(page.getByTestId('rx-detail-status')).toContainText('已发出');
  await page.screenshot({ path: 'test-results/screens/rx-shipped.png', fullPage: true });
  await signOut(page);

  // The hospital sees the timeline and hands the patient the status link (no login needed).
  await signIn(page, 'doctor@bencao.demo');
  await page.goto(rxUrl);
  await expect(page.getByTestId('rx-timeline')).toContainText('药房拒单');
  await expect(page.getByTestId('rx-timeline')).toContainText('已转派');
  const link = await page.getByTestId('rx-status-link').getAttribute('href');
  await signOut(page);
  await page.goto(link!);
  for (const step of ['药师审核通过', '正在为您匹配药房', '药房已接单', '药房正在调配', '正在代煎', '药品已发出']) await expect(page.locator('body')).toContainText(step);
  await expect(page.locator('body')).not.toContainText('张三');
  await page.screenshot({ path: 'test-results/screens/rx-patient-link.png', fullPage: true });
});

/** 甘草 + 海藻 (十八反) is flagged before signing and, once signed, waits until a physician overrides with a reason. */
test('甘草 + 海藻 is blocked until a physician overrides with a reason', async ({ page }) => {
  await signIn(page, 'doctor@bencao.demo');
  await page.goto('/zh/prescriptions/new');
  await page.getByTestId('rx-patient-name').fill('李四');
  await page.getByTestId('rx-patient-age').fill('52');
  await page.getByLabel('性别').selectOption('F');
  await fillItem(page, 0, '甘草', '6');
  await fillItem(page, 1, '海藻', '10');
  await page.getByTestId('rx-screen').click();
  await expect(page.getByTestId('rx-flag').filter({ hasText: '拦截' }).first()).toContainText('海藻');
  await expect(page.getByTestId('rx-screen-result')).toContainText('甘草');
  await page.screenshot({ path: 'test-results/screens/rx-blocked.png', fullPage: true });
  await page.getByTestId('rx-sign').click();
  await expect(page).toHaveURL(/\/zh\/prescriptions\/rx_/);
  await expect(page.getByTestId('rx-override')).toBeVisible();
  // No reason, no override: the reason is named.
  await page.getByTestId('rx-override').click();
  await expect(page.getByTestId('rx-actions').getByRole('alert')).toContainText('请填写理由');
  await expect(page.getByTestId('rx-reason')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('rx-reason').fill('患者病情需要，已告知风险');
  await page.getByTestId('rx-override').click();
  await expect(page.getByTestId('rx-override')).toHaveCount(0);
  await expect(page.getByTestId('rx-timeline')).toContainText('患者病情需要，已告知风险');
});
