import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { member, user } from '../schema/index.ts';
import { createTenderInput, qualifyInput, registerSupplierInput, reportDemandInput, submitBidInput } from '../../domains/tenders/tenders.schemas.ts';
import { acceptInvitation, createTender, getTender, inviteMember, openDemandCollection, publishTender, qualifySupplier, registerSupplier, reportDemand, submitBid } from '../../domains/tenders/tenders.service.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The user who answers an organisation's invitations in the seed: its owner. */
async function ownerOf(db: Db, orgId: string): Promise<string | null> {
  const [row] = await db.select({ userId: member.userId }).from(member).where(and(eq(member.organizationId, orgId), eq(member.role, 'owner')));
  return row?.userId ?? null;
}

/**
 * The demo alliance's open tender (CONTRACTS.md "Demo mode"), through the same services the app uses:
 * members invited and accepted (one hospital's invitation left pending), three lots, demand from
 * five members, published, three suppliers registered and qualified and a fourth's registration waiting
 * for the alliance's decision, four sealed bids (one replaced). Bidding stays open for two weeks; the opening job is
 * queued for the opening time. Runs inside `seedDemoWorld`, so only into an empty database.
 */
export async function seedDemoTenders(db: Db, orgIds: ReadonlyMap<string, string>, now = new Date()): Promise<{ tenders: number; bids: number }> {
  const allianceId = orgIds.get('alliance');
  const officerRow = await db.query.user.findFirst({ where: eq(user.email, 'officer@bencao.demo') });
  if (!allianceId) return { tenders: 0, bids: 0 };
  const officer = { userId: officerRow?.id ?? null, orgId: allianceId };
  const keys = [...orgIds.keys()].sort();
  // Every hospital and pharmacy but one was invited and accepted (each member's owner consented);
  // the last hospital's invitation is still waiting for its answer (待接受).
  const invitees = keys.filter((k) => k.startsWith('hospital-') || k.startsWith('pharmacy-'));
  const pendingKey = invitees.filter((k) => k.startsWith('hospital-')).at(-1);
  for (const key of invitees) {
    const memberOrgId = orgIds.get(key)!;
    const invitation = await inviteMember(db, officer, { memberOrgId }, now);
    if (key === pendingKey) continue;
    const owner = await ownerOf(db, memberOrgId);
    await acceptInvitation(db, { userId: owner, orgId: memberOrgId }, { id: invitation.id }, now);
  }

  const demandDeadline = new Date(now.getTime() + 3 * DAY);
  const bidDeadline = new Date(now.getTime() + 14 * DAY);
  const openingAt = new Date(bidDeadline.getTime() + HOUR);
  const publicityEndsAt = new Date(openingAt.getTime() + 7 * DAY);
  const rules = createTenderInput.parse({
    title: '浙沪苏皖中药饮片省际联盟带量采购（第一批）',
    method: 'vbp_price',
    demandDeadline,
    bidDeadline,
    openingAt,
    publicityEndsAt,
    contractTermMonths: 24,
    documents: [{ name: '采购文件（第一批）.pdf' }, { name: '质量标准与检验要求.pdf' }],
    lots: [
      { herbName: '黄芪', spec: '饮片 · 切片 · 生 · 统货', qualityTier: 'A（道地）', ceilingFenPerKg: 12_000, deliveryRegions: ['330000', '310000'] },
      { herbName: '当归', spec: '饮片 · 切片 · 生 · 选货', qualityTier: 'A（道地）', ceilingFenPerKg: 15_000, deliveryRegions: ['330000', '320000'] },
      { herbName: '党参', spec: '饮片 · 段 · 生 · 统货', qualityTier: 'B', ceilingFenPerKg: 9_000, deliveryRegions: ['330000', '340000'] },
    ],
  });
  const { id } = await createTender(db, officer, rules, now);
  await openDemandCollection(db, officer, { id }, now);
  const lots = (await getTender(db, officer, { id })).lots.map((l) => l.id);
  const demand: [string, number[]][] = [
    ['hospital-01', [2_400_000, 1_500_000, 800_000]],
    ['hospital-02', [1_800_000, 900_000, 600_000]],
    ['hospital-03', [1_200_000, 0, 400_000]],
    ['pharmacy-01', [300_000, 200_000, 150_000]],
    ['pharmacy-02', [250_000, 120_000, 0]],
  ];
  for (const [key, grams] of demand) {
    const orgId = orgIds.get(key);
    if (!orgId) continue;
    const input = reportDemandInput.parse({ tenderId: id, lots: lots.map((lotId, i) => ({ lotId, grams: grams[i] ?? 0 })) });
    await reportDemand(db, { userId: null, orgId }, input, now);
  }
  const publishedAt = now;
  await publishTender(db, officer, { id }, publishedAt);

  const supplierIds = keys.filter((k) => k.startsWith('supplier-')).map((k) => orgIds.get(k)!);
  const suppliers = supplierIds.slice(0, 3);
  for (const supplierOrgId of suppliers) {
    await registerSupplier(db, { userId: null, orgId: supplierOrgId }, registerSupplierInput.parse({ tenderId: id, lots: lots.map((lotId) => ({ lotId, capacityG: 20_000_000 })), documents: [{ name: 'GMP 证书.pdf' }] }), publishedAt);
    await qualifySupplier(db, officer, qualifyInput.parse({ tenderId: id, supplierOrgId, qualified: true, reason: '许可证有效，产能满足约定采购量' }), publishedAt);
  }
  // A fourth supplier registered for two lots; the alliance has not decided yet (待审核).
  const waiting = supplierIds[3];
  if (waiting && lots[0] && lots[2]) {
    const input = registerSupplierInput.parse({ tenderId: id, lots: [lots[0], lots[2]].map((lotId) => ({ lotId, capacityG: 8_000_000 })), documents: [{ name: 'GMP 证书.pdf' }] });
    await registerSupplier(db, { userId: null, orgId: waiting }, input, publishedAt);
  }
  const bids: [number, number, number][] = [
    // [supplier index, lot index, fen per kg]
    [0, 0, 9_800],
    [1, 0, 10_400],
    [1, 0, 9_950], // replaces the bid above
    [2, 1, 12_600],
  ];
  let n = 0;
  for (const [s, l, fenPerKg] of bids) {
    const orgId = suppliers[s];
    const lotId = lots[l];
    if (!orgId || !lotId) continue;
    n += 1;
    await submitBid(db, { userId: null, orgId }, submitBidInput.parse({ tenderId: id, lotId, fenPerKg, idempotencyKey: `demo-bid-${String(n).padStart(4, '0')}` }), new Date(publishedAt.getTime() + n * 1000));
  }
  return { tenders: 1, bids: n };
}
