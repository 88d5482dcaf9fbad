import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'bencao-demo-2026';

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/zh/sign-in');
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/zh\/(dashboard|onboarding)/);
}

export async function signUp(page: Page, name: string, email: string, password: string, next?: string) {
  await page.goto(next ? `/zh/sign-up?next=${encodeURIComponent(next)}` : '/zh/sign-up');
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '注册' }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/zh\/sign-in/);
}

/** A valid USCC for a random stem (GB 32100-2015 check character). */
export function uscc(region: string): string {
  const charset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let body = `91${region}`;
  while (body.length < 17) body += charset[Math.floor(Math.random() * 31)];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += charset.indexOf(body[i]!) * weights[i]!;
  return body + charset[(31 - (sum % 31)) % 31];
}
