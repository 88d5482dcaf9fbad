import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../auth/auth.ts';
import { createRequestContext } from '../../api/context.ts';
import { createCaller } from '../../api/root.ts';
import type { DbHandle } from '../client.ts';
import { allianceMember, organization, outboxEvent, tender, tenderBid, tenderDemand, tenderSupplier } from '../schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { seedDemoWorld } from './seed-demo.ts';

describe('demo tender seed', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => handle.close());

  it('seeds one open tender of the demo alliance with demand and sealed bids, once', async () => {
    const auth = createAuth(handle.db, { baseURL: 'http://localhost:3000' });
    await seedDemoWorld(handle.db, auth);
    const tenders = await handle.db.select().from(tender);
    expect(tenders).toHaveLength(1);
    const [row] = tenders;
    expect(row?.status).toBe('published');
    expect((await handle.db.select().from(tenderDemand).where(eq(tenderDemand.tenderId, row!.id))).length).toBeGreaterThan(5);
    const bids = await handle.db.select().from(tenderBid).where(eq(tenderBid.tenderId, row!.id));
    expect(bids).toHaveLength(4);
    expect(bids.every((b) => !('fenPerKg' in b) && b.sealed.length > 0)).toBe(true);
    // Three suppliers qualified; a fourth waits for the alliance's decision, so the officer has one to make.
    const registrations = await handle.db.select({ status: tenderSupplier.status, name: organization.name }).from(tenderSupplier).innerJoin(organization, eq(organization.id, tenderSupplier.supplierOrgId)).where(eq(tenderSupplier.tenderId, row!.id));
    expect(registrations.filter((r) => r.status === 'qualified')).toHaveLength(3);
    expect(registrations.filter((r) => r.status === 'pending').map((r) => r.name)).toEqual(['四川新荷花中药饮片有限公司']);
    const [timer] = await handle.db.select().from(outboxEvent).where(eq(outboxEvent.dedupeKey, `tenders.open:${row!.id}`));
    expect(timer?.runAt.toISOString()).toBe(row!.openingAt.toISOString());

    // The demo hospital (a member) sees it through its API key.
    const api = createCaller(await createRequestContext({ db: handle.db, auth, headers: new Headers({ authorization: 'Bearer demo-hospital-key' }) }));
    const view = await api.tenders.get({ id: row!.id });
    expect(view.role).toBe('member');
    expect(view.myDemand.length).toBe(3);

    // Every seeded membership was accepted, but one hospital's invitation, left pending for the demo.
    const memberships = await handle.db.select({ status: allianceMember.status, name: organization.name, answeredAt: allianceMember.answeredAt }).from(allianceMember).innerJoin(organization, eq(organization.id, allianceMember.memberOrgId));
    expect(memberships.filter((m) => m.status === 'invited').map((m) => m.name)).toEqual(['宁波市中医院云诊室']);
    expect(memberships.filter((m) => m.status === 'accepted').length).toBe(memberships.length - 1);
    expect(memberships.every((m) => (m.status === 'accepted') === (m.answeredAt !== null))).toBe(true);

    expect((await seedDemoWorld(handle.db, auth)).skipped).toBe(true);
    expect(await handle.db.select().from(tender)).toHaveLength(1);
  });
});
