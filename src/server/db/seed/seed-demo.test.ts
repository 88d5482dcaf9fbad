import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../auth/auth.ts';
import { createRequestContext } from '../../api/context.ts';
import { createCaller } from '../../api/root.ts';
import type { DbHandle } from '../client.ts';
import { creditLine, orgProfile, organization } from '../schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { verifyAuditChain } from '../../domains/audit/audit.service.ts';
import { seedDemoCredit } from './seed-credit.ts';
import { seedDemoWorld } from './seed-demo.ts';

describe('demo world seed', () => {
  let handle: DbHandle;
  beforeAll(async () => {
    handle = await createTestDb();
  });
  afterAll(async () => handle.close());

  it('seeds the world CONTRACTS.md describes, once, with working demo API keys', async () => {
    const auth = createAuth(handle.db, { baseURL: 'http://localhost:3000' });
    const report = await seedDemoWorld(handle.db, auth);
    expect(report.skipped).toBe(false);
    const kinds = await handle.db.select({ kind: orgProfile.kind, n: count() }).from(orgProfile).groupBy(orgProfile.kind);
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.n]));
    expect(byKind.pharmacy).toBeGreaterThanOrEqual(20);
    expect(byKind.hospital).toBeGreaterThanOrEqual(3);
    expect((byKind.supplier ?? 0) + (byKind.grower ?? 0)).toBeGreaterThanOrEqual(10);
    expect(byKind.alliance).toBe(1);

    const again = await seedDemoWorld(handle.db, auth);
    expect(again.skipped).toBe(true);
    const [orgs] = await handle.db.select({ n: count() }).from(organization);
    expect(orgs!.n).toBe(report.orgs);

    for (const [key, kind] of [['demo-hospital-key', 'hospital'], ['demo-pharmacy-key', 'pharmacy']] as const) {
      const api = createCaller(await createRequestContext({ db: handle.db, auth, headers: new Headers({ authorization: `Bearer ${key}` }) }));
      const current = await api.orgs.current();
      expect(current.profile.kind).toBe(kind);
      expect(current.tradingBlock).toBeNull();
    }
    expect((await verifyAuditChain(handle.db)).ok).toBe(true);
  });

  it('grants the demo payment terms once, after the world exists', async () => {
    expect(await seedDemoCredit(handle.db)).toEqual({ creditLines: 2 });
    expect(await seedDemoCredit(handle.db)).toEqual({ creditLines: 0 });
    const lines = await handle.db.select().from(creditLine);
    expect(lines.map((l) => [l.limitFen, l.termDays]).sort()).toEqual([
      [5_000_000, 30],
      [50_000_000, 60],
    ]);
  });
});
