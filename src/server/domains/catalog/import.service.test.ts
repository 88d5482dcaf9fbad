import { eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequestContext } from '../../api/context.ts';
import { handleCreateImport, handleImportErrors } from '../../api/routers/imports/imports-http.ts';
import { importJob, importRow, listing, lot, outboxEvent, product } from '../../db/schema/index.ts';
import { createTestApp, errorOf, type TestApp } from '../../testing/test-app.ts';
import { verifyAuditChain } from '../audit/audit.service.ts';
import { upsertHerbMasterData } from './herbs.seed.ts';
import { importFileJob } from './import.jobs.ts';
import { runImport } from './import.run.ts';
import { sellerOrg, type Seller } from './trace.fixtures.ts';

let app: TestApp;
const ctxFor = (req: Request) => createRequestContext({ db: app.handle.db, auth: app.auth, headers: req.headers });

const HEADER = '药材,形态,规格,炮制,等级,产地,道地,批号,数量kg,生产日期,有效期至,单价元每kg,起订kg,配送地区';
const row = (batch: string, over: Partial<{ herb: string; kg: string; date: string }> = {}) =>
  `${over.herb ?? '黄芪'},饮片,片,生,选货,甘肃陇西,是,${batch},${over.kg ?? '300'},${over.date ?? '2025-10-01'},2027-09-30,72.50,5,330106`;

async function upload(seller: Seller, body: Uint8Array | string, mode: string, name = 'lots.csv') {
  const form = new FormData();
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  form.set('file', new File([new Uint8Array(bytes)], name));
  form.set('mode', mode);
  const res = await handleCreateImport(new Request('http://localhost/api/imports', { method: 'POST', headers: seller.headers, body: form }), ctxFor);
  return { status: res.status, body: (await res.json()) as { id: string; error?: { code: string; field: string | null; message: string } } };
}

async function importOf(seller: Seller, body: Uint8Array | string, mode: string, name?: string) {
  const created = await upload(seller, body, mode, name);
  expect(created.status).toBe(202);
  await runImport(app.handle.db, created.body.id, { progressEvery: 1 });
  return { id: created.body.id, job: await seller.api.imports.get({ id: created.body.id }) };
}

async function lotsOf(orgId: string) {
  return app.handle.db.select({ batchNo: lot.batchNo, quantityG: lot.quantityG }).from(lot).where(eq(lot.sellerOrgId, orgId));
}

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
}, 120_000);
afterAll(async () => app.close());

describe('catalogue import', () => {
  it('queues the job in the same transaction as the import row', async () => {
    const seller = await sellerOrg(app);
    const created = await upload(seller, [HEADER, row('Q-1')].join('\n'), 'all_or_nothing');
    expect(created.status).toBe(202);
    const [job] = await app.handle.db.select({ status: importJob.status, totalRows: importJob.totalRows }).from(importJob).where(eq(importJob.id, created.body.id));
    expect(job).toEqual({ status: 'queued', totalRows: 1 });
    const events = await app.handle.db.select({ job: outboxEvent.job }).from(outboxEvent).where(eq(outboxEvent.dedupeKey, `catalog.import:${created.body.id}`));
    expect(events).toEqual([{ job: 'catalog.import-file' }]);
    expect((await seller.api.imports.list()).map((j) => j.id)).toContain(created.body.id);
  });

  it('all_or_nothing: one bad row writes nothing and reports the row', async () => {
    const seller = await sellerOrg(app);
    const csv = [HEADER, row('A-1'), row('A-2', { kg: '-5' }), row('A-3', { herb: '不存在的药' })].join('\r\n');
    const { id, job } = await importOf(seller, csv, 'all_or_nothing');
    expect(job).toMatchObject({ status: 'failed', totalRows: 3, okRows: 0, errorRows: 2, processedRows: 3 });
    expect(job.errors).toEqual([
      { row: 3, field: 'quantityKg', message: expect.stringContaining('数字') },
      { row: 4, field: 'herb', message: expect.stringContaining('不存在的药') },
    ]);
    expect(await lotsOf(seller.id)).toEqual([]);
    expect(await app.handle.db.select().from(product).where(eq(product.sellerOrgId, seller.id))).toEqual([]);
    const report = await handleImportErrors(new Request(`http://localhost/api/imports/${id}/errors.csv`, { headers: seller.headers }), id, ctxFor);
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await report.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('3,quantityKg,');
    expect(text).toContain('4,herb,');
  });

  it('valid_rows: writes the good rows (one product reused) and reports the rest', async () => {
    const seller = await sellerOrg(app);
    const csv = [HEADER, row('V-1'), row('V-2', { date: '2025-02-30' }), row('V-3', { kg: '12.345' })].join('\n');
    const { id, job } = await importOf(seller, csv, 'valid_rows');
    expect(job).toMatchObject({ status: 'done', totalRows: 3, okRows: 2, errorRows: 1, processedRows: 3 });
    expect(job.errors).toEqual([{ row: 3, field: 'productionDate', message: expect.any(String) }]);
    expect((await lotsOf(seller.id)).sort((a, b) => a.batchNo.localeCompare(b.batchNo))).toEqual([
      { batchNo: 'V-1', quantityG: 300_000 },
      { batchNo: 'V-3', quantityG: 12_345 },
    ]);
    expect(await app.handle.db.select().from(product).where(eq(product.sellerOrgId, seller.id))).toHaveLength(1);
    const listings = await seller.api.catalog.myListings();
    expect(listings).toHaveLength(2);
    expect(listings[0]).toMatchObject({ status: 'draft', priceFenPerKg: 7250, minOrderG: 5000, deliveryRegions: ['330106'] });

    // Redelivery after a crash before the final status: no duplicates, same counts.
    await app.handle.db.update(importJob).set({ status: 'running' }).where(eq(importJob.id, id));
    await runImport(app.handle.db, id);
    expect(await seller.api.imports.get({ id })).toMatchObject({ status: 'done', okRows: 2, errorRows: 1 });
    expect(await lotsOf(seller.id)).toHaveLength(2);
    expect(await app.handle.db.select().from(importRow).where(eq(importRow.jobId, id))).toHaveLength(2);
    // Redelivery of a finished job is a no-op.
    await importFileJob.handler({ importId: id }, { db: app.handle.db, eventId: 'evt_test', attempt: 2, now: new Date() });
    expect(await seller.api.catalog.myListings()).toHaveLength(2);
    // Importing the same file again: the batch numbers are taken.
    const again = await importOf(seller, csv, 'valid_rows');
    expect(again.job).toMatchObject({ status: 'done', okRows: 0, errorRows: 3 });
    expect(again.job.errors.filter((e) => e.field === 'batchNo').map((e) => e.row)).toEqual([2, 4]);
    expect((await verifyAuditChain(app.handle.db)).ok).toBe(true);
  });

  it('all_or_nothing: a good file is written once, even when delivered twice', async () => {
    const seller = await sellerOrg(app);
    const { id, job } = await importOf(seller, [HEADER, row('G-1'), row('G-2')].join('\n'), 'all_or_nothing');
    expect(job).toMatchObject({ status: 'done', okRows: 2, errorRows: 0, errors: [] });
    await runImport(app.handle.db, id);
    await importFileJob.handler({ importId: id }, { db: app.handle.db, eventId: 'evt_again', attempt: 1, now: new Date() });
    expect(await lotsOf(seller.id)).toHaveLength(2);
    expect(await app.handle.db.select().from(listing).where(eq(listing.sellerOrgId, seller.id))).toHaveLength(2);
  });

  it('wrong headers fail the job at once with the expected headers', async () => {
    const seller = await sellerOrg(app);
    const { job } = await importOf(seller, ['herb,form,price', '黄芪,饮片,72'].join('\n'), 'valid_rows');
    expect(job).toMatchObject({ status: 'failed', okRows: 0 });
    expect(job.message).toContain('“price”');
    expect(job.message).toContain('批号/batchNo');
    expect(await lotsOf(seller.id)).toEqual([]);
  });

  it('imports an XLSX file built with exceljs (dates as cells)', async () => {
    const seller = await sellerOrg(app);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('lots');
    sheet.addRow(['herb', 'form', 'cut', 'processing', 'grade', 'origin', 'daodi', 'batchNo', 'quantityKg', 'productionDate', 'expiryDate', 'priceYuanPerKg', 'minOrderKg']);
    sheet.addRow(['当归', 'raw', 'none', 'raw', 'ungraded', '甘肃岷县', 'yes', 'X-1', 500.5, new Date(Date.UTC(2025, 9, 15)), '2027-10-14', 56.8, 10]);
    sheet.addRow(['当归', 'raw', 'none', 'raw', 'ungraded', '甘肃岷县', 'no', 'X-2', 20, new Date(Date.UTC(2025, 9, 15)), '2024-10-14', 56.8, 10]);
    const bytes = new Uint8Array(await book.xlsx.writeBuffer());
    const { job } = await importOf(seller, bytes, 'valid_rows', 'lots.xlsx');
    expect(job).toMatchObject({ status: 'done', fileType: 'xlsx', okRows: 1, errorRows: 1 });
    expect(job.errors).toEqual([{ row: 3, field: 'expiryDate', message: expect.any(String) }]);
    expect(await lotsOf(seller.id)).toEqual([{ batchNo: 'X-1', quantityG: 500_500 }]);
  });

  it('refuses bad files at upload and keeps organisations apart', async () => {
    const a = await sellerOrg(app);
    const b = await sellerOrg(app);
    const pdf = await upload(a, new TextEncoder().encode('%PDF-1.4\u0000binary'), 'valid_rows', 'x.pdf');
    expect(pdf).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION', field: 'file' } } });
    expect((await upload(a, [HEADER, row('M-1')].join('\n'), 'everything')).body.error).toMatchObject({ field: 'mode' });
    const big = await upload(a, [HEADER, ...Array.from({ length: 10_001 }, (_, i) => row(`B-${i}`))].join('\n'), 'valid_rows');
    expect(big).toMatchObject({ status: 400, body: { error: { field: 'file' } } });
    const anon = await handleCreateImport(new Request('http://localhost/api/imports', { method: 'POST', body: new FormData() }), ctxFor);
    expect(anon.status).toBe(401);

    const { id } = await importOf(a, [HEADER, row('S-1', { kg: '0' })].join('\n'), 'valid_rows');
    expect(await errorOf(() => b.api.imports.get({ id }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'id' } });
    expect((await b.api.imports.list()).map((j) => j.id)).not.toContain(id);
    const foreign = await handleImportErrors(new Request(`http://localhost/api/imports/${id}/errors.csv`, { headers: b.headers }), id, ctxFor);
    expect(foreign.status).toBe(404);
  });
});
