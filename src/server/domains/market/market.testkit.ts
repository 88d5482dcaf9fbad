import { newId } from '../../../lib/ids.ts';
import type { Db } from '../../db/client.ts';
import { creditLine, lot, member, organization, orgProfile, product, user } from '../../db/schema/index.ts';
import { herbIdFor } from '../catalog/herbs.seed.ts';
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

/** Every organisation grants every other one net terms (limit ¥20,000,000, 30 days), written directly: their buys may be funded on terms. */
export async function grantNetTermsAmong(db: Db, orgs: readonly Actor[]): Promise<void> {
  const rows = orgs.flatMap((seller) =>
    orgs.filter((buyer) => buyer.orgId !== seller.orgId).map((buyer) => ({ id: newId('crl'), sellerOrgId: seller.orgId!, buyerOrgId: buyer.orgId!, limitFen: 2_000_000_000, termDays: 30 })),
  );
  if (rows.length > 0) await db.insert(creditLine).values(rows).onConflictDoNothing();
}
