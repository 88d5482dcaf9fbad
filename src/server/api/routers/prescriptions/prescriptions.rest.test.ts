import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prescription } from '../../../db/schema/index.ts';
import { upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { hospitalWithStaff, pharmacyWith, rxInput, type TestHospital } from '../../../domains/prescriptions/prescriptions.testkit.ts';
import { createTestApp, type TestApp } from '../../../testing/test-app.ts';
import { createRequestContext } from '../../context.ts';
import { createRestV1Handler, openApiDocument } from '../../rest.ts';

/** POST /api/v1/prescriptions and GET /api/v1/prescriptions/{id} through the real REST handler. */
describe('REST v1 prescriptions', () => {
  let app: TestApp;
  let hospital: TestHospital;
  let other: TestHospital;
  let key: string;
  let otherKey: string;
  let handler: (req: Request) => Promise<Response>;

  beforeAll(async () => {
    app = await createTestApp();
    await upsertHerbMasterData(app.handle.db);
    hospital = await hospitalWithStaff(app);
    other = await hospitalWithStaff(app);
    key = (await app.auth.api.createApiKey({ body: { name: 'his', organizationId: hospital.id, userId: hospital.ownerUserId } })).key;
    otherKey = (await app.auth.api.createApiKey({ body: { name: 'his', organizationId: other.id, userId: other.ownerUserId } })).key;
    await pharmacyWith(app, { lat: 30.28, lng: 120.15 }, { decoction: true }, { 人参: 2000, 白术: 2000, 茯苓: 2000, 甘草: 2000 });
    handler = createRestV1Handler((req) => createRequestContext({ db: app.handle.db, auth: app.auth, headers: req.headers }));
  }, 180_000);
  afterAll(async () => app.close());

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await handler(
      new Request(`http://localhost/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const rxCount = async () => (await app.handle.db.select({ n: count() }).from(prescription).where(eq(prescription.hospitalOrgId, hospital.id)))[0]!.n;

  it('accepts a prescription from the hospital system, honouring Idempotency-Key', async () => {
    const body = { ...rxInput(), physicianEmail: hospital.physician.email };
    const first = await call('POST', '/prescriptions', body, { 'idempotency-key': 'HIS-20260301-0001' });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(['flags', 'id', 'status']);
    expect(first.body).toMatchObject({ id: expect.stringMatching(/^rx_/), status: 'screened' });
    const n = await rxCount();
    const again = await call('POST', '/prescriptions', body, { 'idempotency-key': 'HIS-20260301-0001' });
    expect(again.body).toEqual(first.body);
    expect(await rxCount()).toBe(n);
    const changed = await call('POST', '/prescriptions', { ...body, doses: 3 }, { 'idempotency-key': 'HIS-20260301-0001' });
    expect(changed.status).toBe(409);
    expect(changed.body).toMatchObject({ error: { field: 'idempotencyKey' } });

    const id = first.body.id as string;
    const got = await call('GET', `/prescriptions/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, status: 'screened', pharmacy: null });
    expect((got.body.timeline as { to: string }[]).map((e) => e.to)).toEqual(['draft', 'screened']);

    // The pharmacist approves in the UI; the hospital system sees the pharmacy and the timeline.
    await hospital.pharmacist.api.prescriptions.review({ id, decision: 'approved' });
    const routed = await call('GET', `/prescriptions/${id}`);
    expect(routed.body).toMatchObject({ status: 'routed' });
    expect((routed.body.timeline as { to: string }[]).map((e) => e.to)).toEqual(['draft', 'screened', 'approved', 'routed']);
  });

  it('answers blocking flags in the caller’s language', async () => {
    const body = { ...rxInput({ items: [{ herb: '甘草', grams: 6 }, { herb: '海藻', grams: 9 }] }), physicianEmail: hospital.physician.email };
    const zh = await call('POST', '/prescriptions', body);
    expect(zh.body.flags).toEqual([{ code: 'INCOMPATIBLE_18FAN', severity: 'block', herbs: ['甘草', '海藻'], message: expect.stringContaining('十八反') }]);
    const en = await call('POST', '/prescriptions', body, { 'accept-language': 'en' });
    expect((en.body.flags as { message: string }[])[0]!.message).toMatch(/[A-Za-z]/);
    // The stored flags read back in either language.
    const read = await call('GET', `/prescriptions/${zh.body.id as string}`, undefined, { 'accept-language': 'en' });
    expect((read.body.flags as { code: string; message: string }[])[0]).toMatchObject({ code: 'INCOMPATIBLE_18FAN', message: (en.body.flags as { message: string }[])[0]!.message });
  });

  it('refuses bad input with the contract error shape, nothing written', async () => {
    const n = await rxCount();
    const base = { ...rxInput(), physicianEmail: hospital.physician.email };
    const grams = await call('POST', '/prescriptions', { ...base, items: [{ herb: '黄芪', grams: 1.2345 }] });
    expect(grams.status).toBe(400);
    expect(grams.body).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('items.0.grams'), field: 'items.0.grams' } });
    const unknown = await call('POST', '/prescriptions', { ...base, items: [{ herb: '黄七', grams: 9 }] });
    expect(unknown.body).toMatchObject({ error: { code: 'BAD_REQUEST', field: 'items.0.herb' } });
    expect((await call('POST', '/prescriptions', { ...base, doses: 0 })).body).toMatchObject({ error: { field: 'doses' } });
    expect((await call('POST', '/prescriptions', '{"items": [')).status).toBe(400);
    expect((await call('POST', '/prescriptions', base, { 'idempotency-key': 'short' })).body).toMatchObject({ error: { code: 'BAD_REQUEST', field: 'Idempotency-Key' } });
    const noSigner = await call('POST', '/prescriptions', rxInput());
    expect(noSigner.body).toMatchObject({ error: { field: 'physicianEmail' } });
    const notPhysician = await call('POST', '/prescriptions', { ...base, physicianEmail: hospital.pharmacist.email });
    expect(notPhysician.status).toBe(403);
    const foreign = await call('POST', '/prescriptions', { ...base, physicianEmail: other.physician.email });
    expect(foreign.status).toBe(403);
    expect(await rxCount()).toBe(n);
  });

  const geo = { url: 'http://hl7.org/fhir/StructureDefinition/geolocation', extension: [{ url: 'latitude', valueDecimal: 30.27 }, { url: 'longitude', valueDecimal: 120.15 }] };
  const med = (herb: string, value: number, extra: Record<string, unknown> = {}) => ({
    resource: {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { text: herb },
      dosageInstruction: [{ text: '每日1剂，水煎分2次服', doseAndRate: [{ doseQuantity: { value, unit: 'g' } }] }],
      dispenseRequest: { quantity: { value: 7, unit: '剂' } },
      ...extra,
    },
  });
  const bundle = (meds: unknown[], patient: Record<string, unknown> = {}) => ({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { resource: { resourceType: 'Patient', name: [{ text: '周星星' }], gender: 'male', birthDate: '1970-05-01', address: [{ extension: [geo] }], ...patient } },
      { resource: { resourceType: 'Practitioner', telecom: [{ system: 'email', value: hospital.physician.email }] } },
      ...meds,
    ],
  });

  it('accepts a FHIR R4 Bundle and names the FHIR path of what it refuses', async () => {
    const decoction = { extension: [{ url: 'https://bencao.example/fhir/StructureDefinition/rx-decoction', extension: [{ url: 'bags', valueInteger: 14 }, { url: 'ml', valueInteger: 200 }] }] };
    const ok = await call('POST', '/prescriptions/fhir', bundle([med('人参', 9, { ...decoction, dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 9000, unit: 'mg' } }], additionalInstruction: [{ text: '另煎' }] }] }), med('白术', 9), med('茯苓', 12), med('炙甘草', 6)]), { 'idempotency-key': 'HIS-FHIR-0001' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ id: expect.stringMatching(/^rx_/), status: 'screened', flags: [] });
    const detail = await hospital.physician.api.prescriptions.detail({ id: ok.body.id as string });
    expect(detail).toMatchObject({ doses: 7, decoction: true, decoctionBags: 14, decoctionMl: 200, patient: { name: '周**', sex: 'M' } });
    expect(detail.items.map((i) => [i.herbName, i.mg, i.handling])).toEqual([
      ['人参', 9000, '另煎'],
      ['白术', 9000, null],
      ['茯苓', 12000, null],
      ['甘草', 6000, null],
    ]);

    const n = await rxCount();
    const unmapped = await call('POST', '/prescriptions/fhir', bundle([med('白术', 9), med('黄七', 9)]));
    expect(unmapped.status).toBe(400);
    expect(unmapped.body).toMatchObject({ error: { field: 'entry.3.resource.medicationCodeableConcept' } });
    expect((unmapped.body.error as { message: string }).message).toContain('黄七');
    const grams = await call('POST', '/prescriptions/fhir', bundle([med('白术', 1.2345)]));
    expect(grams.body).toMatchObject({ error: { field: 'entry.2.resource.dosageInstruction.0.doseAndRate.0.doseQuantity' } });
    const gender = await call('POST', '/prescriptions/fhir', bundle([med('白术', 9)], { gender: 'unknown' }));
    expect(gender.body).toMatchObject({ error: { field: 'entry.0.resource.gender' } });
    const notBundle = await call('POST', '/prescriptions/fhir', { resourceType: 'Patient' });
    expect(notBundle.status).toBe(400);
    expect(await rxCount()).toBe(n);
  });

  it('is in the OpenAPI document', () => {
    const doc = openApiDocument();
    expect(doc.paths?.['/prescriptions']?.post).toBeDefined();
    expect(doc.paths?.['/prescriptions/{id}']?.get).toBeDefined();
    expect(doc.paths?.['/prescriptions/fhir']?.post).toBeDefined();
  });

  it('scopes GET to the issuing hospital', async () => {
    const created = await call('POST', '/prescriptions', { ...rxInput(), physicianEmail: hospital.physician.email });
    const id = created.body.id as string;
    const foreign = await call('GET', `/prescriptions/${id}`, undefined, { authorization: `Bearer ${otherKey}` });
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ error: { code: 'NOT_FOUND', field: 'id' } });
    const anonymous = await handler(new Request(`http://localhost/api/v1/prescriptions/${id}`));
    expect(anonymous.status).toBe(401);
  });
});
