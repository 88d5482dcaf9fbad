import { newId } from '../../../lib/ids.ts';
import type { Db, DbHandle } from '../../db/client.ts';
import { creditLine, lot, member, organization, orgProfile, product, user } from '../../db/schema/index.ts';
import { createTestDb } from '../../testing/test-db.ts';
import { herbIdFor, upsertHerbMasterData } from '../catalog/herbs.seed.ts';
import type { Actor } from '../orgs/orgs.service.ts';

/** An approved organisation of `kind` with one member (operator admin for the operator, else owner), written directly. */
export async function addMarketOrg(db: Db, kind: string): Promise<Actor> {
  const orgId = newId('organization');
  const userId = newId('user');
  await db.insert(organization).values({ id: orgId, name: orgId, slug: orgId });
  await db.insert(orgProfile).values({
    orgId,
    kind,
    uscc: `91330106MA${orgId.slice(-8).toUpperCase().replace(/[IOSVZ]/g, 'A')}`,
    regionCode: '330106',
    address: '杭州',
    lat: 30.27,
    lng: 120.15,
    kybStatus: 'approved',
  });
  await db.insert(user).values({ id: userId, name: userId, email: `${userId}@example.cn` });
  await db.insert(member).values({ id: newId('member'), organizationId: orgId, userId, role: kind === 'operator' ? 'operator_admin' : 'owner' });
  return { orgId, userId };
}

/** A fresh database with the herb master data, an operator, a grower selling and a hospital buying (the market tests' usual cast). */
export async function marketParties(): Promise<{ handle: DbHandle; operator: Actor; seller: Actor; buyer: Actor }> {
  const handle = await createTestDb();
  await upsertHerbMasterData(handle.db);
  return { handle, operator: await addMarketOrg(handle.db, 'operator'), seller: await addMarketOrg(handle.db, 'grower'), buyer: await addMarketOrg(handle.db, 'hospital') };
}

/** A lot of `herbName` in `spec` held by `owner` (a product of its own), written directly; answers the lot id. */
export async function addMarketLot(
  db: Db,
  owner: Actor,
  herbName: string,
  spec: { form: string; cut: string; processing: string; grade: string },
  quantityG: number,
  origin: string,
): Promise<string> {
  const productId = newId('prd');
  await db.insert(product).values({ id: productId, sellerOrgId: owner.orgId!, herbId: herbIdFor(herbName), ...spec, origin, name: herbName });
  const lotId = newId('lot');
  await db.insert(lot).values({ id: lotId, productId, sellerOrgId: owner.orgId!, batchNo: lotId, quantityG, productionDate: '2025-10-01', expiryDate: '2027-09-30' });
  return lotId;
}

/**
 * Net terms among the organisations (limit ¥20,000,000, 30 days), written directly, so their buys may
 * be funded on terms: by default every one grants every other one; with `sellersPerBuyer`, each buyer
 * gets terms from the next that many organisations in the list (a ring).
 */
export async function grantNetTermsAmong(db: Db, orgs: readonly Actor[], sellersPerBuyer?: number): Promise<void> {
  const per = Math.min(sellersPerBuyer ?? orgs.length - 1, orgs.length - 1);
  const rows = orgs.flatMap((buyer, b) =>
    Array.from({ length: per }, (_, k) => orgs[(b + 1 + k) % orgs.length]!).map((seller) => ({ id: newId('crl'), sellerOrgId: seller.orgId!, buyerOrgId: buyer.orgId!, limitFen: 2_000_000_000, termDays: 30 })),
  );
  for (let i = 0; i < rows.length; i += 1000) await db.insert(creditLine).values(rows.slice(i, i + 1000)).onConflictDoNothing();
}
