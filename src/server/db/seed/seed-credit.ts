import { count, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { creditLine, organization } from '../schema/index.ts';
import { setCreditLine } from '../../domains/orders/credit.service.ts';
import { DEMO_ORGS } from './demo-world.data.ts';

/** Demo payment terms: the first demo supplier grants the demo hospital and pharmacy a credit line. */
const GRANTS = [
  { seller: 'supplier-01', buyer: 'hospital-01', limitFen: 50_000_000, termDays: 60 },
  { seller: 'supplier-01', buyer: 'pharmacy-01', limitFen: 5_000_000, termDays: 30 },
] as const;

/** The id of the demo organisation `key` (e.g. `supplier-01`), found by its name; null when not seeded. */
export async function orgIdOf(db: Db, key: string): Promise<string | null> {
  const def = DEMO_ORGS.find((o) => o.key === key);
  if (!def) return null;
  const [row] = await db.select({ id: organization.id }).from(organization).where(eq(organization.name, def.name));
  return row?.id ?? null;
}

export async function seedDemoCredit(db: Db): Promise<{ creditLines: number }> {
  const [existing] = await db.select({ n: count() }).from(creditLine);
  if ((existing?.n ?? 0) > 0) return { creditLines: 0 };
  let made = 0;
  for (const grant of GRANTS) {
    const [sellerId, buyerId] = [await orgIdOf(db, grant.seller), await orgIdOf(db, grant.buyer)];
    if (!sellerId || !buyerId) continue;
    await setCreditLine(db, { userId: null, orgId: sellerId }, { buyerOrgId: buyerId, limitFen: grant.limitFen, termDays: grant.termDays });
    made += 1;
  }
  return { creditLines: made };
}
