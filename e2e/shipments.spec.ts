import { createHmac, randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers.ts';

/** The secret the e2e server is given for SF Express webhooks (playwright.config.ts). */
const SF_SECRET = process.env.E2E_CARRIER_SF_SECRET ?? 'e2e-sf-webhook-secret-0123456789';

/** Beijing wall-clock time as SF writes it: yyyy-MM-dd HH:mm:ss. */
function beijing(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

function signedSf(body: string, timestampMs = Date.now()) {
  const timestamp = String(timestampMs);
  const signature = createHmac('sha256', SF_SECRET).update(`${timestamp}.${body}`).digest('base64');
  return { 'content-type': 'application/json', 'x-sf-timestamp': timestamp, 'x-sf-signature': signature };
}

/**
 * Logistics staff at the demo supplier: the shipments list with its filters shows the seeded parcels
 * on their way (one cold-chain with a temperature excursion); an SF Express push for one of them moves
 * its open shipment page live to 派送中; the same signed push again, and one with a wrong signature,
 * are refused and change nothing.
 */
test('shipments list and filters; SF webhook moves a shipment live; a replayed webhook is refused', async ({ page, request }) => {
  await signIn(page, 'supplier@bencao.demo');
  await page.goto('/zh/shipments?side=sent');
  const rows = page.getByTestId('shipment-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThanOrEqual(3);
  await page.getByTestId('shipments-filter-coldChain').check();
  await page.getByTestId('shipments-filter-submit').click();
  await expect(page).toHaveURL(/coldChain=1/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId('shipment-excursion-badge')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/shipments-cold-chain.png', fullPage: true });

  // A parcel in transit, not cold: open its page and keep it open.
  await page.goto('/zh/shipments?side=sent&state=in_transit');
  const plain = rows.filter({ hasNot: page.getByTestId('shipment-excursion-badge') }).first();
  const tracking = (await plain.getByRole('link').textContent())!.trim();
  await plain.getByRole('link').click();
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('shipment-state')).toHaveText('运输中');
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

  // SF pushes "out for delivery" for it.
  const body = JSON.stringify({ requestId: randomUUID(), WaybillRoute: [{ id: `e2e-${randomUUID()}`, mailno: tracking, acceptTime: beijing(new Date()), acceptAddress: '杭州市西湖区派送站', opCode: '44', remark: '快递员正在派送（e2e）' }] });
  const headers = signedSf(body);
  const first = await request.post('/api/webhooks/carriers/sf', { headers, data: body });
  expect(first.status()).toBe(200);
  expect(await first.json()).toMatchObject({ received: true, applied: 1 });
  await expect(page.getByTestId('shipment-state')).toHaveText('派送中', { timeout: 30_000 });
  await expect(page.getByTestId('shipment-timeline')).toContainText('快递员正在派送（e2e）');
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);

  // The very same signed delivery again: refused as a replay; a wrong signature: refused; nothing changes.
  const replay = await request.post('/api/webhooks/carriers/sf', { headers, data: body });
  expect(replay.status()).toBe(401);
  expect(await replay.json()).toMatchObject({ error: { code: 'replayed' } });
  const forged = await request.post('/api/webhooks/carriers/sf', { headers: { ...signedSf(body), 'x-sf-signature': Buffer.from('not the signature').toString('base64') }, data: body });
  expect(forged.status()).toBe(401);
  const unknown = await request.post('/api/webhooks/carriers/ups', { headers: signedSf(body), data: body });
  expect(unknown.status()).toBe(404);
  await page.reload();
  await expect(page.getByTestId('shipment-state')).toHaveText('派送中');
  await expect(page.getByTestId('shipment-event').filter({ hasText: '快递员正在派送（e2e）' })).toHaveCount(1);
  await page.screenshot({ path: 'test-results/screens/shipment-live.png', fullPage: true });
});
