import { expect, test, type Browser, type Page } from '@playwright/test';
import { signIn } from './helpers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An instant as a `datetime-local` value in Asia/Shanghai (minute precision). */
const shanghaiLocal = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16);

const S1 = '亳州本草饮片有限公司';
const S2 = '安国药都饮片股份有限公司';
const S3 = '浙江康恩贝中药饮片有限公司';

async function reloadUntil(page: Page, testId: string, text: RegExp) {
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await page.getByTestId(testId).first().textContent()) ?? '';
      },
      { timeout: 60_000, intervals: [500, 1000, 2000] },
    )
    .toMatch(text);
}

/** Each party in its own browser context, signed in once. */
async function as(browser: Browser, baseURL: string, email: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

async function officerMove(page: Page, action: 'openDemand' | 'publish', status: RegExp) {
  await page.getByTestId(`tender-action-${action}`).click();
  await page.getByTestId('tender-action-confirm').click();
  await expect(page.getByTestId('tender-status')).toContainText(status);
}

async function reportDemand(page: Page, url: string, kgPerLot: [string, string]) {
  await page.goto(url);
  const inputs = page.getByTestId('demand-form').getByTestId('demand-kg');
  await inputs.nth(0).fill(kgPerLot[0]);
  await inputs.nth(1).fill(kgPerLot[1]);
  await page.getByTestId('demand-save').click();
  await expect(page.getByTestId('demand-form')).toContainText('已保存');
}

async function register(page: Page, url: string) {
  await page.goto(url);
  const form = page.getByTestId('register-form');
  const capacity = form.locator('input[inputmode="decimal"]');
  await capacity.nth(0).fill('5000');
  await capacity.nth(1).fill('5000');
  await form.getByTestId('register-submit').click();
  await expect(page.getByTestId('tender-supplier')).toContainText('待审核');
}

async function bid(page: Page, lotIndex: number, yuanPerKg: string) {
  const form = page.getByTestId('bid-form');
  await form.locator('#bid-lot').selectOption({ index: lotIndex });
  await form.getByTestId('bid-price').fill(yuanPerKg);
  await form.getByTestId('bid-submit').click();
}

async function moveTenderClock(ops: Page, toMs: number) {
  await ops.goto('/zh/operator/tender-clock');
  await ops.getByTestId('tender-clock-to').fill(shanghaiLocal(toMs));
  await ops.getByTestId('tender-clock-move').click();
  await expect(ops.getByTestId('tender-clock-result')).toBeVisible();
  return Number(await ops.getByTestId('tender-clock-result').getAttribute('data-released'));
}

/**
 * The alliance's job end to end on the embedded demo: the officer creates a tender with two lots, two
 * members report demand, three suppliers register and bid sealed (one bid above the ceiling is
 * refused), the operator moves the demo's tender clock past the opening time (the opening job runs,
 * once), the proposed award follows the rules, the clock passes the publicity window and the award
 * is final; a member chooses a winner and calls off at the contract price — an order it pays on the
 * checkout page, which the winner accepts from a lot and ships — and the completion dashboard shows
 * it ordered, then delivered.
 */
test('alliance tender: demand, sealed bids, opening on the demo clock, award, call-off order, completion', async ({ browser }, testInfo) => {
  test.setTimeout(10 * 60_000);
  const baseURL = String(testInfo.project.use.baseURL);

  // The tender clock may run ahead of real time (an earlier run on this server moved it).
  const ops = await as(browser, baseURL, 'ops@bencao.demo');
  await ops.goto('/zh/operator/tender-clock');
  const now = new Date((await ops.getByTestId('tender-clock-now').getAttribute('data-iso'))!).getTime();
  const minute = (ms: number) => Math.floor(ms / MINUTE) * MINUTE;
  const schedule = { demandDeadline: minute(now + 2 * DAY), bidDeadline: minute(now + 3 * DAY), openingAt: minute(now + 3 * DAY + HOUR), publicityEndsAt: minute(now + 4 * DAY) };

  // The officer creates the tender with two lots and opens demand collection.
  const officer = await as(browser, baseURL, 'officer@bencao.demo');
  await officer.goto('/zh/tenders/new');
  const title = `e2e 联盟带量采购 ${new Date().toISOString().slice(0, 19)}`;
  await officer.locator('#title').fill(title);
  for (const [field, at] of Object.entries(schedule)) await officer.locator(`#${field}`).fill(shanghaiLocal(at));
  await officer.locator('#lot-0-herb').fill('黄芪');
  await officer.locator('#lot-0-spec').fill('饮片 · 切片 · 生 · 选货');
  await officer.locator('#lot-0-ceiling').fill('120');
  await officer.locator('#lot-0-regions').fill('330102, 330106');
  await officer.getByTestId('tender-add-lot').click();
  await officer.locator('#lot-1-herb').fill('甘草');
  await officer.locator('#lot-1-spec').fill('饮片 · 切片 · 炙 · 统货');
  await officer.locator('#lot-1-ceiling').fill('45');
  await officer.locator('#lot-1-regions').fill('330102, 330106');
  await officer.getByTestId('tender-create').click();
  await expect(officer).toHaveURL(/\/zh\/tenders\/tdr_/);
  const tenderUrl = new URL(officer.url()).pathname;
  await expect(officer.getByTestId('tender-lot')).toHaveCount(2);
  await officerMove(officer, 'openDemand', /需求申报中/);

  // Two members report their demand per lot.
  const hospital = await as(browser, baseURL, 'hospital@bencao.demo');
  await reportDemand(hospital, tenderUrl, ['300', '100']);
  const pharmacy = await as(browser, baseURL, 'pharmacy@bencao.demo');
  await reportDemand(pharmacy, tenderUrl, ['200', '0']);

  await officer.reload();
  await expect(officer.getByTestId('tender-demand')).toContainText('浙江省中医院');
  await expect(officer.getByTestId('tender-lots').getByTestId('tender-lot').nth(0)).toContainText('500 kg');
  await officerMove(officer, 'publish', /已发布/);

  // Three suppliers register; the officer qualifies them with a reason.
  const suppliers = [
    { name: S1, page: await as(browser, baseURL, 'supplier@bencao.demo') },
    { name: S2, page: await as(browser, baseURL, 'supplier02@bencao.demo') },
    { name: S3, page: await as(browser, baseURL, 'supplier03@bencao.demo') },
  ];
  for (const s of suppliers) await register(s.page, tenderUrl);
  // The officer's list, filtered to what needs a decision, shows the three registrations waiting.
  const tenderId = tenderUrl.split('/').pop()!;
  await officer.goto('/zh/tenders?todo=qualify');
  await expect(officer.getByTestId('tender-todo-qualify')).toHaveAttribute('aria-current', 'page');
  await expect(officer.locator(`[data-tender-id="${tenderId}"]`).getByTestId('tender-pending-registrations')).toHaveText('3');
  await officer.goto(tenderUrl);
  for (const s of suppliers) {
    const row = officer.getByTestId('tender-registrations').locator('tr').filter({ hasText: s.name });
    await row.getByLabel('理由').fill('许可证有效，产能满足');
    await row.getByRole('button', { name: '合格', exact: true }).click();
    await expect(row).toContainText('合格');
    await expect(row.getByTestId('qualify-form')).toHaveCount(1);
  }
  await expect(officer.getByTestId('tender-registrations')).not.toContainText('待审核');
  await officer.goto('/zh/tenders?todo=qualify');
  await expect(officer.locator(`[data-tender-id="${tenderId}"]`)).toHaveCount(0);
  await officer.goto(tenderUrl);

  // A qualified supplier's dashboard asks for its bids; the card opens the list filtered to them.
  const [first] = suppliers;
  await first!.page.goto('/zh/dashboard');
  const bidCard = first!.page.getByTestId('work-item').and(first!.page.locator('[data-key="tendersToBid"]'));
  await expect(bidCard).toHaveAccessibleName(/^待投标的招标 [1-9]\d*$/);
  await bidCard.click();
  await expect(first!.page).toHaveURL(/\/zh\/tenders\?todo=bid/);
  await expect(first!.page.locator(`[data-tender-id="${tenderId}"]`).getByTestId('tender-mine')).toHaveText('待投标 · 还有 2 个标段');
  await first!.page.screenshot({ path: 'test-results/screens/tenders-to-bid.png', fullPage: true });
  await first!.page.goto(tenderUrl);

  // Sealed bids; the one above the ceiling (¥120/kg) is refused at submission.
  const [s1, s2, s3] = suppliers.map((s) => s.page) as [Page, Page, Page];
  for (const page of [s1, s2, s3]) await page.reload();
  await expect(s1.getByTestId('bid-remaining')).toContainText('还需投标：1 ·');
  await bid(s1, 0, '90');
  await expect(s1.getByTestId('bid-receipt')).toBeVisible();
  await expect(s1.getByTestId('bid-remaining')).toHaveText(/^还需投标：2 · 甘草/);
  await bid(s1, 1, '30');
  await expect(s1.getByTestId('bid-receipts').locator('li')).toHaveCount(2);
  await expect(s1.getByTestId('bid-remaining')).toContainText('您报名的标段都已投标');
  await bid(s2, 0, '95');
  await expect(s2.getByTestId('bid-receipt')).toBeVisible();
  await bid(s2, 1, '32');
  await expect(s2.getByTestId('bid-receipts').locator('li')).toHaveCount(2);
  await bid(s3, 0, '130');
  await expect(s3.getByTestId('bid-form')).toContainText('最高有效申报价');
  await expect(s3.getByTestId('bid-receipt')).toHaveCount(0);
  await bid(s3, 0, '100');
  await expect(s3.getByTestId('bid-receipt')).toBeVisible();
  // Bids in on every lot it registered for: nothing left to do on this tender.
  await s1.goto('/zh/tenders');
  await expect(s1.locator(`[data-tender-id="${tenderId}"]`).getByTestId('tender-mine')).toHaveText('已投标');
  await s1.goto('/zh/tenders?todo=bid');
  await expect(s1.locator(`[data-tender-id="${tenderId}"]`)).toHaveCount(0);

  // Before the opening time nobody reads a price, the officer included.
  await officer.reload();
  await expect(officer.getByTestId('tender-status')).toContainText('已发布');
  await expect(officer.getByTestId('award-view')).toHaveCount(0);
  for (const price of ['¥90.00', '¥95.00', '¥100.00', '¥30.00', '¥32.00']) await expect(officer.locator('main')).not.toContainText(price);

  // The operator moves the demo's tender clock past the opening time: the opening job runs once.
  expect(await moveTenderClock(ops, schedule.openingAt + 2 * MINUTE)).toBeGreaterThanOrEqual(1);
  await reloadUntil(officer, 'tender-status', /公示中/);
  const lot1 = officer.getByTestId('award-lot').nth(0);
  await expect(lot1).toContainText('有效投标企业: 3');
  await expect(lot1.locator('tbody tr')).toHaveCount(2);
  await expect(lot1.locator('tbody tr').nth(0)).toContainText(S1);
  await expect(lot1.locator('tbody tr').nth(0)).toContainText('¥90.00');
  await expect(lot1.locator('tbody tr').nth(1)).toContainText(S2);
  await expect(lot1).toContainText('未进入中选名额');
  await expect(officer.getByTestId('award-lot').nth(1).locator('tbody tr')).toHaveCount(2);
  await expect(officer.getByTestId('award-hash')).toHaveText(/^[0-9a-f]{64}$/);
  await officer.screenshot({ path: 'test-results/screens/tender-award.png', fullPage: true });

  // Past the publicity window (no complaints) the final award runs: framework contracts.
  expect(await moveTenderClock(ops, schedule.publicityEndsAt + 2 * MINUTE)).toBeGreaterThanOrEqual(1);
  await reloadUntil(officer, 'tender-status', /已确认中选/);
  await expect(officer.getByTestId('tender-contracts').locator('tbody tr')).toHaveCount(4);

  // The hospital chooses the first-ranked winner for lot 1 and calls off 20 kg, paying by card.
  await hospital.goto(tenderUrl);
  const callOff = hospital.getByTestId('lot-call-off').nth(0);
  const select = callOff.getByTestId('choose-winner-select');
  await select.selectOption((await select.locator('option', { hasText: S1 }).getAttribute('value'))!);
  await callOff.getByTestId('choose-winner').click();
  await expect(callOff.getByTestId('call-off-kg')).toBeVisible();
  await callOff.getByTestId('call-off-kg').fill('20');
  // The call-off is an order to pay: its total at the contract price shows before it is placed.
  await expect(callOff.getByTestId('call-off-total')).toHaveText(/^合计 ¥[\d,]+\.\d{2}（含税，按协议价）$/);
  await callOff.getByTestId('call-off-method').selectOption('card');
  await callOff.getByTestId('call-off-place').click();
  await expect(callOff.getByTestId('call-off-placed')).toBeVisible();
  const orderPath = (await callOff.getByTestId('call-off-order-link').getAttribute('href'))!;
  expect(orderPath).toMatch(/\/orders\/ord_/);
  await hospital.reload();
  const hospitalRow = hospital.getByTestId('completion-row').filter({ hasText: S1 }).first();
  await expect(hospitalRow.getByTestId('completion-ordered')).toHaveText('20 kg');
  await expect(hospitalRow.getByTestId('completion-delivered')).toHaveText('0 kg');
  await expect(hospital.getByTestId('call-off-row')).toContainText('待付款');
  await hospital.screenshot({ path: 'test-results/screens/tender-call-off.png', fullPage: true });

  // The call-off is an order: paid on the checkout page, at the contract price (¥90/kg × 20 kg).
  await hospital.goto(orderPath);
  await expect(hospital.getByTestId('order-call-off')).toContainText(title);
  await expect(hospital.getByTestId('order-total')).toContainText('1,800.00');
  await hospital.getByTestId('order-pay-now').click();
  await expect(hospital).toHaveURL(/\/zh\/checkout\//);
  await hospital.getByTestId('pay-confirm').click();
  await expect(hospital.getByTestId('pay-success')).toBeVisible({ timeout: 30_000 });

  // The winner accepts it from one of its lots (stock reserved then) and ships it.
  await s1.goto('/zh/orders?side=seller');
  await expect(s1.locator(`[data-order-id="${orderPath.split('/').pop()}"]`).getByTestId('order-call-off-badge')).toBeVisible();
  await s1.goto(orderPath);
  await expect(s1.getByTestId('order-call-off')).toBeVisible();
  await s1.getByTestId('order-action-accept').click();
  await expect(s1.getByTestId('order-accept-lot')).toBeVisible();
  await expect(s1.getByTestId('order-accept-lot')).toContainText('黄芪');
  await s1.screenshot({ path: 'test-results/screens/tender-call-off-accept.png', fullPage: true });
  await s1.getByTestId('order-action-confirm-button').click();
  await expect(s1.getByTestId('order-detail-status')).toContainText('已接单');
  // It ships with the demo's simulated carrier (it plays pickup, hub scans and delivery through signed webhooks).
  await s1.getByTestId('order-action-ship').click();
  await expect(s1.getByTestId('order-ship-form')).toBeVisible();
  await s1.getByTestId('order-ship-carrier').selectOption('sim');
  await s1.getByTestId('order-ship-weight').fill('20.5');
  await s1.getByTestId('order-action-confirm-button').click();
  await expect(s1.getByTestId('order-detail-status')).toContainText('已发货');

  // The hospital follows the parcel: its shipment page updates by itself (server-sent events) to 已签收.
  await hospital.goto(orderPath);
  await hospital.getByTestId('order-shipment-link').click();
  await expect(hospital).toHaveURL(/\/zh\/shipments\/shp_/);
  await expect(hospital.getByTestId('live-indicator')).toHaveAttribute('data-state', 'connected');
  await hospital.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await expect(hospital.getByTestId('shipment-state')).toHaveText('已签收', { timeout: 90_000 });
  await expect(hospital.getByTestId('shipment-timeline')).toContainText('快件已签收');
  await expect(hospital.getByTestId('shipment-pod')).toBeVisible();
  expect(await hospital.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true); // no reload
  await hospital.screenshot({ path: 'test-results/screens/shipment-delivered.png', fullPage: true });

  // The hospital confirms delivery; the completion dashboard shows the call-off delivered.
  await hospital.goto(orderPath);
  await hospital.getByTestId('order-action-confirmDelivery').click();
  await hospital.getByTestId('order-action-confirm-button').click();
  await expect(hospital.getByTestId('order-detail-status')).toContainText(/已收货|已完成/);
  await hospital.getByTestId('order-tender-link').click();
  await expect(hospital).toHaveURL(new RegExp(`${tenderUrl}$`));
  await expect(hospital.getByTestId('completion-row').filter({ hasText: S1 }).first().getByTestId('completion-delivered')).toHaveText('20 kg');

  await officer.reload();
  const officerRow = officer.getByTestId('completion-row').filter({ hasText: '浙江省中医院' }).filter({ hasText: S1 });
  await expect(officerRow.getByTestId('completion-ordered')).toHaveText('20 kg');
  await expect(officerRow.getByTestId('completion-delivered')).toHaveText('20 kg');
  await expect(officer.getByTestId('tender-completion')).toBeVisible();
  await officer.getByTestId('tender-completion').scrollIntoViewIfNeeded();
  await officer.screenshot({ path: 'test-results/screens/tender-completion.png', fullPage: true });
  await officer.getByTestId('completion-chart').screenshot({ path: 'test-results/screens/tender-completion-chart.png' });
});

/**
 * Alliance membership needs the member's consent. The demo alliance's invitation of 宁波市中医院云诊室
 * waits as 待接受 and shows the officer only the organisation id; the hospital's owner sees who invites
 * it and declines; the officer sees 已拒绝 and invites again, which leaves it pending as the demo seeds it.
 */
test('alliance membership: the invited hospital sees the invitation and answers it', async ({ browser }, testInfo) => {
  const baseURL = String(testInfo.project.use.baseURL);
  const officer = await as(browser, baseURL, 'officer@bencao.demo');
  await officer.goto('/zh/tenders');
  const first = officer.getByTestId('alliance-invitation').first();
  await expect(first).toBeVisible();
  const orgId = (await first.getByTestId('alliance-invitation-org').textContent())!.trim();
  const invitation = officer.getByTestId('alliance-invitation').filter({ hasText: orgId });
  const invite = async () => {
    await officer.getByTestId('member-org-id').fill(orgId);
    await officer.getByTestId('member-add').click();
    await expect(officer.getByTestId('member-invited')).toBeVisible();
    await expect(invitation).toHaveAttribute('data-status', 'invited');
  };
  if ((await invitation.getAttribute('data-status')) !== 'invited') await invite(); // an earlier run on this server declined it
  await expect(invitation).toContainText('待接受');
  await expect(officer.getByTestId('alliance-invitations')).not.toContainText('宁波市中医院云诊室');

  const hospital = await as(browser, baseURL, 'hospital04@bencao.demo');
  await hospital.goto('/zh/tenders');
  const mine = hospital.getByTestId('my-invitation').filter({ hasText: '浙江省中药饮片省际采购联盟' });
  await expect(mine).toBeVisible();
  await mine.getByRole('button', { name: '拒绝 浙江省中药饮片省际采购联盟 的邀请' }).click();
  await expect(hospital.getByTestId('my-invitations-empty')).toBeVisible();
  await expect(hospital.getByTestId('tenders-table')).toHaveCount(0);

  await officer.reload();
  await expect(invitation).toHaveAttribute('data-status', 'declined');
  await expect(invitation).toContainText('已拒绝');
  await invite();
  await expect(invitation).toContainText('待接受');
});
