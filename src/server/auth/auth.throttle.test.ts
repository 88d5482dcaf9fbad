import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { SIGN_IN_ATTEMPTS_PER_IP_PER_MINUTE as LIMIT } from './auth.ts';

/** Login throttling and password storage, through better-auth's real HTTP handler. */
describe('auth: login throttling and password hashing', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await app.signUp('throttle@example.cn');
  });
  afterAll(async () => app.close());

  const attempt = (password: string, ip: string) =>
    app.auth.handler(
      new Request('http://localhost:3000/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, origin: 'http://localhost:3000' },
        body: JSON.stringify({ email: 'throttle@example.cn', password }),
      }),
    );

  it('refuses wrong passwords, then throttles the address with 429 while another address still gets in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i += 1) statuses.push((await attempt('wrong-password', '203.0.113.7')).status);
    expect(statuses.slice(0, LIMIT).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(LIMIT)).toEqual([429, 429]);
    // Even the right password is refused from the throttled address for the window…
    expect((await attempt('correct-horse-42', '203.0.113.7')).status).toBe(429);
    // …while another address signs in.
    expect((await attempt('correct-horse-42', '198.51.100.9')).status).toBe(200);
  });

  it('stores only a password hash', async () => {
    const account = await app.handle.db.query.account.findFirst();
    expect(account?.password).toBeTruthy();
    expect(account?.password).not.toContain('correct-horse-42');
    expect(account?.password?.length).toBeGreaterThan(40);
  });
});
