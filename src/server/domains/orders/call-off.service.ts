import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { callOff, contractAllocation, frameworkContract, tenderDemand } from '../../db/schema/index.ts';
import { lineTotalFen } from '../catalog/listings.core.ts';
import { chinaToday } from '../orgs/licences.core.ts';
import { allocationGrams, completionRows, expectedByDate, isBehind, totalsBy } from '../tenders/completion.core.ts';
import { tenderNow } from '../tenders/tenders.config.ts';
import { awardLots } from '../tenders/tenders.opening.ts';
import * as tenders from '../tenders/tenders.repo.ts';
import type { PlaceCallOffInput } from '../tenders/tenders.schemas.ts';
import { auditTender } from '../tenders/tenders.transitions.ts';

/**
 * Call-off orders against tender framework contracts, and completion tracking (DOMAIN.md "Alliance
 * tenders": contracts → call-off orders → completion tracking). A member chooses one winner per lot
 * for its share (its demand × the lot's share), then calls off up to that volume at the contract
 * price within the contract term; the supplier records delivery. Completion compares agreed,
 * ordered and delivered grams per member, supplier and lot.
 *
 * Call-offs are recorded here, beside the spot-market orders: they do not yet go through the cart,
 * stock reservation and payment flow of `orders.service.ts`.
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
      .for('update');
    if (existing?.contractId === contract.id) return { id: existing.id, contractId: contract.id, agreedG: existing.agreedG };
    if (existing) {
      const [used] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(callOff)
        .where(and(eq(callOff.allocationId, existing.id), ne(callOff.status, 'cancelled')));
      if ((used?.n ?? 0) > 0) throw new AppError('CONFLICT', msg('tenders.allocationLocked'), { field: 'contractId' });
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

type CallOffRow = typeof callOff.$inferSelect;
const callOffView = (row: CallOffRow, replayed: boolean) => ({ id: row.id, contractId: row.contractId, lotId: row.lotId, grams: row.grams, fenPerKg: row.fenPerKg, totalFen: row.totalFen, status: row.status, deliveredG: row.deliveredG, replayed });

/**
 * A member places a call-off order on its chosen contract, at the contract price, within the term
 * and up to the agreed volume still open. The same idempotency key answers the first order.
 */
export async function placeCallOff(db: Db, actor: CallOffActor, input: PlaceCallOffInput, now = tenderNow()) {
  const key = input.idempotencyKey.trim();
  const [earlier] = await db
    .select()
    .from(callOff)
    .where(and(eq(callOff.memberOrgId, actor.orgId), eq(callOff.idempotencyKey, key)));
  if (earlier) {
    if (earlier.contractId !== input.contractId || earlier.grams !== input.grams) throw new AppError('CONFLICT', msg('tenders.idempotencyMismatch'), { field: 'idempotencyKey' });
    return callOffView(earlier, true);
  }
  const contract = await contractForMember(db, actor, input.contractId);
  const today = chinaToday(now);
  if (today < contract.startsOn || today > contract.endsOn) throw new AppError('PRECONDITION_FAILED', msg('tenders.outsideTerm', { startsOn: contract.startsOn, endsOn: contract.endsOn }), { field: 'contractId' });
  if (!Number.isSafeInteger(input.grams) || input.grams <= 0) throw new AppError('VALIDATION', msg('field.positiveGrams'), { field: 'grams' });
  return db.transaction(async (tx) => {
    const [allocation] = await tx
      .select()
      .from(contractAllocation)
      .where(and(eq(contractAllocation.contractId, contract.id), eq(contractAllocation.memberOrgId, actor.orgId)))
      .for('update');
    if (!allocation) throw new AppError('PRECONDITION_FAILED', msg('tenders.noAllocation'), { field: 'contractId' });
    const [ordered] = await tx
      .select({ g: sql<number>`coalesce(sum(${callOff.grams}), 0)::bigint` })
      .from(callOff)
      .where(and(eq(callOff.allocationId, allocation.id), ne(callOff.status, 'cancelled')));
    const left = allocation.agreedG - Number(ordered?.g ?? 0);
    if (input.grams > left) throw new AppError('VALIDATION', msg('tenders.aboveAllocation', { left: Math.max(0, left) }), { field: 'grams', left: Math.max(0, left) });
    const [row] = await tx
      .insert(callOff)
      .values({
        id: newId('cof'),
        allocationId: allocation.id,
        contractId: contract.id,
        tenderId: contract.tenderId,
        lotId: contract.lotId,
        memberOrgId: actor.orgId,
        supplierOrgId: contract.supplierOrgId,
        grams: input.grams,
        fenPerKg: contract.fenPerKg,
        totalFen: lineTotalFen(contract.fenPerKg, input.grams),
        idempotencyKey: key,
        placedByUserId: actor.userId,
        createdAt: now,
      })
      .returning();
    await auditTender(tx, { id: contract.tenderId, allianceOrgId: contract.allianceOrgId }, { action: 'tender.call_off_placed', userId: actor.userId, orgId: actor.orgId, data: { callOffId: row!.id, contractId: contract.id, grams: input.grams, totalFen: row!.totalFen } });
    return callOffView(row!, false);
  });
}

async function moveCallOff(db: Db, actor: CallOffActor, id: string, side: 'supplier' | 'member', to: 'delivered' | 'cancelled', now: Date) {
  return db.transaction(async (tx) => {
    const owner = side === 'supplier' ? callOff.supplierOrgId : callOff.memberOrgId;
    const [row] = await tx
      .select()
      .from(callOff)
      .where(and(eq(callOff.id, id), eq(owner, actor.orgId)))
      .for('update');
    if (!row) throw new AppError('NOT_FOUND', msg('tenders.callOffNotFound'), { field: 'id' });
    if (row.status !== 'placed') throw new AppError('INVALID_TRANSITION', msg('tenders.callOffNotPlaced', { status: row.status }), { field: 'id' });
    const set = to === 'delivered' ? { status: to, deliveredG: row.grams, deliveredAt: now } : { status: to };
    const [updated] = await tx
      .update(callOff)
      .set(set)
      .where(and(eq(callOff.id, row.id), eq(callOff.status, 'placed')))
      .returning();
    const [contract] = await tx.select({ allianceOrgId: frameworkContract.allianceOrgId }).from(frameworkContract).where(eq(frameworkContract.id, row.contractId));
    await auditTender(tx, { id: row.tenderId, allianceOrgId: contract!.allianceOrgId }, { action: `tender.call_off_${to}`, userId: actor.userId, orgId: actor.orgId, data: { callOffId: row.id, grams: row.grams } });
    return callOffView(updated!, false);
  });
}

/** The supplier records the delivery of a call-off order (all its grams). */
export async function deliverCallOff(db: Db, actor: CallOffActor, input: { id: string }, now = tenderNow()) {
  return moveCallOff(db, actor, input.id, 'supplier', 'delivered', now);
}

/** The member cancels a call-off order not delivered yet (its grams are open again). */
export async function cancelCallOff(db: Db, actor: CallOffActor, input: { id: string }, now = tenderNow()) {
  return moveCallOff(db, actor, input.id, 'member', 'cancelled', now);
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
  const callOffWhere = scope === 'member' ? and(eq(callOff.tenderId, row.id), eq(callOff.memberOrgId, actor.orgId)) : scope === 'supplier' ? and(eq(callOff.tenderId, row.id), eq(callOff.supplierOrgId, actor.orgId)) : eq(callOff.tenderId, row.id);
  const callOffs = await db.select().from(callOff).where(callOffWhere).orderBy(asc(callOff.createdAt), asc(callOff.id));
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
    callOffs: callOffs.map((c) => ({ ...callOffView(c, false), memberOrgId: c.memberOrgId, memberName: names.get(c.memberOrgId) ?? c.memberOrgId, supplierOrgId: c.supplierOrgId, supplierName: names.get(c.supplierOrgId) ?? c.supplierOrgId, createdAt: c.createdAt.toISOString() })),
    allocations: allocations.map((a) => ({ lotId: a.lotId, contractId: a.contractId, memberOrgId: a.memberOrgId, agreedG: a.agreedG })),
  };
}
export type TenderCompletion = Awaited<ReturnType<typeof tenderCompletion>>;

