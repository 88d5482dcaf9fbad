import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db } from '../../db/client.ts';
import { lot, product } from '../../db/schema/index.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { productName } from './products.core.ts';
import type { CreateLotInput, CreateProductInput } from './products.schemas.ts';
import * as repo from './products.repo.ts';

/** Who acts: the signed-in user (null for API keys) for their active organisation. */
export interface SellerActor {
  userId: string | null;
  orgId: string;
}

/** True when `error` (or one of its causes) is a unique violation of `constraint`. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (typeof current === 'object') {
      const e = current as { code?: unknown; message?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };
      const text = `${String(e.message ?? '')} ${String(e.constraint_name ?? '')} ${String(e.constraint ?? '')}`;
      if (e.code === '23505' && text.includes(constraint)) return true;
      if (text.includes(constraint) && text.includes('duplicate key')) return true;
      current = e.cause;
    } else break;
  }
  return false;
}

export async function createProduct(db: Db, actor: SellerActor, input: CreateProductInput) {
  return db.transaction(async (tx) => {
    const herbName = await repo.findHerbName(tx, input.herbId);
    if (!herbName) throw new AppError('NOT_FOUND', msg('herb.notFound'), { field: 'herbId' });
    const id = newId('prd');
    const name = productName(herbName, input);
    await tx.insert(product).values({ id, sellerOrgId: actor.orgId, ...input, origin: input.origin.trim(), name });
    await appendAudit(tx, {
      actorUserId: actor.userId,
      actorOrgId: actor.orgId,
      orgId: actor.orgId,
      action: 'product.created',
      entityType: 'product',
      entityId: id,
      data: { herbId: input.herbId, name },
    });
    return { id, name };
  });
}

export async function createLot(db: Db, actor: SellerActor, input: CreateLotInput) {
  if (input.expiryDate <= input.productionDate) throw new AppError('VALIDATION', msg('catalog.expiryBeforeProduction'), { field: 'expiryDate' });
  if (input.harvestDate && input.harvestDate > input.productionDate) throw new AppError('VALIDATION', msg('catalog.harvestAfterProduction'), { field: 'harvestDate' });
  const batchNo = input.batchNo.trim();
  return db
    .transaction(async (tx) => {
      const owned = await repo.findOwnProduct(tx, actor.orgId, input.productId);
      if (!owned) throw new AppError('NOT_FOUND', msg('catalog.productNotFound'), { field: 'productId' });
      if (await repo.findLotByBatch(tx, actor.orgId, batchNo)) throw new AppError('CONFLICT', msg('catalog.batchTaken', { batchNo }), { field: 'batchNo' });
      const id = newId('lot');
      await tx.insert(lot).values({
        id,
        productId: owned.id,
        sellerOrgId: actor.orgId,
        batchNo,
        quantityG: input.quantityG,
        reservedG: 0,
        productionDate: input.productionDate,
        expiryDate: input.expiryDate,
        contentPct: input.contentPct ?? null,
        moisturePct: input.moisturePct ?? null,
        totalAshPct: input.totalAshPct ?? null,
        heavyMetalsPpm: input.heavyMetalsPpm ?? null,
        pesticidePpm: input.pesticidePpm ?? null,
        so2Ppm: input.so2Ppm ?? null,
        growerBase: input.growerBase ?? null,
        harvestDate: input.harvestDate ?? null,
      });
      await appendAudit(tx, {
        actorUserId: actor.userId,
        actorOrgId: actor.orgId,
        orgId: actor.orgId,
        action: 'lot.created',
        entityType: 'lot',
        entityId: id,
        data: { productId: owned.id, batchNo, quantityG: input.quantityG },
      });
      return { id };
    })
    .catch((error: unknown) => {
      // Two concurrent creations with one batch number: the unique index decides.
      if (isUniqueViolation(error, 'lot_seller_batch_uq')) throw new AppError('CONFLICT', msg('catalog.batchTaken', { batchNo }), { field: 'batchNo' });
      throw error;
    });
}

export async function myProducts(db: Db, orgId: string) {
  return repo.listOwnProducts(db, orgId);
}

export async function myLots(db: Db, orgId: string) {
  const rows = await repo.listOwnLots(db, orgId);
  return rows.map(({ lot: l, productName: name }) => ({ ...l, productName: name, availableG: l.quantityG - l.reservedG }));
}
