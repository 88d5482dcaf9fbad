import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import { hospitalWithStaff, pharmacyWith, rxInput, type TestHospital } from '../../../domains/prescriptions/prescriptions.testkit.ts';
import type { LiveMessage } from '../../../integrations/live/live.port.ts';
import { appJobs } from '../../../jobs/registry.ts';
import { createJobRunner } from '../../../jobs/runner.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';

// The patient's live status stream: committed change → outbox `live.publish` → live bus → the
// subscription of whoever holds the status link (no login), and nobody without a valid token.
let app: TestApp;
let hospital: TestHospital;

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  hospital = await hospitalWithStaff(app);
  await pharmacyWith(app, { lat: 30.28, lng: 120.15 }, { decoction: true }, { 人参: 2000, 白术: 2000, 茯苓: 2000, 甘草: 2000 });
}, 240_000);
afterAll(async () => app.close());

describe('prescription status, live', () => {
  it('tells the patient page each time the prescription moves, once the change has committed', async () => {
    const created = await hospital.physician.api.prescriptions.create(rxInput({ idempotencyKey: 'his-rx-live-0001' }));
    const token = (await hospital.physician.api.prescriptions.detail({ id: created.id })).statusToken!;
    const controller = new AbortController();
    const anonymous = await app.caller(new Headers(), { signal: controller.signal });
    const stream = await anonymous.prescriptions.statusLive({ token });
    const received: LiveMessage[] = [];
    const reading = (async () => {
      for await (const message of stream) received.push(message);
    })();

    const runner = createJobRunner({ db: app.handle.db, registry: appJobs, onError: () => {}, onFailed: () => {} });
    const drain = async () => {
      for (let i = 0; i < 5; i += 1) if ((await runner.drainOnce!()) === 0) break;
    };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await drain(); // the intake's own announcements, delivered or not (a stream only hears what comes after it subscribed)
    await sleep(300);
    const before = received.length;
    await hospital.pharmacist.api.prescriptions.review({ id: created.id, decision: 'approved' });
    await sleep(100);
    expect(received.length).toBe(before); // committed, but not announced before the job runs
    await drain();
    // approved, then routed: two announcements
    await expect.poll(() => received.length - before, { timeout: 10_000 }).toBe(2);
    expect(received.every((m) => m.kind === 'prescription.event')).toBe(true);
    controller.abort();
    await Promise.race([reading, sleep(5_000).then(() => Promise.reject(new Error('the stream did not end on abort')))]);
  });

  it('refuses an unknown token before any stream opens', async () => {
    const anonymous = await app.caller(new Headers());
    expect(await errorOf(async () => {
      const stream = await anonymous.prescriptions.statusLive({ token: 'x'.repeat(32) });
      for await (const _ of stream) break;
    })).toMatchObject({ data: { code: 'NOT_FOUND' } });
  });
});
