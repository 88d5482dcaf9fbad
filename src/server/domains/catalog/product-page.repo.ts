import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { herb, product } from '../../db/schema/index.ts';

/** A product's public spec (any seller's product: the spec is market data; no seller identity). */
export async function findProductSpec(db: DbOrTx, productId: string) {
  const [row] = await db
    .select({
      id: product.id,
      name: product.name,
      herbId: product.herbId,
      herbName: herb.name,
      form: product.form,
      cut: product.cut,
      processing: product.processing,
      grade: product.grade,
      origin: product.origin,
      daoDi: product.daoDi,
    })
    .from(product)
    .innerJoin(herb, eq(herb.id, product.herbId))
    .where(eq(product.id, productId));
  return row;
}
export type ProductSpecRow = NonNullable<Awaited<ReturnType<typeof findProductSpec>>>;
