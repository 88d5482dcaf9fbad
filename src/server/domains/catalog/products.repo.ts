import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { herb, lot, product } from '../../db/schema/index.ts';

/** Product and lot queries, always scoped by the seller organisation (ARCHITECTURE.md "Tenancy"). */
export async function findHerbName(db: DbOrTx, herbId: string): Promise<string | undefined> {
  const [row] = await db.select({ name: herb.name }).from(herb).where(eq(herb.id, herbId));
  return row?.name;
}

export async function findOwnProduct(db: DbOrTx, sellerOrgId: string, productId: string) {
  const [row] = await db.select().from(product).where(and(eq(product.id, productId), eq(product.sellerOrgId, sellerOrgId)));
  return row;
}

export async function listOwnProducts(db: DbOrTx, sellerOrgId: string) {
  return db.select().from(product).where(eq(product.sellerOrgId, sellerOrgId)).orderBy(desc(product.createdAt), desc(product.id));
}

export async function findOwnLot(db: DbOrTx, sellerOrgId: string, lotId: string) {
  const [row] = await db.select().from(lot).where(and(eq(lot.id, lotId), eq(lot.sellerOrgId, sellerOrgId)));
  return row;
}

export async function findLotByBatch(db: DbOrTx, sellerOrgId: string, batchNo: string) {
  const [row] = await db.select({ id: lot.id }).from(lot).where(and(eq(lot.sellerOrgId, sellerOrgId), eq(lot.batchNo, batchNo)));
  return row;
}

export async function listOwnLots(db: DbOrTx, sellerOrgId: string) {
  return db
    .select({ lot, productName: product.name })
    .from(lot)
    .innerJoin(product, eq(product.id, lot.productId))
    .where(eq(lot.sellerOrgId, sellerOrgId))
    .orderBy(desc(lot.createdAt), desc(lot.id));
}
