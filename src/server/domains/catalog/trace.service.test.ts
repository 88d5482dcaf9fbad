import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestContext } from '../../api/context.ts';
import { createRestV1Handler } from '../../api/rest.ts';
import { handleLotLabel, traceUrl } from '../../api/routers/trace/label-http.ts';
import { createTestApp, errorOf, type TestApp } from '../../testing/test-app.ts';
import { storeUpload } from '../uploads/uploads.service.ts';
import { upsertHerbMasterData } from './herbs.seed.ts';
import { compareDecimal, meetsLimit, processingSteps, qualityLimit } from './trace.core.ts';
import { lotOf, sellerOrg } from './trace.fixtures.ts';
import { attachLotDocument, traceLot } from './trace.service.ts';

let app: TestApp;
let dataDir: string;
const PDF = new TextEncoder().encode('%PDF-1.4\n% quality report\n');

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  dataDir = await mkdtemp(path.join(tmpdir(), 'bencao-trace-'));
}, 120_000);
afterAll(async () => {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('trace core', () => {
  it('knows the SO2 limits and compares decimals exactly', () => {
    expect(qualityLimit('黄芪', 'so2')).toEqual({ kind: 'max', value: '150' });
    expect(qualityLimit('山药', 'so2')).toEqual({ kind: 'max', value: '400' });
    expect(qualityLimit('黄芪', 'heavyMetals')).toBeNull();
    expect(qualityLimit('某药', 'moisture')).toBeNull();
    expect(compareDecimal('0.080', '0.08')).toBe(0);
    expect(compareDecimal('10.01', '10.0')).toBe(1);
    expect(meetsLimit('0.079', { kind: 'min', value: '0.080' })).toBe(false);
    expect(meetsLimit('150', { kind: 'max', value: '150' })).toBe(true);
    expect(meetsLimit(null, { kind: 'max', value: '150' })).toBeNull();
    expect(processingSteps({ form: 'decoction_piece', cut: 'slice', processing: 'stir_fried' })).toEqual(['harvest', 'primary_processing', 'cleaning', 'cutting', 'stir_frying', 'drying', 'packing']);
    expect(processingSteps({ form: 'raw', cut: 'none', processing: 'raw' })).toEqual(['harvest', 'primary_processing', 'drying', 'packing']);
  });
});

describe('public lot trace', () => {
  it('shows the chain and quality without private data', async () => {
    const seller = await sellerOrg(app);
    const { lotId } = await lotOf(seller, 'TR-001', { so2Ppm: 180 });
    const listing = await seller.api.catalog.createListing({ lotId, priceFenPerKg: 6800, tiers: [], minOrderG: 1000, deliveryRegions: ['330106'], leadTimeDays: 3 });
    await seller.api.catalog.setListingStatus({ id: listing.id, status: 'active' });

    // Anonymous caller (no cookie) through tRPC.
    const anon = await app.caller(new Headers());
    const view = await anon.trace.lot({ id: lotId });
    expect(view).toMatchObject({
      lotId,
      batchNo: 'TR-001',
      herb: { name: '黄芪' },
      product: { form: 'decoction_piece', processing: 'stir_fried', origin: '甘肃陇西', daoDi: true },
      productionDate: '2025-10-01',
      expiryDate: '2027-09-30',
      grower: { base: '陇西首阳镇基地', harvestDate: '2025-09-20' },
      reportAttached: false,
      seller: { regionCode: '330106', kind: 'supplier' },
    });
    expect(view.seller.name).toContain('追溯测试supplier');
    expect(view.seller.region).toContain('杭州');
    expect(view.processingSteps).toContain('stir_frying');
    const so2 = view.quality.find((q) => q.key === 'so2');
    expect(so2).toEqual({ key: 'so2', value: '180', unit: 'mg/kg', limit: { kind: 'max', value: '150' }, meets: false });
    expect(view.quality.find((q) => q.key === 'content')).toMatchObject({ value: '0.085', meets: true, limit: { marker: '黄芪甲苷' } });
    expect(view.missing.sort()).toEqual(['heavyMetals', 'pesticide']);

    // No people, prices, stock, addresses, ids of the organisation or buyers anywhere in the view.
    const text = JSON.stringify(view);
    for (const secret of [seller.id, seller.userId, '6800', 'quantityG', '100000', 'reserved', '文三路', 'example.cn', 'price', listing.id, 'uscc']) {
      expect(text).not.toContain(secret);
    }
  });

  it('answers NOT_FOUND for an unknown lot, also over REST', async () => {
    const anon = await app.caller(new Headers());
    expect(await errorOf(() => anon.trace.lot({ id: 'lot_unknown' }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'id' } });
    await expect(traceLot(app.handle.db, 'x'.repeat(80))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const rest = createRestV1Handler((req) => createRequestContext({ db: app.handle.db, auth: app.auth, headers: req.headers }));
    const missing = await rest(new Request('http://localhost/api/v1/trace/lots/lot_unknown'));
    expect(missing.status).toBe(404);
    const seller = await sellerOrg(app);
    const { lotId } = await lotOf(seller, 'TR-REST');
    const ok = await rest(new Request(`http://localhost/api/v1/trace/lots/${lotId}`));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { batchNo: string }).batchNo).toBe('TR-REST');
  });
});

describe('quality report document', () => {
  it('attaches the seller’s upload and the trace says a report is attached', async () => {
    const seller = await sellerOrg(app);
    const { lotId } = await lotOf(seller, 'TR-DOC');
    const file = await storeUpload(app.handle.db, dataDir, { userId: seller.userId, orgId: seller.id }, { name: 'report.pdf', bytes: PDF });
    expect(await seller.api.trace.attachDocument({ lotId, uploadId: file.id })).toMatchObject({ attached: true, kind: 'quality_report' });
    expect(await seller.api.trace.attachDocument({ lotId, uploadId: file.id })).toMatchObject({ attached: false });
    expect(await seller.api.trace.documents({ lotId })).toEqual([expect.objectContaining({ uploadId: file.id, fileName: 'report.pdf', kind: 'quality_report' })]);
    const view = await (await app.caller(new Headers())).trace.lot({ id: lotId });
    expect(view.reportAttached).toBe(true);
    expect(JSON.stringify(view)).not.toContain(file.id);
    expect(JSON.stringify(view)).not.toContain('report.pdf');
  });

  it('refuses another organisation’s lot or upload with NOT_FOUND', async () => {
    const a = await sellerOrg(app);
    const b = await sellerOrg(app);
    const { lotId: aLot } = await lotOf(a, 'TR-A');
    const { lotId: bLot } = await lotOf(b, 'TR-B');
    const aFile = await storeUpload(app.handle.db, dataDir, { userId: a.userId, orgId: a.id }, { name: 'a.pdf', bytes: PDF });
    const bFile = await storeUpload(app.handle.db, dataDir, { userId: b.userId, orgId: b.id }, { name: 'b.pdf', bytes: PDF });
    expect(await errorOf(() => b.api.trace.attachDocument({ lotId: aLot, uploadId: bFile.id }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'lotId' } });
    expect(await errorOf(() => b.api.trace.attachDocument({ lotId: bLot, uploadId: aFile.id }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'uploadId' } });
    expect(await errorOf(() => b.api.trace.documents({ lotId: aLot }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
    await expect(attachLotDocument(app.handle.db, { userId: null, orgId: b.id }, { lotId: aLot, uploadId: aFile.id, kind: 'quality_report' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await (await app.caller(new Headers())).trace.lot({ id: aLot })).reportAttached).toBe(false);
  });
});

describe('GET /api/lots/:id/label.png', () => {
  const ctxFor = (req: Request) => createRequestContext({ db: app.handle.db, auth: app.auth, headers: req.headers });
  const get = (lotId: string, headers: Headers, format: 'png' | 'svg' = 'png') =>
    handleLotLabel(new Request(`http://localhost/api/lots/${lotId}/label.${format}`, { headers }), lotId, format, ctxFor);

  it('gives the seller a PNG QR code of the trace URL', async () => {
    const seller = await sellerOrg(app);
    const { lotId } = await lotOf(seller, 'TR-LABEL');
    const res = await get(lotId, seller.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toContain('TR-LABEL');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svg = await get(lotId, seller.headers, 'svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toContain('批号 TR-LABEL');
    expect(traceUrl(lotId, 'https://bencao.example/')).toBe(`https://bencao.example/zh/trace/${lotId}`);
  });

  it('refuses another organisation and anonymous callers', async () => {
    const seller = await sellerOrg(app);
    const other = await sellerOrg(app);
    const { lotId } = await lotOf(seller, 'TR-LABEL-2');
    const foreign = await get(lotId, other.headers);
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await get('lot_unknown', seller.headers)).status).toBe(404);
    expect((await get(lotId, new Headers())).status).toBe(401);
  });
});
