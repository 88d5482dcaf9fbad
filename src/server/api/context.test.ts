import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { member, session, user } from '../db/schema/index.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { createTestOrg, randomUscc } from '../testing/test-orgs.ts';
import { withRequestId } from '../observability/request-scope.ts';
import { createRequestContext } from './context.ts';

let app: TestApp;
const contextOf = (headers: Headers) => createRequestContext({ db: app.handle.db, auth: app.auth, headers });

/** The session row behind a Cookie header (the signed token's id part). */
async function sessionOf(headers: Headers): Promise<string> {
  const ctx = await app.auth.api.getSession({ headers, query: { disableCookieCache: true } });
  if (!ctx) throw new Error('not signed in');
  return ctx.session.id;
}

beforeAll(async () => {
  app = await createTestApp();
}, 120_000);
afterAll(async () => app.close());

describe('request context: the cookie cache spares the user lookup, the session and membership are read live', () => {
  it('a signed-in browser carries a signed session cookie cache, and its requests act for its organisation', async () => {
    const org = await createTestOrg(app, 'pharmacy', { tag: 'ctx' });
    expect(org.headers.get('cookie')).toContain('session_data=');
    const ctx = await contextOf(org.headers);
    expect(ctx.user?.id).toBe(org.ownerUserId);
    expect(ctx.activeOrg).toMatchObject({ id: org.id, kind: 'pharmacy', role: 'owner', kybStatus: 'approved' });
    expect(ctx.permissions.has('catalog:read')).toBe(true);
  });

  it('a signed-out session stops at once, though the browser still holds a fresh cookie cache', async () => {
    const org = await createTestOrg(app, 'pharmacy', { tag: 'ctx' });
    expect((await contextOf(org.headers)).user).not.toBeNull();
    await app.auth.api.signOut({ headers: org.headers });
    const after = await contextOf(org.headers);
    expect(after.user).toBeNull();
    expect(after.activeOrg).toBeNull();
    expect(after.permissions.size).toBe(0);
  });

  it('an expired or revoked session row is refused even when the cookie was verified a moment ago', async () => {
    const a = await createTestOrg(app, 'pharmacy', { tag: 'ctx' });
    const b = await createTestOrg(app, 'pharmacy', { tag: 'ctx' });
    expect((await contextOf(a.headers)).activeOrg?.id).toBe(a.id);
    expect((await contextOf(b.headers)).activeOrg?.id).toBe(b.id);
    await app.handle.db.update(session).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(session.id, await sessionOf(a.headers)));
    const bSession = await sessionOf(b.headers);
    await app.handle.db.delete(session).where(eq(session.id, bSession));
    expect((await contextOf(a.headers)).user).toBeNull();
    expect((await contextOf(b.headers)).user).toBeNull();
  });

  it('switching organisation takes effect on the next request with the same cookies; a removed membership at once', async () => {
    const first = await createTestOrg(app, 'pharmacy', { tag: 'ctx' });
    const api = await app.caller(first.headers);
    const { id: second } = await api.orgs.create({ name: '第二家药房', kind: 'pharmacy', uscc: randomUscc(), regionCode: '330106', address: '杭州', lat: 30.27, lng: 120.15 });
    // orgs.create made the new organisation the active one: the old cookies see it.
    expect((await contextOf(first.headers)).activeOrg?.id).toBe(second);
    await (await app.caller(first.headers)).orgs.setActive({ orgId: first.id });
    expect((await contextOf(first.headers)).activeOrg?.id).toBe(first.id);

    await app.handle.db.delete(member).where(eq(member.organizationId, first.id));
    const removed = await contextOf(first.headers);
    expect(removed.user?.id).toBe(first.ownerUserId);
    expect(removed.activeOrg).toBeNull();
    expect(removed.permissions.size).toBe(0);
  });

  it('takes the user’s name from the cookie cache until it is refreshed (the documented trade-off)', async () => {
    const org = await createTestOrg(app, 'hospital', { tag: 'ctx' });
    const before = await contextOf(org.headers);
    await app.handle.db.update(user).set({ name: '改名后' }).where(eq(user.id, org.ownerUserId));
    expect((await contextOf(org.headers)).user?.name).toBe(before.user?.name);
  });

  it('a request whose cookie cache is missing or stale gets a fresh one with its answer, from any route that builds a context', async () => {
    const org = await createTestOrg(app, 'pharmacy', { tag: 'ctx' });
    const route = withRequestId(async (req: Request) => {
      const ctx = await contextOf(req.headers);
      return Response.json({ org: ctx.activeOrg?.id ?? null });
    });
    const tokenOnly = new Headers({ cookie: org.headers.get('cookie')!.split('; ').filter((c) => c.startsWith('better-auth.session_token=')).join('; ') });
    const refreshed = await route(new Request('http://localhost/api/market/ohlc', { headers: tokenOnly }));
    expect(await refreshed.json()).toEqual({ org: org.id });
    expect(refreshed.headers.getSetCookie().some((c) => c.startsWith('better-auth.session_data='))).toBe(true);
    // With a fresh cache nothing needs sending.
    const fresh = await route(new Request('http://localhost/api/market/ohlc', { headers: org.headers }));
    expect(fresh.headers.getSetCookie()).toEqual([]);
  });

  it('refuses a tampered cookie cache: the signed token decides who calls', async () => {
    const org = await createTestOrg(app, 'pharmacy', { tag: 'ctx' });
    const other = await createTestOrg(app, 'pharmacy', { tag: 'ctx' });
    const cookies = (h: Headers) => Object.fromEntries(h.get('cookie')!.split('; ').map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)]));
    const mine = cookies(org.headers);
    const theirs = cookies(other.headers);
    // My token with their cached session: not theirs, and not anonymous either (the token is mine and valid).
    const mixed = new Headers({ cookie: `better-auth.session_token=${mine['better-auth.session_token']}; better-auth.session_data=${theirs['better-auth.session_data']}` });
    expect((await contextOf(mixed)).user?.id).toBe(org.ownerUserId);
    // A cache cookie without a token is nobody.
    const cacheOnly = new Headers({ cookie: `better-auth.session_data=${theirs['better-auth.session_data']}` });
    expect((await contextOf(cacheOnly)).user).toBeNull();
    // A token that is not signed with the secret is nobody.
    const forged = new Headers({ cookie: `better-auth.session_token=${mine['better-auth.session_token']!.replace(/^[^.]+/, 'x'.repeat(32))}` });
    expect((await contextOf(forged)).user).toBeNull();
  });
});

describe('organisations are kept', () => {
  it('its owner cannot delete an organisation: it and its membership stay', async () => {
    const org = await createTestOrg(app, 'pharmacy', { tag: 'ctx' });
    await expect(app.auth.api.deleteOrganization({ headers: org.headers, body: { organizationId: org.id } })).rejects.toMatchObject({ body: { code: 'ORGANIZATION_DELETION_DISABLED' } });
    const ctx = await contextOf(org.headers);
    expect(ctx.activeOrg).toMatchObject({ id: org.id, role: 'owner' });
  });
});
