import { expect, test } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { signIn, signOut, signUp, uscc } from './helpers.ts';

const MAILBOX = path.join(process.env.BENCAO_DATA_DIR ?? '.data-e2e', 'mailbox');
function mailboxText(): string {
  if (!existsSync(MAILBOX)) return '';
  return readdirSync(MAILBOX)
    .map((f) => readFileSync(path.join(MAILBOX, f), 'utf8'))
    .join('\n');
}

/**
 * Done-means journey of the foundation: sign up → create a pharmacy organisation → operator approves
 * → invite a pharmacist → the pharmacist signs up from the link and sees the pharmacist's navigation;
 * a non-member gets 404 on the organisation's pages and API.
 */
test('sign up, create a pharmacy, KYB approval, invite a pharmacist, role navigation, isolation', async ({ page, request }) => {
  const stamp = Date.now().toString(36);
  const ownerEmail = `owner-${stamp}@example.cn`;
  const pharmacistEmail = `yaoshi-${stamp}@example.cn`;
  const orgName = `西湖仁心堂药房 ${stamp}`;

  // 1. Sign up and create the organisation; bad input is refused inline with the field named.
  await signUp(page, '林店长', ownerEmail, 'correct-horse-42');
  await expect(page).toHaveURL(/\/zh\/onboarding/);
  await page.getByLabel('机构名称').fill(orgName);
  await page.getByLabel('机构类型').selectOption('pharmacy');
  await page.getByLabel('统一社会信用代码').fill('91330106MA2B00001X');
  await page.getByLabel('行政区划代码').fill('330106');
  await page.getByLabel('详细地址').fill('杭州市西湖区古墩路 88 号');
  await page.getByLabel('纬度').fill('30.2900');
  await page.getByLabel('经度').fill('120.0950');
  await page.getByRole('button', { name: '提交审核' }).click();
  await expect(page.locator('#uscc-error')).toContainText('校验位');
  await page.getByLabel('统一社会信用代码').fill(uscc('330106'));
  await page.getByRole('button', { name: '提交审核' }).click();
  await expect(page).toHaveURL(/\/zh\/dashboard/);
  await expect(page.getByTestId('dashboard-title')).toContainText(orgName);
  await expect(page.getByTestId('trading-block')).toContainText('等待平台审核');
  await page.screenshot({ path: 'test-results/screens/dashboard-pending.png', fullPage: true });

  // 2. Invite a pharmacist and keep the link.
  await page.getByTestId('main-nav').getByRole('link', { name: '成员' }).click();
  await page.getByLabel('邮箱').fill(pharmacistEmail);
  await page.getByLabel('角色').selectOption('pharmacist');
  await page.getByRole('button', { name: '发送邀请' }).click();
  const link = (await page.getByTestId('invite-link').textContent())!.trim();
  expect(link).toMatch(/\/zh\/invitations\/inv_/);
  await expect(page.getByTestId('invitations-table')).toContainText(pharmacistEmail);
  // The invitation email went through the outbox and the in-process job runner into the local mailbox.
  await expect.poll(() => mailboxText(), { timeout: 20_000 }).toContain(pharmacistEmail);
  expect(mailboxText()).toContain(new URL(link).pathname);
  await signOut(page);

  // 3. The operator approves the organisation.
  await signIn(page, 'ops@bencao.demo');
  await page.getByTestId('main-nav').getByRole('link', { name: '机构审核' }).click();
  const row = page.getByTestId('kyb-row').filter({ hasText: orgName });
  await expect(row).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/kyb-queue.png', fullPage: true });
  await row.getByTestId('kyb-approve').click();
  await expect(page.getByTestId('kyb-feedback')).toContainText(orgName);
  await expect(page.getByTestId('kyb-row').filter({ hasText: orgName })).toHaveCount(0);
  await signOut(page);

  // 4. The pharmacist follows the link, signs up with the invited address and accepts.
  const invitationPath = new URL(link).pathname;
  await page.goto(invitationPath);
  await expect(page.getByTestId('invitation-body')).toContainText(orgName);
  await signUp(page, '苏药师', pharmacistEmail, 'another-horse-42', invitationPath.replace(/^\/zh/, ''));
  await expect(page).toHaveURL(new RegExp(invitationPath));
  await page.getByRole('button', { name: '接受邀请' }).click();
  await expect(page).toHaveURL(/\/zh\/dashboard/);
  await expect(page.getByTestId('dashboard-title')).toContainText(orgName);

  // The pharmacist's navigation: organisation pages yes, owner/operator tools no.
  const nav = page.getByTestId('main-nav');
  await expect(nav.getByRole('link', { name: '工作台', exact: true })).toBeVisible();
  await expect(nav.getByRole('link', { name: '成员' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'API 密钥' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: '机构审核' })).toHaveCount(0);
  await expect(page.getByTestId('trading-block')).toContainText('药品经营许可证');
  await page.goto('/zh/org');
  await expect(page.getByTestId('permissions')).toContainText('rx:review');
  await expect(page.getByTestId('kyb-status')).toHaveText('已通过');
  await page.screenshot({ path: 'test-results/screens/pharmacist-org.png', fullPage: true });
  const orgId = await page.evaluate(async () => {
    const res = await fetch('/api/trpc/orgs.current');
    const json = (await res.json()) as { result: { data: { profile: { id: string } } } };
    return json.result.data.profile.id;
  });
  expect(orgId).toMatch(/^org_/);
  // The pharmacist may not open the owner's pages.
  const apiKeysPage = await page.goto('/zh/org/api-keys');
  expect(apiKeysPage?.status()).toBe(404);
  await signOut(page);

  // 5. A member of another organisation cannot reach this one: pages, tRPC and REST.
  await signIn(page, 'buyer@bencao.demo');
  const switched = await page.evaluate(async (id) => {
    const res = await fetch('/api/trpc/orgs.setActive', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orgId: id }) });
    return res.status;
  }, orgId);
  expect(switched).toBe(404);
  await page.goto('/zh/org');
  await expect(page.locator('h1')).not.toContainText(orgName);
  const asOtherOrg = await request.get(`/api/v1/orgs/${orgId}`, { headers: { authorization: 'Bearer demo-pharmacy-key' } });
  expect(asOtherOrg.status()).toBe(404);
  expect((await asOtherOrg.json()).error).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  const anonymous = await request.get(`/api/v1/orgs/${orgId}`);
  expect(anonymous.status()).toBe(401);
  const badKey = await request.get(`/api/v1/orgs/${orgId}`, { headers: { authorization: 'Bearer not-a-real-key' } });
  expect(badKey.status()).toBe(401);
});
