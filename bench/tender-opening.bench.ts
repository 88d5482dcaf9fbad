/**
 * Tender opening end to end (issue 5 benchmark): 200 lots × 50 suppliers, 10,000 sealed bids stored
 * encrypted, then `openTender` — lock, unwrap the data key, decrypt and commitment-check every bid,
 * evaluate with the pure core, store the award (result + SHA-256, input with the prices), mark the
 * lots, move the tender (audited) and enqueue the finalisation timer, in one transaction. Baseline in
 * the same run: `evaluateTender` alone on the same input. The stored award hash must equal the core's
 * on the same bids, and a second opening must change nothing. PostgreSQL when DATABASE_URL is set (a throwaway database), else PGlite.
 */
import { eq } from 'drizzle-orm';
import { newId } from '../src/lib/ids.ts';
import { tender, tenderBid, tenderDemand, tenderLot, tenderSupplier } from '../src/server/db/schema/index.ts';
import { evaluateTender } from '../src/server/domains/tenders/evaluation.core.ts';
import { bidCommitment, evaluationInput, type OpenedBid } from '../src/server/domains/tenders/tenders.core.ts';
import { tenderMasterKey } from '../src/server/domains/tenders/tenders.config.ts';
import { newWrappedDataKey, sealBid, unwrapDataKey } from '../src/server/domains/tenders/tenders.crypto.ts';
import { openTender } from '../src/server/domains/tenders/tenders.opening.ts';
import { createTestApp, type TestApp } from '../src/server/testing/test-app.ts';
import { createTestOrg } from '../src/server/testing/test-orgs.ts';
import { writeReport, type BenchRow } from './lib/report.ts';
import { prng as mulberry32 } from './lib/prng.ts';

const LOTS = 200;
const SUPPLIERS = 50;

/** A published tender with LOTS lots, one member's demand, SUPPLIERS qualified suppliers each bidding on every lot. */
async function setup(app: TestApp, allianceId: string, memberId: string, supplierIds: string[], seed: number) {
  const db = app.handle.db;
  const rnd = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const id = newId('tdr');
  const at = (day: number) => new Date(Date.UTC(2030, 0, day));
  await db.insert(tender).values({ id, allianceOrgId: allianceId, title: `bench ${seed}`, status: 'published', method: 'vbp_price', demandDeadline: at(1), bidDeadline: at(2), openingAt: at(3), publicityEndsAt: at(10), wrappedDataKey: newWrappedDataKey(tenderMasterKey(), id) });
  const lots = Array.from({ length: LOTS }, (_, i) => ({ id: newId('tlt'), tenderId: id, lotNo: i + 1, herbName: `品种${i + 1}`, spec: '饮片', qualityTier: 'A', ceilingFenPerKg: int(50, 500) * 100, deliveryRegions: ['330000'] }));
  await db.insert(tenderLot).values(lots);
  await db.insert(tenderDemand).values(lots.map((l) => ({ id: newId('tdm'), tenderId: id, lotId: l.id, memberOrgId: memberId, grams: int(150, 350) * 1_000_000, regionCode: '330106' })));
  await db.insert(tenderSupplier).values(supplierIds.map((s) => ({ id: newId('tsr'), tenderId: id, supplierOrgId: s, lots: lots.map((l) => ({ lotId: l.id, capacityG: 1e12 })), status: 'qualified' })));
  const key = unwrapDataKey(tenderMasterKey(), id, (await db.select().from(tender).where(eq(tender.id, id)))[0]!.wrappedDataKey);
  const bids: (typeof tenderBid.$inferInsert)[] = [];
  const clear: OpenedBid[] = [];
  for (const lot of lots) {
    for (const [s, supplierId] of supplierIds.entries()) {
      const bidId = `tbd_${String(seed).padStart(4, '0')}${String(lot.lotNo).padStart(4, '0')}${String(s).padStart(4, '0')}`;
      const fenPerKg = Math.round(lot.ceilingFenPerKg * (0.35 + rnd() * 0.7));
      const nonce = int(0, 2 ** 30).toString(16).padStart(32, '0');
      bids.push({
        id: bidId,
        tenderId: id,
        lotId: lot.id,
        supplierOrgId: supplierId,
        sealed: sealBid(key, { tenderId: id, lotId: lot.id, supplierId, bidId }, { fenPerKg, nonce }),
        commitment: bidCommitment({ tenderId: id, lotId: lot.id, supplierId, fenPerKg, nonce }),
        idempotencyKey: `bench-${bidId}`,
        submittedAt: new Date(at(1).getTime() + int(0, 86_400) * 1000),
      });
      clear.push({ id: bidId, lotId: lot.id, supplierId, fenPerKg, submittedAt: bids[bids.length - 1]!.submittedAt, qualified: true, qualityScoreHundredths: null });
    }
  }
  for (let i = 0; i < bids.length; i += 1000) await db.insert(tenderBid).values(bids.slice(i, i + 1000));
  return { id, lots, bids, clear };
}

export default async function tenderOpeningBench(): Promise<void> {
  const app = await createTestApp();
  try {
    const alliance = await createTestOrg(app, 'alliance', { tag: 'bench-alliance' });
    const member = await createTestOrg(app, 'hospital', { tag: 'bench-member' });
    const suppliers: string[] = [];
    for (let i = 0; i < SUPPLIERS; i += 1) suppliers.push((await createTestOrg(app, 'supplier', { tag: `bench-s${i}`, approve: false, licence: false })).id);

    const t = await setup(app, alliance.id, member.id, suppliers, 7);
    const demandOf = new Map((await app.handle.db.select().from(tenderDemand).where(eq(tenderDemand.tenderId, t.id))).map((d) => [d.lotId, d.grams]));
    const input = evaluationInput(
      'vbp_price',
      null,
      t.lots.map((l) => ({ id: l.id, ceilingFenPerKg: l.ceilingFenPerKg, demandG: demandOf.get(l.id) ?? 0 })),
      t.clear,
    );
    // Baseline: the pure core on the same bids in clear, best of 5.
    let coreMs = Number.POSITIVE_INFINITY;
    const coreHashes = new Set<string>();
    for (let i = 0; i < 5; i += 1) {
      const t0 = performance.now();
      coreHashes.add(evaluateTender(input).sha256);
      coreMs = Math.min(coreMs, performance.now() - t0);
    }
    const t0 = performance.now();
    const report = await openTender(app.handle.db, t.id, new Date(Date.UTC(2030, 0, 4)));
    const openMs = performance.now() - t0;
    const again = await openTender(app.handle.db, t.id, new Date(Date.UTC(2030, 0, 4)));
    const rows: BenchRow[] = [
      { variant: 'openTender end to end', bids: t.bids.length, lots: LOTS, ms: Number(openMs.toFixed(1)) },
      { variant: 'evaluateTender alone (best of 5)', bids: t.bids.length, lots: LOTS, ms: Number(coreMs.toFixed(1)) },
    ];
    writeReport({
      name: 'tender-opening',
      description:
        `Opening of a published tender, ${LOTS} lots × ${SUPPLIERS} suppliers (${LOTS * SUPPLIERS} sealed bids): decrypt (AES-256-GCM), commitment check, ` +
        `evaluation by the pure core, award record (result + SHA-256, input with the decrypted prices), lot results, two audited moves and the finalisation timer, ` +
        `one transaction on ${app.handle.kind}. Baseline: evaluateTender alone on the same bids. Target ≤ 1 s end to end.`,
      rows,
      ratios: { 'openTender ÷ evaluateTender (time)': openMs / coreMs },
      checks: {
        'stored award hash = core hash on the same bids': coreHashes.size === 1 && report.sha256 === [...coreHashes][0],
        'second opening changed nothing (same hash)': !again.opened && again.sha256 === report.sha256,
        'within 1 s': openMs <= 1000,
      },
    });
  } finally {
    await app.close();
  }
}
