import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { createTestApp, errorOf, orgKybStatus, type TestApp } from '../../testing/test-app.ts';
import { listJobs } from '../../jobs/admin.ts';
import { assertMayTrade } from './orgs.service.ts';

const pharmacy = {
  name: '杭州本草大药房',
  kind: 'pharmacy' as const,
  uscc: '91330106MA2B00001Y',
  regionCode: '330106',
  address: '杭州市西湖区文三路 1 号',
  lat: 30.28,
  lng: 120.13,
};

describe('organisations: sign-up → org → KYB → invite → member permissions', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => app.close());

  it('runs the whole onboarding flow and keeps other organisations out', async () => {
    const owner = await app.signUp('owner@example.cn', '王店长');
    const { id: orgId } = await (await app.caller(owner.headers)).orgs.create(pharmacy);
    const ownerApi = await app.caller(owner.headers);
    expect(orgId).toMatch(/^org_/);
    expect(await orgKybStatus(app, orgId)).toBe('pending');

    const current = await ownerApi.orgs.current();
    expect(current.profile.kind).toBe('pharmacy');
    expect(current.tradingBlock).toEqual({ reason: 'kyb_pending' });
    await expect(assertMayTrade(app.handle.db, orgId)).rejects.toMatchObject({ code: 'ORG_NOT_APPROVED' });

    // Duplicate USCC is refused, naming the field.
    expect(await errorOf(() => ownerApi.orgs.create({ ...pharmacy, name: '另一家' }))).toMatchObject({ data: { code: 'CONFLICT', field: 'uscc' } });

    // The operator approves.
    const op = await app.signUp('ops@bencao.example', '运营');
    const opOrg = await app.makeOperator(op.userId);
    const opApi0 = await app.caller(op.headers);
    await opApi0.orgs.setActive({ orgId: opOrg });
    const opApi = await app.caller(op.headers);
    const queue = await opApi.operator.kybQueue({ status: 'pending' });
    expect(queue.map((o) => o.id)).toContain(orgId);
    expect(await errorOf(() => opApi.operator.decideKyb({ orgId, decision: 'rejected' }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'note' } });
    expect(await orgKybStatus(app, orgId)).toBe('pending');
    await opApi.operator.decideKyb({ orgId, decision: 'approved', note: '资料齐全' });
    await expect(opApi.operator.decideKyb({ orgId, decision: 'rejected', note: '改主意' })).rejects.toMatchObject({ code: 'CONFLICT' });

    // Approved but no licence yet → still blocked with the licence named; add one → may trade.
    await expect(assertMayTrade(app.handle.db, orgId)).rejects.toMatchObject({ code: 'LICENCE_REQUIRED' });
    await ownerApi.orgs.addLicence({ type: 'drug_distribution', number: '浙AA5710001', scope: '中药饮片', validFrom: '2024-01-01', expiresOn: '2029-01-01' });
    await expect(assertMayTrade(app.handle.db, orgId)).resolves.toBeUndefined();

    // Invite a pharmacist; they sign up with that email and accept.
    const invitation = await ownerApi.orgs.invite({ email: 'Li.Yaoshi@example.cn', role: 'pharmacist' });
    expect(invitation.url).toContain(`/invitations/${invitation.id}`);
    const mails = await listJobs(app.handle.db, { job: 'orgs.send-invitation-email' });
    expect(mails.map((m) => (m.payload as { email: string }).email)).toContain('li.yaoshi@example.cn');
    const pharmacist = await app.signUp('li.yaoshi@example.cn', '李药师');
    const stranger = await app.signUp('stranger@example.cn', '路人');
    const strangerApi = await app.caller(stranger.headers);
    await expect(strangerApi.orgs.acceptInvitation({ id: invitation.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const pharmacistApi = await app.caller(pharmacist.headers);
    expect(await errorOf(() => pharmacistApi.orgs.current(), pharmacist.headers)).toMatchObject({ data: { code: 'FORBIDDEN' } });
    await pharmacistApi.orgs.acceptInvitation({ id: invitation.id });
    await expect(pharmacistApi.orgs.acceptInvitation({ id: invitation.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const asPharmacist = await app.caller(pharmacist.headers);
    const me = await asPharmacist.orgs.current();
    expect(me.role).toBe('pharmacist');
    expect(me.permissions).toContain('rx:review');
    expect(me.permissions).not.toContain('member:invite');
    await expect(asPharmacist.orgs.invite({ email: 'x@example.cn', role: 'buyer' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // A stranger cannot act in the organisation, even by naming it.
    await expect(strangerApi.orgs.setActive({ orgId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(strangerApi.orgs.current()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(strangerApi.operator.kybQueue({ status: 'pending' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // API keys: created once (shown once), work as the organisation, then revoked.
    const created = await ownerApi.orgs.createApiKey({ name: 'HIS 接口' });
    expect(created.key.length).toBeGreaterThan(20);
    const keyApi = await app.caller(new Headers({ authorization: `Bearer ${created.key}` }));
    expect((await keyApi.orgs.current()).profile.id).toBe(orgId);
    await expect(keyApi.orgs.createApiKey({ name: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const listed = await ownerApi.orgs.apiKeys();
    expect(JSON.stringify(listed)).not.toContain(created.key);
    await ownerApi.orgs.revokeApiKey({ id: created.id });
    const revoked = await app.caller(new Headers({ authorization: `Bearer ${created.key}` }));
    expect(await errorOf(() => revoked.orgs.current())).toMatchObject({ data: { code: 'UNAUTHORIZED', httpStatus: 401 } });

    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  });

  it('refuses bad input with the field named, in the caller’s language', async () => {
    const user = await app.signUp('bad-input@example.cn');
    const api = await app.caller(user.headers);
    const zh = (fn: () => Promise<unknown>) => errorOf(fn, user.headers);
    expect(await zh(() => api.orgs.create({ ...pharmacy, uscc: '91330106MA2B00001X' }))).toMatchObject({ data: { field: 'uscc', httpStatus: 400 }, message: expect.stringContaining('校验位') });
    expect(await zh(() => api.orgs.create({ ...pharmacy, uscc: '91330106MA2B00002' }))).toMatchObject({ data: { field: 'uscc' }, message: expect.stringContaining('18 位') });
    expect(await zh(() => api.orgs.create({ ...pharmacy, uscc: '91330106MA2B000022', regionCode: '999999' }))).toMatchObject({ data: { field: 'regionCode' } });
    expect(await zh(() => api.orgs.create({ ...pharmacy, name: 'x'.repeat(101), uscc: '91330106MA2B000022' }))).toMatchObject({ data: { field: 'name' } });
    expect(await zh(() => api.orgs.create({ ...pharmacy, lat: 91, uscc: '91330106MA2B000022' }))).toMatchObject({ data: { field: 'lat' } });
    expect(await zh(() => api.orgs.create({ ...pharmacy, lat: '30' as never, uscc: '91330106MA2B000022' }))).toMatchObject({ data: { field: 'lat' } });
    expect(await zh(() => api.orgs.create({ ...pharmacy, kind: 'operator' as never, uscc: '91330106MA2B000022' }))).toMatchObject({ data: { field: 'kind' } });
    const { address: _a, ...missingAddress } = pharmacy;
    expect(await zh(() => api.orgs.create({ ...missingAddress, uscc: '91330106MA2B000022' } as never))).toMatchObject({ data: { field: 'address' } });
    const en = new Headers([...user.headers.entries(), ['accept-language', 'en-US']]);
    expect(await errorOf(() => api.orgs.create({ ...pharmacy, uscc: '91330106MA2B00001X' }), en)).toMatchObject({ message: expect.stringContaining('check character') });
    // Nothing was written by any of the refused attempts.
    expect((await api.orgs.mine()).orgs).toEqual([]);
  });
});
