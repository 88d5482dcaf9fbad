import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../lib/ids.ts';
import type { DbHandle } from '../../db/client.ts';
import { instrument, lot, marketCommand, marketFunding, marketTrade, organization } from '../../db/schema/index.ts';
import { herbIdFor } from '../catalog/herbs.seed.ts';
import type { Actor } from '../orgs/orgs.service.ts';
import { addMarketLot, marketParties } from './market.testkit.ts';
import { createInstrument, submitCommand } from './market.service.ts';
import { databaseErrorOf } from '../../db/errors.ts';

/**
 * The log's references to instruments, organisations and lots are kept by statement triggers, not
 * foreign keys (migration 0035): what a foreign key refused must still be refused.
 */

let handle: DbHandle;
let operator: Actor;
let seller: Actor;
let buyer: Actor;
let instrumentId: string;
let lotId: string;
const spec = { form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' } as const;

async function refusal(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return databaseErrorOf(error)?.code;
  }
  return 'accepted';
}

function commandRow(over: Partial<typeof marketCommand.$inferInsert> = {}): typeof marketCommand.$inferInsert {
  const id = newId('mcm');
  return {
    id,
    instrumentId,
    seq: 1_000_000 + Math.floor(Math.random() * 1_000_000),
    kind: 'place',
    orderId: newId('mor'),
    command: {},
    answer: {},
    idempotencyKey: id,
    orgId: seller.orgId!,
    acceptedAt: new Date(),
    ...over,
  };
}

function tradeRow(over: Partial<typeof marketTrade.$inferInsert> = {}): typeof marketTrade.$inferInsert {
  return {
    id: newId('mtr'),
    instrumentId,
    seq: 2_000_000 + Math.floor(Math.random() * 1_000_000),
    ordinal: 0,
    buyerOrgId: buyer.orgId!,
    sellerOrgId: seller.orgId!,
    buyOrderId: newId('mor'),
    sellOrderId: newId('mor'),
    fenPerKg: 1000,
    grams: 1000,
    at: new Date(),
    onNetTerms: false,
    ...over,
  };
}

function fundingRow(over: Partial<typeof marketFunding.$inferInsert> = {}): typeof marketFunding.$inferInsert {
  return { orderId: newId('mor'), instrumentId, orgId: buyer.orgId!, method: 'card', amountFen: 1000, status: 'held', ...over };
}

async function commandsOf(orgId: string): Promise<number> {
  const [row] = await handle.db.select({ n: count() }).from(marketCommand).where(eq(marketCommand.orgId, orgId));
  return row!.n;
}

beforeAll(async () => {
  ({ handle, operator, seller, buyer } = await marketParties());
  instrumentId = (await createInstrument(handle.db, operator, { herbId: herbIdFor('黄芪'), ...spec })).id;
  lotId = await addMarketLot(handle.db, seller, '黄芪', spec, 100_000, '甘肃陇西');
  // One accepted command through the writer, so the log names the seller, its lot and the instrument.
  await submitCommand(handle.db, seller, instrumentId, { kind: 'place', idempotencyKey: newId('idem'), side: 'sell', qtyG: 1000, fenPerKg: 5000, tif: 'GTC', lotId });
}, 60_000);

afterAll(async () => {
  await handle?.close();
});

describe('inserts naming a row that does not exist are refused (23503), the whole statement', () => {
  it('a log row with an unknown organisation, instrument or lot', async () => {
    const before = await commandsOf(seller.orgId!);
    expect(await refusal(() => handle.db.insert(marketCommand).values(commandRow({ orgId: 'org_missing' })))).toBe('23503');
    expect(await refusal(() => handle.db.insert(marketCommand).values(commandRow({ instrumentId: 'ins_missing' })))).toBe('23503');
    expect(await refusal(() => handle.db.insert(marketCommand).values(commandRow({ lotId: 'lot_missing' })))).toBe('23503');
    // One bad row among good ones: none of them is written.
    expect(await refusal(() => handle.db.insert(marketCommand).values([commandRow(), commandRow({ lotId: 'lot_missing' }), commandRow()]))).toBe('23503');
    expect(await commandsOf(seller.orgId!)).toBe(before);
  });

  it('a log row naming existing rows is written', async () => {
    const before = await commandsOf(seller.orgId!);
    expect(await refusal(() => handle.db.insert(marketCommand).values([commandRow({ lotId }), commandRow()]))).toBe('accepted');
    expect(await commandsOf(seller.orgId!)).toBe(before + 2);
  });

  it('a trade with an unknown buyer, seller or instrument', async () => {
    expect(await refusal(() => handle.db.insert(marketTrade).values(tradeRow({ buyerOrgId: 'org_missing' })))).toBe('23503');
    expect(await refusal(() => handle.db.insert(marketTrade).values(tradeRow({ sellerOrgId: 'org_missing' })))).toBe('23503');
    expect(await refusal(() => handle.db.insert(marketTrade).values(tradeRow({ instrumentId: 'ins_missing' })))).toBe('23503');
    expect(await refusal(() => handle.db.insert(marketTrade).values(tradeRow()))).toBe('accepted');
  });

  it('a funding row with an unknown organisation or instrument', async () => {
    expect(await refusal(() => handle.db.insert(marketFunding).values(fundingRow({ orgId: 'org_missing' })))).toBe('23503');
    expect(await refusal(() => handle.db.insert(marketFunding).values(fundingRow({ instrumentId: 'ins_missing' })))).toBe('23503');
    expect(await refusal(() => handle.db.insert(marketFunding).values(fundingRow()))).toBe('accepted');
  });
});

describe('the references are write-once', () => {
  it('changing a log row, trade or funding row to name another organisation or instrument is refused (23000); other columns change', async () => {
    const trade = tradeRow();
    await handle.db.insert(marketTrade).values(trade);
    expect(await refusal(() => handle.db.update(marketTrade).set({ buyerOrgId: seller.orgId! }).where(eq(marketTrade.id, trade.id)))).toBe('23000');
    const funding = fundingRow();
    await handle.db.insert(marketFunding).values(funding);
    expect(await refusal(() => handle.db.update(marketFunding).set({ orgId: seller.orgId! }).where(eq(marketFunding.orderId, funding.orderId)))).toBe('23000');
    expect(await refusal(() => handle.db.update(marketFunding).set({ status: 'released', releasedAt: new Date() }).where(eq(marketFunding.orderId, funding.orderId)))).toBe('accepted');
    const [logged] = await handle.db.select({ id: marketCommand.id }).from(marketCommand).where(eq(marketCommand.orgId, seller.orgId!)).limit(1);
    expect(await refusal(() => handle.db.update(marketCommand).set({ instrumentId: 'ins_other' }).where(eq(marketCommand.id, logged!.id)))).toBe('23000');
  });
});

describe('an instrument, lot or organisation the log names cannot be deleted (23503)', () => {
  it('is refused for named rows and allowed for others', async () => {
    expect(await refusal(() => handle.db.delete(instrument).where(eq(instrument.id, instrumentId)))).toBe('23503');
    expect(await refusal(() => handle.db.delete(lot).where(eq(lot.id, lotId)))).toBe('23503');
    expect(await refusal(() => handle.db.delete(organization).where(eq(organization.id, seller.orgId!)))).toBe('23503');
    // Rows the log does not name are deleted as before.
    const other = await createInstrument(handle.db, operator, { herbId: herbIdFor('当归'), ...spec });
    expect(await refusal(() => handle.db.delete(instrument).where(eq(instrument.id, other.id)))).toBe('accepted');
    const spareLot = await addMarketLot(handle.db, seller, '黄芪', spec, 1000, '甘肃陇西');
    expect(await refusal(() => handle.db.delete(lot).where(eq(lot.id, spareLot)))).toBe('accepted');
    const [still] = await handle.db.select({ n: count() }).from(instrument).where(eq(instrument.id, instrumentId));
    expect(still!.n).toBe(1);
  });
});
