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
 * 代煎, delivery to the patient near 解放路, with the address) with no blocking flag, the hospital
 * pharmacist approves, the nearest eligible decoction pharmacy (药房 03) is offered it and rejects (out
 * of 人参), routing moves it to the next (文三路店), whose pharmacist accepts and dispenses with a second
 * pharmacist's 复核; the decoction is logged and the medicine is handed to the demo carrier, which plays a
 * cold-chain excursion on the way. Pharmacy and hospital see the temperature alert on the shipment
 * page; the patient link shows the tracking, the recipient code and the alert, then 已送达/已完成 once
 * the courier (who got the code) delivers.
 */
test('四君子汤 with 代煎 for delivery: approved, nearest rejects (人参), re-routed, accepted, 复核, decocted, shipped with an excursion; patient link', async ({ page }) => {
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
  // Delivery needs the address: refused before sending, then given.
  await page.getByTestId('rx-sign').click();
  await expect(page.locator('#rx-address-error')).toContainText('请填写收货地址');
  await page.getByTestId('rx-delivery-address').fill('杭州市上城区解放路 18 号 3 单元 501');
  await page.getByTestId('rx-delivery-phone').fill('13800001234');
  await page.getByTestId('rx-sign').click();
  await expect(page).toHaveURL(/\/zh\/prescriptions\/rx_/);
  const rxUrl = page.url();
  const rxId = rxUrl.split('/').pop()!;
  await expect(page.getByTestId('rx-detail-status')).toContainText('待审方');
  await signOut(page);

  await signIn(page, 'hospital-pharmacist@bencao.demo');
  // The pharmacist's dashboard leads with the prescriptions waiting for review; the card opens the list.
  await page.goto('/zh/dashboard');
  const reviewCard = page.getByTestId('work-item').and(page.locator('[data-key="rxReview"]'));
  await expect(reviewCard).toHaveAccessibleName(/^待审核处方 [1-9]\d*$/);
  await reviewCard.click();
  await expect(page).toHaveURL(/\/zh\/prescriptions\/review/);
  await expect(page.getByText(rxId)).toBeVisible();
  await page.goto(rxUrl);
  await page.getByTestId('rx-approve').click();
  await expect(page.getByTestId('rx-detail-status')).toContainText('已派单');
  await signOut(page);

  // The nearest decoction pharmacy is out of 人参 on the shelf and says so.
  await signIn(page, 'pharmacy03@bencao.demo');
  await page.goto('/zh/pharmacy');
  const nearest = page.getByTestId('rx-offer').filter({ hasText: rxId });
  await expect(nearest).toBeVisible();
  // Without a reason the refusal is named under the reason field of this offer, and nothing moves.
  await nearest.getByTestId('rx-reject-offer').click();
  await expect(nearest.getByLabel('拒单理由（必填）')).toHaveAttribute('aria-invalid', 'true');
  await nearest.getByLabel('拒单理由（必填）').fill('人参缺货');
  await nearest.getByTestId('rx-reject-offer').click();
  // Rejecting passes the prescription on: it is asked once more.
  await expect(nearest.getByTestId('rx-reject-offer-confirm-box')).toContainText('派给下一家药房');
  await nearest.getByTestId('rx-reject-offer-confirm').click();
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
  // A bad number of minutes is named under its field, not at the top of the card.
  await form.getByTestId('rx-step-minutes').fill('-5');
  await page.getByTestId('rx-log-step').click();
  await expect(form.getByTestId('rx-step-minutes')).toHaveAttribute('aria-invalid', 'true');
  await expect(form.locator('#rx-minutes-error')).toBeVisible();
  // Typed with a Chinese input method.
  await form.getByTestId('rx-step-minutes').fill('４０');
  await page.getByTestId('rx-log-step').click();
  await expect(page.getByTestId('rx-decoction-log')).toContainText('煎煮');
  await form.getByRole('combobox').selectOption('pack');
  await form.getByRole('textbox').nth(1).fill('14');
  await page.getByTestId('rx-log-step').click();
  await expect(page.getByTestId('rx-decoction-log')).toContainText('包装');
  // Hand-over to the demo carrier: address prefilled from the prescription, weight estimated (14 bags × 220 g).
  await expect(page.getByTestId('rx-ship-address')).toHaveValue('杭州市上城区解放路 18 号 3 单元 501');
  await expect(page.getByTestId('rx-ship-weight')).toHaveValue('3080');
  await expect(page.getByTestId('rx-ship-phone')).toHaveValue('');
  await page.getByTestId('rx-ship-carrier').selectOption('sim');
  await page.getByTestId('rx-ship-scenario').selectOption('excursion');
  await page.screenshot({ path: 'test-results/screens/rx-handover.png', fullPage: true });
  await page.getByTestId('rx-finish-decoction').click();
  await expect(page.getByTestId('rx-confirm-box')).toContainText('交给承运人寄出');
  await page.getByTestId('rx-confirm').click();
  await expect(page.getByTestId('rx-detail-status')).toContainText('已发出');
  await expect(page.getByTestId('rx-shipment')).toContainText('模拟承运商');
  await expect(page.getByTestId('rx-delivery-address')).toContainText('138****1234');
  await page.screenshot({ path: 'test-results/screens/rx-shipped.png', fullPage: true });
  // The pharmacy's shipment page: the cold chain went out of range on the line haul.
  await page.getByTestId('rx-shipment-link').click();
  await expect(page).toHaveURL(/\/zh\/shipments\/shp_/);
  const shipmentUrl = page.url();
  await expect(page.getByTestId('shipment-temperature-alert')).toBeVisible({ timeout: 60_000 });
  await page.screenshot({ path: 'test-results/screens/rx-shipment-pharmacy.png', fullPage: true });
  await signOut(page);

  // The hospital sees the timeline and the shipment, and hands the patient the status link (no login needed).
  await signIn(page, 'doctor@bencao.demo');
  await page.goto(rxUrl);
  await expect(page.getByTestId('rx-timeline')).toContainText('药房拒单');
  await expect(page.getByTestId('rx-timeline')).toContainText('已转派');
  await expect(page.getByTestId('rx-delivery-address')).toContainText('解放路 18 号');
  await expect(page.getByTestId('rx-delivery-address')).not.toContainText('13800001234');
  const link = await page.getByTestId('rx-status-link').getAttribute('href');
  await page.getByTestId('rx-shipment-link').click();
  await expect(page).toHaveURL(shipmentUrl);
  await expect(page.getByTestId('shipment-temperature-alert')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/rx-shipment-hospital.png', fullPage: true });
  await signOut(page);

  // The patient: tracking, the temperature alert, and — once the courier got the recipient code — delivered and completed.
  await page.goto(link!);
  for (const step of ['药师审核通过', '正在为您匹配药房', '药房已接单', '药房正在调配', '正在代煎', '药品已发出']) await expect(page.getByTestId('rx-patient-steps')).toContainText(step);
  await expect(page.getByTestId('rx-patient-temperature-alert')).toBeVisible();
  await expect(page.getByTestId('rx-patient-tracking')).toContainText(/^SIM\d{10}$/);
  await expect(page.getByTestId('rx-patient-steps')).toContainText('已完成', { timeout: 60_000 });
  await expect(page.getByTestId('rx-patient-steps')).toContainText('药品已送达');
  await expect(page.getByTestId('rx-patient-tracking-steps')).toContainText('已签收');
  await expect(page.getByTestId('rx-patient-recipient-code')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('张三');
  await expect(page.locator('body')).not.toContainText('解放路');
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
  await page.getByTestId('rx-delivery-address').fill('杭州市西湖区文三路 90 号');
  await page.getByTestId('rx-sign').click();
  await expect(page).toHaveURL(/\/zh\/prescriptions\/rx_/);
  await expect(page.getByTestId('rx-override')).toBeVisible();
  // No reason, no override: the reason is named.
  await page.getByTestId('rx-override').click();
  await expect(page.getByTestId('rx-actions').getByRole('alert')).toContainText('请填写理由');
  await expect(page.getByTestId('rx-reason')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('rx-reason').fill('患者病情需要，已告知风险');
  await page.getByTestId('rx-override').click();
  // A countersignature cannot be undone: it asks once more.
  await expect(page.getByTestId('rx-confirm-box')).toContainText('确定要医师双签吗？此操作不能撤销。');
  await page.getByTestId('rx-confirm').click();
  await expect(page.getByTestId('rx-override')).toHaveCount(0);
  await expect(page.getByTestId('rx-timeline')).toContainText('患者病情需要，已告知风险');
});
