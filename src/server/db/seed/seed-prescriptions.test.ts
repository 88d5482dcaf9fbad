import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../auth/auth.ts';
import { createRequestContext } from '../../api/context.ts';
import { createCaller } from '../../api/root.ts';
import type { DbHandle } from '../client.ts';
import { pharmacyCapability, prescription } from '../schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { verifyAuditChain } from '../../domains/audit/audit.service.ts';
import { seedDemoPrescriptions } from './seed-prescriptions.ts';
import { seedDemoWorld } from './seed-demo.ts';

describe('demo prescriptions seed', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => handle.close());

  it('seeds prescriptions in several states and pharmacy capability, once', async () => {
    const auth = createAuth(handle.db, { baseURL: 'http://localhost:3000' });
    await seedDemoWorld(handle.db, auth);
    const rows = await handle.db.select({ status: prescription.status, n: count() }).from(prescription).groupBy(prescription.status);
    const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(byStatus).toMatchObject({ screened: 2, approved: 1, routed: 1, decocting: 1, ready: 1, completed: 1, shipped: 1, rejected: 1, expired: 1 });
    const [caps] = await handle.db.select({ n: count() }).from(pharmacyCapability);
    expect(caps!.n).toBeGreaterThanOrEqual(20);
    expect(await seedDemoPrescriptions(handle.db, auth, new Map())).toEqual({ prescriptions: 0, pharmacies: 0 });

    // The demo hospital's API key reads its prescriptions over the same procedures.
    const api = createCaller(await createRequestContext({ db: handle.db, auth, headers: new Headers({ authorization: 'Bearer demo-hospital-key' }) }));
    const [ready] = await handle.db.select({ id: prescription.id }).from(prescription).where(eq(prescription.status, 'ready'));
    const view = await api.prescriptions.get({ id: ready!.id });
    expect(view.pharmacy).not.toBeNull();
    expect(view.timeline.map((e) => e.to)).toContain('ready');
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  }, 180_000);
});
