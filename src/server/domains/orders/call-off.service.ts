import { and, eq } from 'drizzle-orm';
import { kgText } from '../../../lib/amount-text.ts';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { callOff, contractAllocation, frameworkContract, tenderDemand } from '../../db/schema/index.ts';
import { lineTotalFen } from '../catalog/listings.core.ts';
import { chinaToday } from '../orgs/licences.core.ts';
import { assertMayTrade } from '../orgs/orgs.service.ts';
import { allocationGrams, completionRows, expectedByDate, isBehind, totalsBy } from '../tenders/completion.core.ts';
import { tenderNow } from '../tenders/tenders.config.ts';
import { awardLots } from '../tenders/tenders.opening.ts';
import * as tenders from '../tenders/tenders.repo.ts';
import type { PlaceCallOffInput } from '../tenders/tenders.schemas.ts';
import { auditTender } from '../tenders/tenders.transitions.ts';
import { allocationLeftG, callOffVolume, formOfTenderSpec, isCallOffOrdered } from './call-off.core.ts';
import { callOffsOfAllocation, callOffsOfTender, findMemberCallOffByKey } from './call-off.repo.ts';
import { createContractOrder } from './orders.service.ts';

/**
 * Call-off orders against tender framework contracts, and completion tracking (DOMAIN.md "Alliance
 * tenders": contracts → call-off orders → completion tracking). A member chooses one winner per lot
 * for its share (its demand × the lot's share), then calls off up to that volume at the contract
 * price within the contract term. Each call-off is carried out by an ordinary order (source =
 * call_off) that goes through payment, the seller's acceptance (with a lot: `call-off.stock.ts`),
 * shipment and the member's confirmation of delivery. Completion compares agreed, ordered and
 * delivered grams per member, supplier and lot, reading ordered and delivered from those orders'
 * states (`call-off.core.ts`): a cancelled, rejected or lapsed order frees its volume.
 */
export interface CallOffActor {
  userId: string | null;
  orgId: string;
}

type ContractRow = typeof frameworkContract.$inferSelect;

async function contractForMember(db: DbOrTx, actor: CallOffActor, contractId: string): Promise<ContractRow> {
  const [contract] = await db.select().from(frameworkContract).where(eq(frameworkContract.id, contractId));
  if (!contract || !(await tenders.isAllianceMember(db, contract.allianceOrgId, actor.orgId))) throw new AppError('NOT_FOUND', msg('tenders.contractNotFound'), { field: 'contractId' });
  return contract;
}

async function sharePercentOf(db: DbOrTx, tenderId: string, lotId: string): Promise<number> {
  const award = await tenders.awardOf(db, tenderId);
  const lot = award ? awardLots(award).find((l) => l.lotId === lotId) : undefined;
  return lot ? Math.round(lot.share * 100) : 0;
}

/**
 * A member chooses a winner (its framework contract) for its share of one lot. The choice may change
 * until the first call-off on it.
 */
export async function chooseWinner(db: Db, actor: CallOffActor, input: { contractId: string }) {
  const contract = await contractForMember(db, actor, input.contractId);
  const [demand] = await db
    .select({ grams: tenderDemand.grams })
    .from(tenderDemand)
    .where(and(eq(tenderDemand.lotId, contract.lotId), eq(tenderDemand.memberOrgId, actor.orgId)));
  if (!demand || demand.grams <= 0) throw new AppError('PRECONDITION_FAILED', msg('tenders.noDemandForLot'), { field: 'contractId' });
  const agreedG = allocationGrams(demand.grams, await sharePercentOf(db, contract.tenderId, contract.lotId));
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select()
      .from(contractAllocation)
      .where(and(eq(contractAllocation.lotId, contract.lotId), eq(contractAllocation.memberOrgId, actor.orgId)))
      // FOR NO KEY UPDATE, as rows are locked everywhere here: an allocation's lot, member and id never change.
      .for('no key update');
    if (existing?.contractId === contract.id) return { id: existing.id, contractId: contract.id, agreedG: existing.agreedG };
    if (existing) {
      if ((await callOffsOfAllocation(tx, existing.id)).some(isCallOffOrdered)) throw new AppError('CONFLICT', msg('tenders.allocationLocked'), { field: 'contractId' });
      await tx.update(contractAllocation).set({ contractId: contract.id, agreedG, chosenByUserId: actor.userId, updatedAt: new Date() }).where(eq(contractAllocation.id, existing.id));
    } else {
      await tx.insert(contractAllocation).values({ id: newId('cal'), tenderId: contract.tenderId, lotId: contract.lotId, contractId: contract.id, memberOrgId: actor.orgId, agreedG, chosenByUserId: actor.userId });
    }
    await auditTender(tx, { id: contract.tenderId, allianceOrgId: contract.allianceOrgId }, { action: 'tender.winner_chosen', userId: actor.userId, orgId: actor.orgId, data: { contractId: contract.id, lotId: contract.lotId, supplierOrgId: contract.supplierOrgId, agreedG } });
    const [saved] = await tx
      .select()
      .from(contractAllocation)
      .where(and(eq(contractAllocation.lotId, contract.lotId), eq(contractAllocation.memberOrgId, actor.orgId)));
    return { id: saved!.id, contractId: contract.id, agreedG };
  });
}

/** Money columns are 32-bit integers (orders.schemas.ts): at most ¥20,000,000.00 per order. */
const MAX_ORDER_FEN = 2_000_000_000;

type CallOffWithOrderRow = Awaited<ReturnType<typeof findMemberCallOffByKey>> & {};
const callOffView = (row: CallOffWithOrderRow, replayed: boolean) => ({
  id: row.id,
  orderId: row.orderId,
  /** The checkout page's key: `/checkout/<key>` pays the order (card, Alipay, WeChat Pay). */
  checkoutKey: row.checkoutKey,
  contractId: row.contractId,
  lotId: row.lotId,
  grams: row.grams,
  fenPerKg: row.fenPerKg,
  totalFen: row.totalFen,
  orderStatus: row.orderStatus,
  paymentMethod: row.paymentMethod,
  replayed,
});

function isDuplicateKey(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    const constraint = String((e as { constraint_name?: unknown }).constraint_name ?? (e as { constraint?: unknown }).constraint ?? '');
    if (code === '23505' && (constraint.startsWith('call_off_member_key') || constraint.startsWith('order_buyer_key'))) return true;
  }
  return false;
}

function replayOrConflict(earlier: CallOffWithOrderRow, input: PlaceCallOffInput) {
  if (earlier.contractId !== input.contractId || earlier.grams !== input.grams || earlier.paymentMethod !== input.paymentMethod) {
    throw new AppError('CONFLICT', msg('tenders.idempotencyMismatchCallOff'), { field: 'idempotencyKey' });
  }
  return callOffView(earlier, true);
}

/**
 * A member calls off grams on its chosen contract, at the contract price, within the term and up to
 * the agreed volume still open (agreed minus the grams of its live call-off orders). The call-off
 * becomes an ordinary order between the member (buyer) and the winner (seller), written in the same
 * transaction: it waits for payment on the checkout page (or is on net terms within the seller's
 * credit line), then the seller accepts it with a lot, ships and the member confirms delivery.
 *
 * The member's allocation row is locked for the check and the write, so concurrent call-offs cannot
 * together exceed it; the same idempotency key answers the first call-off and its order.
 */
export async function placeCallOff(db: Db, actor: CallOffActor, input: PlaceCallOffInput, now = tenderNow()) {
  const key = input.idempotencyKey.trim();
  const earlier = await findMemberCallOffByKey(db, actor.orgId, key);
  if (earlier) return replayOrConflict(earlier, input);
  const contract = await contractForMember(db, actor, input.contractId);
  const today = chinaToday(now);
  if (today < contract.startsOn || today > contract.endsOn) throw new AppError('PRECONDITION_FAILED', msg('tenders.outsideTerm', { startsOn: contract.startsOn, endsOn: contract.endsOn }), { field: 'contractId' });
  if (!Number.isSafeInteger(input.grams) || input.grams <= 0) throw new AppError('VALIDATION', msg('field.positiveGrams'), { field: 'grams' });
  await assertMayTrade(db, actor.orgId);
  const lot = (await tenders.lotsOf(db, contract.tenderId)).find((l) => l.id === contract.lotId);
  if (!lot) throw new AppError('NOT_FOUND', msg('tenders.contractNotFound'), { field: 'contractId' });
  const supplierName = (await tenders.orgNames(db, [contract.supplierOrgId])).get(contract.supplierOrgId) ?? contract.supplierOrgId;
  try {
    return await db.transaction(async (tx) => {
      const [allocation] = await tx
        .select()
        .from(contractAllocation)
        .where(and(eq(contractAllocation.contractId, contract.id), eq(contractAllocation.memberOrgId, actor.orgId)))
        .for('no key update');
      if (!allocation) throw new AppError('PRECONDITION_FAILED', msg('tenders.noAllocation'), { field: 'contractId' });
      // A twin with the same key that held the lock before us has committed by now.
      const twin = await findMemberCallOffByKey(tx, actor.orgId, key);
      if (twin) return replayOrConflict(twin, input);
      const left = allocationLeftG(allocation.agreedG, await callOffsOfAllocation(tx, allocation.id));
      if (input.grams > left) throw new AppError('VALIDATION', msg('tenders.aboveAllocation', { left: kgText(left) }), { field: 'grams', left });
      const callOffId = newId('cof');
      const totalFen = lineTotalFen(contract.fenPerKg, input.grams);
      if (totalFen > MAX_ORDER_FEN) throw new AppError('VALIDATION', msg('callOffs.tooLarge'), { field: 'grams' });
      await tx.insert(callOff).values({
        id: callOffId,
        allocationId: allocation.id,
        contractId: contract.id,
        tenderId: contract.tenderId,
        lotId: contract.lotId,
        memberOrgId: actor.orgId,
        supplierOrgId: contract.supplierOrgId,
        grams: input.grams,
        fenPerKg: contract.fenPerKg,
        totalFen,
        idempotencyKey: key,
        placedByUserId: actor.userId,
        createdAt: now,
      });
      const created = await createContractOrder(tx, actor, {
        source: 'call_off',
        callOffId,
        sellerOrgId: contract.supplierOrgId,
        sellerName: supplierName,
        paymentMethod: input.paymentMethod,
        checkoutKey: callOffId,
        idempotencyKey: `call-off:${key}`,
        line: { productName: `${lot.herbName} ${lot.spec}`, grams: input.grams, priceFenPerKg: contract.fenPerKg, form: formOfTenderSpec(lot.spec) },
      });
      await auditTender(tx, { id: contract.tenderId, allianceOrgId: contract.allianceOrgId }, { action: 'tender.call_off_placed', userId: actor.userId, orgId: actor.orgId, data: { callOffId, orderId: created.id, contractId: contract.id, grams: input.grams, totalFen, paymentMethod: input.paymentMethod } });
      const row = await findMemberCallOffByKey(tx, actor.orgId, key);
      return callOffView(row!, false);
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const first = await findMemberCallOffByKey(db, actor.orgId, key);
    if (!first) throw error;
    return replayOrConflict(first, input);
  }
}

/**
 * Completion of one awarded tender as the caller may see it: the alliance sees every member, a
 * member its own rows, a supplier the rows of its contracts. Each row has the grams expected by
 * today at an even pace over the term and a `behind` flag; totals per lot, supplier and member.
 */
export async function tenderCompletion(db: DbOrTx, actor: CallOffActor, input: { tenderId: string }, now = tenderNow()) {
  const row = await tenders.findTender(db, input.tenderId);
  if (!row) throw new AppError('NOT_FOUND', msg('tenders.notFound'), { field: 'tenderId' });
  let scope: 'officer' | 'member' | 'supplier' | null = null;
  if (row.allianceOrgId === actor.orgId) scope = 'officer';
  else if (await tenders.isAllianceMember(db, row.allianceOrgId, actor.orgId)) scope = 'member';
  else if ((await tenders.contractsOf(db, row.id, actor.orgId)).length > 0) scope = 'supplier';
  if (!scope || row.status !== 'awarded') throw new AppError('NOT_FOUND', msg('tenders.notFound'), { field: 'tenderId' });

  const contracts = await tenders.contractsOf(db, row.id);
  const byId = new Map(contracts.map((c) => [c.contract.id, c]));
  const allocationWhere = scope === 'member' ? and(eq(contractAllocation.tenderId, row.id), eq(contractAllocation.memberOrgId, actor.orgId)) : eq(contractAllocation.tenderId, row.id);
  const allocations = (await db.select().from(contractAllocation).where(allocationWhere)).filter((a) => scope !== 'supplier' || byId.get(a.contractId)?.contract.supplierOrgId === actor.orgId);
  const callOffs = await callOffsOfTender(db, row.id, scope === 'member' ? { memberOrgId: actor.orgId } : scope === 'supplier' ? { supplierOrgId: actor.orgId } : undefined);
  const rows = completionRows(
    allocations.map((a) => ({ contractId: a.contractId, lotId: a.lotId, memberOrgId: a.memberOrgId, supplierOrgId: byId.get(a.contractId)?.contract.supplierOrgId ?? '', agreedG: a.agreedG })),
    callOffs,
  );
  const memberIds = [...new Set(rows.map((r) => r.memberOrgId))];
  const names = await tenders.orgNames(db, [...memberIds, ...contracts.map((c) => c.contract.supplierOrgId)]);
  const today = chinaToday(now);
  const detailed = rows.map((r) => {
    const c = byId.get(r.contractId)?.contract;
    const expectedG = c ? expectedByDate(r.agreedG, c.startsOn, c.endsOn, today) : 0;
    return { ...r, memberName: names.get(r.memberOrgId) ?? r.memberOrgId, supplierName: names.get(r.supplierOrgId) ?? r.supplierOrgId, fenPerKg: c?.fenPerKg ?? 0, expectedG, behind: isBehind(r.orderedG, expectedG) };
  });
  return {
    tenderId: row.id,
    scope,
    today,
    rows: detailed,
    byLot: totalsBy(rows, (r) => r.lotId),
    bySupplier: totalsBy(rows, (r) => r.supplierOrgId).map((t) => ({ ...t, name: names.get(t.key) ?? t.key })),
    byMember: totalsBy(rows, (r) => r.memberOrgId).map((t) => ({ ...t, name: names.get(t.key) ?? t.key })),
    alerts: detailed.filter((r) => r.behind).map((r) => ({ memberOrgId: r.memberOrgId, memberName: r.memberName, lotId: r.lotId, orderedG: r.orderedG, expectedG: r.expectedG })),
    callOffs: callOffs.map((c) => ({
      ...callOffView(c, false),
      ...callOffVolume(c),
      memberOrgId: c.memberOrgId,
      memberName: names.get(c.memberOrgId) ?? c.memberOrgId,
      supplierOrgId: c.supplierOrgId,
      supplierName: names.get(c.supplierOrgId) ?? c.supplierOrgId,
      createdAt: c.createdAt.toISOString(),
      deliveredAt: c.deliveredAt ? c.deliveredAt.toISOString() : null,
    })),
    allocations: allocations.map((a) => ({ lotId: a.lotId, contractId: a.contractId, memberOrgId: a.memberOrgId, agreedG: a.agreedG })),
  };
}
export type TenderCompletion = Awaited<ReturnType<typeof tenderCompletion>>;

