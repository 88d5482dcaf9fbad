import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tender } from '../db/schema/index.ts';
import * as trpcRoute from '../../app/api/trpc/[trpc]/route.ts';
import * as restV1Route from '../../app/api/v1/[...path]/route.ts';
import * as uploadRoute from '../../app/api/uploads/[id]/route.ts';
import * as uploadsRoute from '../../app/api/uploads/route.ts';
import { MAX_UPLOAD_BYTES } from '../domains/uploads/upload-type.core.ts';
import * as labelPngRoute from '../../app/api/lots/[id]/label.png/route.ts';
import * as importErrorsRoute from '../../app/api/imports/[id]/errors.csv/route.ts';
import * as carrierWebhookRoute from '../../app/api/webhooks/carriers/[carrier]/route.ts';
import * as paymentWebhookRoute from '../../app/api/webhooks/payments/route.ts';
import { testCarriers } from '../domains/delivery/shipments.testkit.ts';
import { appPaymentsConfig } from '../integrations/payments/payments.ts';
import { signatureHeader } from '../integrations/payments/signature.core.ts';
import { createFuzzWorld, readAnswer, type FuzzWorld } from '../testing/fuzz-harness.ts';

/**
 * Regressions of the defects the fuzz suites (trpc.fuzz.test.ts, routes.fuzz.test.ts) found, each
 * pinned with the input that once answered a 500 (or read an unbounded body).
 */

let world: FuzzWorld;
const caller = (label: string) => world.callers.find((c) => c.label === label)!;
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString();
const tenderInput = (title: string) => ({
  title,
  method: 'vbp_price',
  weights: null,
  demandDeadline: day(2),
  bidDeadline: day(5),
  openingAt: day(5.1),
  publicityEndsAt: day(8),
  lots: [{ herbName: '黄芪', spec: '饮片', qualityTier: 'A', ceilingFenPerKg: 12_000, deliveryRegions: ['330106'] }],
});

async function trpcPost(path: string, body: string, headers: Headers) {
  const h = new Headers(headers);
  h.set('content-type', 'application/json');
  h.set('accept-language', 'en');
  return readAnswer(await trpcRoute.POST(new Request(`http://localhost/api/trpc/${path}`, { method: 'POST', headers: h, body })));
}

const tenders = async () => Number((await world.app.handle.db.select({ n: count() }).from(tender))[0]!.n);

beforeAll(async () => {
  world = await createFuzzWorld();
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe('hostile input regressions', () => {
  it('tRPC: text PostgreSQL cannot store (NUL, a lone surrogate) is a 400 naming the field, and nothing is written', async () => {
    const alliance = caller('alliance/owner').headers;
    const before = await tenders();
    for (const [json, field, message] of [
      [JSON.stringify(tenderInput('招标\u0000')), 'title', 'Must not contain a NUL character.'],
      [JSON.stringify({ ...tenderInput('招标'), lots: [{ ...tenderInput('x').lots[0], spec: 'a\uD800' }] }), 'lots.0.spec', 'Contains an invalid Unicode character (a lone surrogate).'],
    ] as const) {
      const answer = await trpcPost('tenders.create', json, alliance);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error: { message, data: { code: 'BAD_REQUEST', field } } });
    }
    expect(await tenders()).toBe(before);
    // The same input without the hostile character is created (the refusal was about that field only).
    expect((await trpcPost('tenders.create', JSON.stringify(tenderInput('招标')), alliance)).status).toBe(200);
  });

  it('tRPC: a body nested 10,000 deep is a 400 naming the field; a body over 1 MB is a 413 before it is parsed', async () => {
    const alliance = caller('alliance/owner').headers;
    const deep = `{"title":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const nested = await trpcPost('tenders.create', deep, alliance);
    expect(nested.status).toBe(400);
    expect(nested.json).toMatchObject({ error: { data: { field: 'title' } } });
    const huge = await trpcPost('tenders.create', JSON.stringify(tenderInput('x'.repeat(2 * 1024 * 1024))), alliance);
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ error: { message: 'The request body is too large (at most 1 MB).', data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 } } });
  });

  it('tRPC: a mutation without input still works with the empty body tRPC clients send for it', async () => {
    const answer = await trpcPost('operator.verifyAudit', '', caller('operator/operator_admin').headers);
    expect(answer.status).toBe(200);
  });

  it('REST v1: a query parameter named like an Object.prototype member is a 400 naming it (it crashed the query parser)', async () => {
    const key = caller('hospital/api-key').headers;
    for (const param of ['constructor', '__proto__', 'toString']) {
      const answer = await readAnswer(await restV1Route.GET(new Request(`http://localhost/api/v1/herbs?q=huangqi&${param}=1`, { headers: key })));
      expect(answer.status, param).toBe(400);
      expect(answer.json).toMatchObject({ error: { code: 'BAD_REQUEST', field: param } });
    }
  });

  it('REST v1: a JSON body that is not an object is a 400 naming (input) (it was spread into an object, a key per character)', async () => {
    const headers = new Headers(caller('hospital/api-key').headers);
    headers.set('content-type', 'application/json');
    for (const body of [JSON.stringify('A'.repeat(100_000)), '[{"patient":{}}]', '42', 'null']) {
      const answer = await readAnswer(await restV1Route.POST(new Request('http://localhost/api/v1/prescriptions/screen', { method: 'POST', headers, body })));
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ error: { code: 'BAD_REQUEST', field: '(input)' } });
    }
    const huge = await readAnswer(await restV1Route.POST(new Request('http://localhost/api/v1/prescriptions/screen', { method: 'POST', headers, body: `{"x":"${'A'.repeat(2 * 1024 * 1024)}"}` })));
    expect(huge.status).toBe(413);
  });

  it('route ids with a NUL are not found (they reached the database, which refuses NUL: 500)', async () => {
    const owner = caller('supplier/owner').headers;
    const params = { params: Promise.resolve({ id: 'lot\u0000' }) };
    for (const res of [
      await uploadRoute.GET(new Request('http://localhost/api/uploads/x', { headers: owner }), params),
      await labelPngRoute.GET(new Request('http://localhost/api/lots/x/label.png', { headers: owner }), params),
      await importErrorsRoute.GET(new Request('http://localhost/api/imports/x/errors.csv', { headers: owner }), params),
    ]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND', field: 'id' } });
    }
  });

  it('uploads: a body that is not a multipart form is a 400 naming file (the form parser threw: 500)', async () => {
    const headers = new Headers(caller('supplier/owner').headers);
    headers.set('content-type', 'application/json');
    const res = await uploadsRoute.POST(new Request('http://localhost/api/uploads', { method: 'POST', headers, body: '{"file":"%PDF-1.7"}' }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'VALIDATION', field: 'file' } });
  });

  it('uploads: too large is a 413, refused while streaming — a body without a length is not read to its end', async () => {
    const headers = new Headers(caller('supplier/owner').headers);
    headers.set('content-type', 'multipart/form-data; boundary=x');
    let pulled = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += chunk.byteLength;
        if (pulled > 100 * 1024 * 1024) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await uploadsRoute.POST(new Request('http://localhost/api/uploads', { method: 'POST', headers, body, duplex: 'half' } as RequestInit));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE', field: 'file', message: '文件过大（最大 10 MB）。' } });
    expect(pulled).toBeLessThan(MAX_UPLOAD_BYTES + 4 * 1024 * 1024);
  });

  it('webhooks: a signed carrier delivery with a NUL in a text field is a 400 naming it (the insert failed: 500, and the carrier retried)', async () => {
    const acceptTime = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    const body = JSON.stringify({ WaybillRoute: [{ id: 'reg-1', mailno: world.trackingNumber, acceptTime, opCode: '30', acceptAddress: '杭州\u0000' }] });
    const headers = testCarriers().get('sf')!.sign(body, new Date());
    const res = await carrierWebhookRoute.POST(new Request('http://localhost/api/webhooks/carriers/sf', { method: 'POST', headers, body }), { params: Promise.resolve({ carrier: 'sf' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'malformed_body', field: 'WaybillRoute.0.acceptAddress' } });
  });

  it('webhooks: a signed payment event with a NUL or a lone surrogate is an invalid payload (400), not a failed event (500, retried for days)', async () => {
    const { webhookSecret } = appPaymentsConfig();
    for (const type of ['payment_intent.succeeded\u0000', 'a\uDC00b']) {
      const body = JSON.stringify({ id: 'evt_reg_0001', object: 'event', type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { id: 'pi_reg_0001', object: 'payment_intent' } } });
      const res = await paymentWebhookRoute.POST(new Request('http://localhost/api/webhooks/payments', { method: 'POST', headers: { 'stripe-signature': signatureHeader(webhookSecret!, Math.floor(Date.now() / 1000), body) }, body }));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ received: false, error: { code: 'invalid_payload', message: 'type: ' + (type.includes('\u0000') ? 'contains a NUL character' : 'contains a lone UTF-16 surrogate') } });
    }
  });

  it('webhooks read at most 1 MB of a body (413), signed or not', async () => {
    const res = await carrierWebhookRoute.POST(new Request('http://localhost/api/webhooks/carriers/sf', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"x":"${'A'.repeat(2 * 1024 * 1024)}"}` }), { params: Promise.resolve({ carrier: 'sf' }) });
    expect(res.status).toBe(413);
  });
});
