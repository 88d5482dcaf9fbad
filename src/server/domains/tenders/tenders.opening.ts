import { eq, inArray } from 'drizzle-orm';
import { canonicalJson } from '../../../lib/canonical-json.ts';
import { AppError } from '../../../lib/errors.ts';
import { newId } from '../../../lib/ids.ts';
import { msg } from '../../../lib/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { frameworkContract, tenderAward, tenderLot } from '../../db/schema/index.ts';
import { enqueue } from '../../jobs/outbox.ts';
import { chinaToday } from '../orgs/licences.core.ts';
import { evaluateTender } from './evaluation.core.ts';
import type { LotResult, TenderMethod } from './evaluation.types.ts';
import { aggregateDemand, bidCommitment, contractTerm, evaluationInput, planContracts, type OpenedBid } from './tenders.core.ts';
import { tenderMasterKey } from './tenders.config.ts';
import { unsealBid, unwrapDataKey } from './tenders.crypto.ts';
import { finalizeTenderJob } from './tenders.jobs.ts';
import * as repo from './tenders.repo.ts';
import { auditTender, moveTender, SYSTEM_MOVER, type TenderMover } from './tenders.transitions.ts';
import { shanghai } from '../../../lib/display-format.ts';

export interface OpeningReport {
  opened: boolean;
  sha256: string | null;
}

/**
 * The opening (开标), run by the `tenders.open` job at the scheduled time. Under a lock on the tender
 * row: a tender no longer `published` was opened already (nothing happens: exactly once); before
 * `openingAt` it refuses (the job retries). Otherwise every sealed bid is decrypted and its
 * commitment checked (a bid failing either is left out and named in the award record), the pure
 * core evaluates, the award (result as canonical JSON + SHA-256, and the evaluation input with every
 * decrypted price, so `bencao tender-evaluate` reproduces the hash) is stored, lots are marked awarded or failed,
 * and the tender moves published → opened → publicised, each move audited, with the finalisation
 * timer enqueued for the end of the publicity window — all in one transaction.
 */
export async function openTender(db: Db, tenderId: string, now: Date): Promise<OpeningReport> {
  return db.transaction(async (tx) => {
    const row = await repo.lockTender(tx, tenderId);
    if (!row) throw new AppError('NOT_FOUND', msg('tenders.notFound'), { field: 'tenderId' });
    if (row.status !== 'published') {
      const award = await repo.awardOf(tx, tenderId);
      return { opened: false, sha256: award?.sha256 ?? null };
    }
    if (now.getTime() < row.openingAt.getTime()) throw new AppError('PRECONDITION_FAILED', msg('tenders.notOpenYet', { at: shanghai(row.openingAt) }), { field: 'openingAt' });

    const [lots, demands, registrations, sealed] = await Promise.all([repo.lotsOf(tx, tenderId), repo.demandFacts(tx, tenderId), repo.registrationFacts(tx, tenderId), repo.sealedBidsForOpening(tx, tenderId)]);
    const dataKey = unwrapDataKey(tenderMasterKey(), row.id, row.wrappedDataKey);
    const regBySupplier = new Map(registrations.map((r) => [r.supplierOrgId, r]));
    const opened: OpenedBid[] = [];
    const excluded: { bidId: string; reason: string }[] = [];
    for (const bid of sealed) {
      let check: 'verified' | 'commitment_mismatch' | 'undecryptable' = 'undecryptable';
      let fenPerKg: number | null = null;
      try {
        const secret = unsealBid(dataKey, { tenderId: row.id, lotId: bid.lotId, supplierId: bid.supplierOrgId, bidId: bid.id }, bid.sealed);
        fenPerKg = secret.fenPerKg;
        check = bidCommitment({ tenderId: row.id, lotId: bid.lotId, supplierId: bid.supplierOrgId, fenPerKg: secret.fenPerKg, nonce: secret.nonce }) === bid.commitment ? 'verified' : 'commitment_mismatch';
      } catch {
        check = 'undecryptable';
      }
      if (check !== 'verified' || fenPerKg === null || fenPerKg <= 0) {
        excluded.push({ bidId: bid.id, reason: check === 'verified' ? 'undecryptable' : check });
        continue;
      }
      const reg = regBySupplier.get(bid.supplierOrgId);
      opened.push({ id: bid.id, lotId: bid.lotId, supplierId: bid.supplierOrgId, fenPerKg, submittedAt: bid.submittedAt, qualified: reg?.status === 'qualified', qualityScoreHundredths: reg?.qualityScoreHundredths ?? null });
    }

    const demand = aggregateDemand(
      lots.map((l) => l.id),
      demands,
    );
    const weights = row.weightPrice !== null && row.weightQuality !== null ? { price: row.weightPrice, quality: row.weightQuality } : null;
    const input = evaluationInput(
      row.method as TenderMethod,
      weights,
      lots.map((l, i) => ({ id: l.id, ceilingFenPerKg: l.ceilingFenPerKg, demandG: demand[i]!.totalG })),
      opened,
    );
    const result = evaluateTender(input);
    const json = canonicalJson(result.lots);
    await tx.insert(tenderAward).values({ id: newId('taw'), tenderId: row.id, method: row.method, canonicalJson: json, sha256: result.sha256, inputJson: JSON.stringify(input), excluded, proposedAt: now });
    for (const status of ['awarded', 'failed'] as const) {
      const ids = result.lots.filter((l) => l.status === status).map((l) => l.lotId);
      if (ids.length > 0) await tx.update(tenderLot).set({ status }).where(inArray(tenderLot.id, ids));
    }

    const summary = { sha256: result.sha256, bids: sealed.length, excluded: excluded.length, awardedLots: result.lots.filter((l) => l.status === 'awarded').length, failedLots: result.lots.filter((l) => l.status === 'failed').length };
    const openedRow = await moveTender(tx, row, 'opened', SYSTEM_MOVER, now, { set: { openedAt: now }, data: summary });
    await moveTender(tx, openedRow, 'publicised', SYSTEM_MOVER, now, { data: { sha256: result.sha256, publicityEndsAt: row.publicityEndsAt.toISOString() } });
    await enqueue(tx, finalizeTenderJob, { tenderId: row.id }, { dedupeKey: `tenders.finalize:${row.id}`, runAt: row.publicityEndsAt });
    return { opened: true, sha256: result.sha256 };
  });
}

/** The award's per-lot results (the canonical JSON parsed back). */
export function awardLots(award: { canonicalJson: string }): LotResult[] {
  return JSON.parse(award.canonicalJson) as LotResult[];
}

/**
 * Final award after the publicity window, with every complaint answered: one framework contract per
 * winner per lot (`planContracts`), the award marked final, the tender `awarded`. Runs in the
 * caller's transaction on a locked tender row.
 */
export async function finalizeLocked(tx: DbOrTx, row: repo.TenderRow, mover: TenderMover, now: Date) {
  if (now.getTime() < row.publicityEndsAt.getTime()) throw new AppError('PRECONDITION_FAILED', msg('tenders.publicityNotOver', { until: shanghai(row.publicityEndsAt) }), { field: 'id' });
  const open = (await repo.complaintsOf(tx, row.id)).filter((c) => c.complaint.status === 'open').length;
  if (open > 0) throw new AppError('PRECONDITION_FAILED', msg('tenders.complaintsOpen', { count: open }), { field: 'id', openComplaints: open });
  const award = await repo.awardOf(tx, row.id);
  if (!award) throw new AppError('CONFLICT', msg('tenders.invalidTransition', { from: row.status, to: 'awarded' }), { field: 'id' });
  const term = contractTerm(chinaToday(now), row.contractTermMonths);
  const plans = planContracts(awardLots(award));
  for (const plan of plans) {
    await tx
      .insert(frameworkContract)
      .values({ id: newId('fct'), tenderId: row.id, lotId: plan.lotId, allianceOrgId: row.allianceOrgId, supplierOrgId: plan.supplierId, bidId: plan.bidId, rank: plan.rank, fenPerKg: plan.fenPerKg, agreedG: plan.agreedG, startsOn: term.startsOn, endsOn: term.endsOn })
      .onConflictDoNothing({ target: [frameworkContract.lotId, frameworkContract.supplierOrgId] });
  }
  await tx.update(tenderAward).set({ finalizedAt: now }).where(eq(tenderAward.id, award.id));
  const moved = await moveTender(tx, row, 'awarded', mover, now, { set: { awardedAt: now }, data: { sha256: award.sha256, contracts: plans.length } });
  await auditTender(tx, row, { action: 'tender.contracts_created', userId: mover.userId, orgId: mover.orgId, data: { contracts: plans.map((p) => ({ lotId: p.lotId, supplierOrgId: p.supplierId, fenPerKg: p.fenPerKg, agreedG: p.agreedG })) } });
  return moved;
}

/**
 * The `tenders.finalize` job: finalises when the window is over and no complaint is open; a tender
 * already awarded (or still with open complaints, which the officer must answer and then confirm)
 * is left as it is.
 */
export async function finalizeBySystem(db: Db, tenderId: string, now: Date): Promise<{ finalized: boolean }> {
  return db.transaction(async (tx) => {
    const row = await repo.lockTender(tx, tenderId);
    if (!row || row.status !== 'publicised') return { finalized: false };
    const open = (await repo.complaintsOf(tx, row.id)).some((c) => c.complaint.status === 'open');
    if (open) return { finalized: false };
    if (now.getTime() < row.publicityEndsAt.getTime()) throw new AppError('PRECONDITION_FAILED', msg('tenders.publicityNotOver', { until: shanghai(row.publicityEndsAt) }), { field: 'id' });
    await finalizeLocked(tx, row, SYSTEM_MOVER, now);
    return { finalized: true };
  });
}
