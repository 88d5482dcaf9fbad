import { expect, test, type Page, type Response } from '@playwright/test';
import { signIn } from './helpers.ts';

/**
 * The Content-Security-Policy as the browser gets it: every page answer carries exactly one policy,
 * whose script-src is a fresh nonce with 'strict-dynamic' (no 'unsafe-inline', no 'unsafe-eval'),
 * every script of the page carries that nonce, the page hydrates and works (client navigation, forms,
 * live updates, charts), and the browser reports no violation. API answers and files get the strict
 * static policy.
 */

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  page: string;
}

/** Every violation the page reports (the DOM event) or logs (the console), in any of its documents. */
async function watchViolations(page: Page): Promise<{ violations: Violation[]; console: string[] }> {
  const seen = { violations: [] as Violation[], console: [] as string[] };
  await page.exposeFunction('__cspViolation', (v: Violation) => seen.violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation: (v: unknown) => void }).__cspViolation({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, page: location.pathname });
    });
  });
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) seen.console.push(message.text());
  });
  return seen;
}

async function policiesOf(response: Response | null): Promise<string[]> {
  expect(response, 'a navigation answer').not.toBeNull();
  return (await response!.headersArray())
    .filter((h) => h.name.toLowerCase() === 'content-security-policy')
    .map((h) => h.value);
}

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!.toLowerCase(), values]),
  );
}

/** The page answer's policy is the nonce one, alone, and every script of the HTML carries its nonce. */
async function expectNoncePolicy(response: Response | null): Promise<string> {
  const policies = await policiesOf(response);
  expect(policies, 'one policy (two would both be enforced)').toHaveLength(1);
  const csp = directives(policies[0]!);
  const scriptSrc = csp.get('script-src')!;
  const nonce = /^'nonce-([A-Za-z0-9+/]{22,}={0,2})'$/.exec(scriptSrc.find((s) => s.startsWith("'nonce-")) ?? '')?.[1];
  expect(nonce, `a nonce in script-src: ${scriptSrc.join(' ')}`).toBeTruthy();
  expect(scriptSrc).toContain("'strict-dynamic'");
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  expect(scriptSrc).not.toContain("'unsafe-eval'");
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  expect(csp.get('default-src')).toEqual(["'self'"]);
  const html = await response!.text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`)), 'scripts without the nonce').toEqual([]);
  return nonce!;
}

/** React hydrated the document (its inline bootstrap scripts ran and the client bundle took over). */
async function expectHydrated(page: Page) {
  await expect.poll(() => page.evaluate(() => Object.keys(document.body).some((k) => k.startsWith('__reactFiber')))).toBe(true);
}

let seen: Awaited<ReturnType<typeof watchViolations>>;

test.beforeEach(async ({ page }) => {
  seen = await watchViolations(page);
});

test.afterEach(async () => {
  expect(seen.violations, 'CSP violations the browser reported').toEqual([]);
  expect(seen.console, 'CSP messages on the console').toEqual([]);
});

test('public pages: one nonce policy each, fresh per request; they hydrate and navigate client-side; injected script markup is refused', async ({ page }) => {
  const home = await page.goto('/');
  await expect(page).toHaveURL(/\/zh$/);
  const first = await expectNoncePolicy(home);
  await expectHydrated(page);
  expect(await expectNoncePolicy(await page.reload())).not.toBe(first);

  // A client-side navigation keeps the window (a full load would lose the marker).
  await page.evaluate(() => ((window as unknown as { __stay: number }).__stay = 1));
  await page.locator('main').getByRole('link', { name: '浏览药材库' }).click();
  await expect(page).toHaveURL(/\/zh\/herbs/);
  expect(await page.evaluate(() => (window as unknown as { __stay?: number }).__stay)).toBe(1);
  await expect(page.getByTestId('herb-row').first()).toBeVisible();

  // The positive control: markup injected into a page answer (as a stored XSS would be) does not run
  // — neither an inline script nor an event handler attribute — and the browser reports both.
  await page.route('**/zh/help', async (route) => {
    const response = await route.fetch();
    const injected = '<script>window.__injected = true</script><img src="/injected.png" alt="" onerror="window.__injected = true">';
    await route.fulfill({ response, body: (await response.text()).replace('</main>', `${injected}</main>`) });
  });
  await page.goto('/zh/help');
  await expect.poll(() => seen.violations.map((v) => `${v.directive} ${v.blocked}`).sort()).toEqual(['script-src-attr inline', 'script-src-elem inline']);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  await expect.poll(() => seen.console.length).toBeGreaterThan(0);
  await page.unroute('**/zh/help');
  seen.violations.length = 0;
  seen.console.length = 0;

  for (const path of ['/zh/sign-in', '/zh/sign-up', '/zh/help', '/en/herbs?q=dangshen']) {
    await expectNoncePolicy(await page.goto(path));
    await expectHydrated(page);
  }
  await expect(page.getByTestId('herb-row').filter({ hasText: '党参' }).first()).toBeVisible();

  // An unknown path gets the locale's own not-found page, rendered with the nonce like any page.
  const unknown = await page.goto('/zh/no-such-page');
  expect(unknown?.status()).toBe(404);
  await expectNoncePolicy(unknown);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expectHydrated(page);
});

test('API answers and files get the strict static policy, once', async ({ request }) => {
  for (const path of ['/api/health', '/api/v1/openapi.json', '/favicon.ico', '/samples/catalog-import-sample.csv', '/zh/not.a.page']) {
    const response = await request.get(path);
    const policies = response.headersArray().filter((h) => h.name.toLowerCase() === 'content-security-policy');
    expect(policies, path).toHaveLength(1);
    const csp = directives(policies[0]!.value);
    expect(csp.get('default-src'), path).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
    expect(csp.has('script-src'), path).toBe(false);
  }
});

test('signed in: the sign-in form, the catalogue, the market (live book and chart), a tender (chart), the prescription form', async ({ page }) => {
  await signIn(page, 'hospital@bencao.demo');
  await expectHydrated(page);

  await expectNoncePolicy(await page.goto('/zh/catalog'));
  await expectHydrated(page);
  await expectNoncePolicy(await page.goto('/zh/cart'));

  // The market: a resting buy shows up in the book and its depth chart (canvas) live, over server-sent
  // events, without a reload; then it is cancelled (the demo book stays as found).
  await expectNoncePolicy(await page.goto('/zh/market'));
  const instrument = '黄芪 药材 生 统货';
  await page.getByTestId('instrument-row').filter({ hasText: instrument }).getByRole('link', { name: instrument }).click();
  await expect(page.getByTestId('instrument-name')).toHaveText(instrument);
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'connected');
  const form = page.getByTestId('order-form');
  await form.getByTestId('order-side-buy').click();
  await form.getByTestId('order-qty').fill('5');
  await form.getByTestId('order-price').fill('1.00');
  await form.getByTestId('order-funding-card').check();
  await form.getByTestId('order-submit').click();
  await expect(form.getByTestId('order-placed')).toBeVisible();
  await expect(page.getByTestId('depth-chart').locator('canvas')).toHaveCount(1);
  await expectNoncePolicy(await page.reload());
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('depth-chart').locator('canvas')).toHaveCount(1);
  const open = page.getByTestId('my-open-order');
  for (let n = await open.count(); n > 0; n -= 1) {
    await open.first().getByTestId('cancel-order').click();
    await expect(open).toHaveCount(n - 1);
  }
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/zh\/sign-in/);

  await signIn(page, 'officer@bencao.demo');
  await expectNoncePolicy(await page.goto('/zh/tenders'));
  await page.getByTestId('tender-row').first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/zh\/tenders\/tdr_/);
  await expect(page.getByTestId('tender-status')).toBeVisible();
  await expect(page.getByTestId('demand-chart').locator('canvas')).toHaveCount(1);
  await expectNoncePolicy(await page.reload());
  await expectHydrated(page);
  await expect(page.getByTestId('demand-chart').locator('canvas')).toHaveCount(1);
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/zh\/sign-in/);

  await signIn(page, 'doctor@bencao.demo');
  await expectNoncePolicy(await page.goto('/zh/prescriptions/new'));
  const herbs = page.getByTestId('rx-herb-input');
  const before = await herbs.count();
  await page.getByTestId('rx-add-item').click();
  await expect(herbs).toHaveCount(before + 1);
  await herbs.nth(0).fill('人参');
  await page.getByTestId('rx-grams-input').nth(0).fill('9');
  await page.getByTestId('rx-screen').click();
  await expect(page.getByTestId('rx-screen-result')).toBeVisible();
});
