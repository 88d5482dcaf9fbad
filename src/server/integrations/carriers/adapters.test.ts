import { describe, expect, it } from 'vitest';
import { translate } from '../../../lib/messages.ts';
import { resolveCarriersConfig } from './carriers.config.ts';
import type { CarrierAdapter } from './carriers.port.ts';
import { createCarriers } from './carriers.ts';
import { createJdAdapter } from './jd.adapter.ts';
import { createSfAdapter, formatBeijingTime, parseBeijingTime } from './sf.adapter.ts';
import { createSimulatedAdapter } from './simulated.adapter.ts';

const now = new Date('2026-03-01T08:00:00Z');
const SECRET = 'carrier-test-secret-0123456789';
const sf = createSfAdapter({ secret: SECRET });
const jd = createJdAdapter({ secret: SECRET });
const sim = createSimulatedAdapter({ secret: SECRET });

const sfBody = JSON.stringify({
  requestId: 'r1',
  WaybillRoute: [
    { id: 'R1', mailno: 'SF1234567890123', acceptTime: '2026-03-01 15:30:00', acceptAddress: '杭州市西湖区', opCode: '50', remark: '顺丰速运 已收取快件' },
    { id: 'R2', mailno: 'SF1234567890123', acceptTime: '2026-03-01 15:45:00', opCode: '70', reasonCode: '2', temperatures: [{ time: '2026-03-01 15:40:00', value: 9.4 }] },
    { id: 'R3', mailno: 'SF1234567890123', acceptTime: '2026-03-01 15:50:00', opCode: '80', signer: '张**', podImage: 'sf://pod/R3.jpg', recipientCode: '123456' },
    { id: 'R4', mailno: 'SF1234567890123', acceptTime: '2026-03-01 15:55:00', opCode: '9999' },
  ],
});
const jdBody = JSON.stringify({ eventId: 'J1', waybillCode: 'JDVA01234567890', operateType: 'REJECT', operateTime: now.getTime(), operateSite: '杭州文三路站', temperatureList: [{ time: now.getTime(), value: 4.5 }] });
const simBody = JSON.stringify({ events: [{ id: 'S1', trackingNumber: 'SIM0000000001', type: 'in_transit', at: now.toISOString(), location: '杭州转运中心' }] });

const cases: [string, CarrierAdapter, string][] = [
  ['sf', sf, sfBody],
  ['jd', jd, jdBody],
  ['sim', sim, simBody],
];

describe.each(cases)('%s adapter', (_code, adapter, body) => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it('verifies its own signature and parses the body', () => {
    const result = adapter.verify(body, headers(adapter.sign(body, now)), now);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.events.length).toBeGreaterThan(0);
    // bytes work as well as text
    expect(adapter.verify(new TextEncoder().encode(body), headers(adapter.sign(body, now)), now).ok).toBe(true);
  });

  it('refuses another secret, a changed body, a changed timestamp (401)', () => {
    const other = { sf: createSfAdapter, jd: createJdAdapter, sim: createSimulatedAdapter }[adapter.code]({ secret: 'someone-else-secret-000' });
    const forged = adapter.verify(body, headers(other.sign(body, now)), now);
    expect(forged).toMatchObject({ ok: false, error: { status: 401, code: 'bad_signature', field: adapter.signatureHeader } });
    const signed = adapter.sign(body, now);
    expect(adapter.verify(body.replace('杭州', '宁波'), headers(signed), now)).toMatchObject({ ok: false, error: { code: 'bad_signature' } });
    const ts = signed[adapter.timestampHeader]!;
    expect(adapter.verify(body, headers({ ...signed, [adapter.timestampHeader]: String(Number(ts) - 1) }), now)).toMatchObject({ ok: false, error: { code: 'bad_signature' } });
  });

  it('refuses missing and malformed headers (401, naming the header)', () => {
    const signed = adapter.sign(body, now);
    const noSig = { ...signed };
    delete noSig[adapter.signatureHeader];
    expect(adapter.verify(body, headers(noSig), now)).toMatchObject({ ok: false, error: { status: 401, code: 'missing_signature', field: adapter.signatureHeader } });
    const noTs = { ...signed };
    delete noTs[adapter.timestampHeader];
    expect(adapter.verify(body, headers(noTs), now)).toMatchObject({ ok: false, error: { code: 'missing_signature', field: adapter.timestampHeader } });
    expect(adapter.verify(body, headers({ ...signed, [adapter.signatureHeader]: 'not-a-digest' }), now)).toMatchObject({ ok: false, error: { code: 'malformed_signature' } });
    expect(adapter.verify(body, headers({ ...signed, [adapter.timestampHeader]: 'yesterday' }), now)).toMatchObject({ ok: false, error: { code: 'malformed_signature', field: adapter.timestampHeader } });
  });

  it('refuses timestamps outside the 5-minute window, either side', () => {
    expect(adapter.verify(body, headers(adapter.sign(body, new Date(now.getTime() - 301_000))), now)).toMatchObject({ ok: false, error: { status: 401, code: 'stale_timestamp' } });
    expect(adapter.verify(body, headers(adapter.sign(body, new Date(now.getTime() + 301_000))), now)).toMatchObject({ ok: false, error: { code: 'stale_timestamp' } });
    expect(adapter.verify(body, headers(adapter.sign(body, new Date(now.getTime() - 299_000))), now).ok).toBe(true);
  });

  it('a signed body that is not JSON, or not the carrier’s shape, is 400 naming the field', () => {
    const notJson = '{"oops"';
    expect(adapter.verify(notJson, headers(adapter.sign(notJson, now)), now)).toMatchObject({ ok: false, error: { status: 400, code: 'malformed_body', field: 'body' } });
    const wrong = JSON.stringify({ hello: 'world' });
    const result = adapter.verify(wrong, headers(adapter.sign(wrong, now)), now);
    expect(result).toMatchObject({ ok: false, error: { status: 400, code: 'malformed_body' } });
    if (!result.ok) {
      expect(result.error.field).not.toBe('body');
      expect(translate(result.error.message, 'en')).toContain(result.error.field!);
    }
  });
});

describe('SF Express mapping', () => {
  it('maps opCodes, Beijing times, reasons, proof of delivery and readings', () => {
    const result = sf.verify(sfBody, new Headers(sf.sign(sfBody, now)), now);
    if (!result.ok) throw new Error(result.error.code);
    const [pickup, exception, delivered, unknown] = result.events;
    expect(pickup).toMatchObject({ carrierEventId: 'R1', type: 'picked_up', carrierCode: '50', eventAt: new Date('2026-03-01T07:30:00Z'), location: '杭州市西湖区', trackingField: 'WaybillRoute.0.mailno' });
    expect(exception).toMatchObject({ type: 'exception', exceptionReason: 'address_problem', temperatures: [{ at: new Date('2026-03-01T07:40:00Z'), celsius: 9.4 }] });
    expect(delivered).toMatchObject({ type: 'delivered', pod: { signer: '张**', photoRef: 'sf://pod/R3.jpg', check: 'code', recipientCode: '123456' } });
    expect(unknown).toMatchObject({ type: 'unknown', carrierCode: '9999' });
  });

  it('Beijing time round trip; impossible dates refused', () => {
    expect(parseBeijingTime('2026-03-01 08:00:00')).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(formatBeijingTime(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01 08:00:00');
    expect(parseBeijingTime('2026-02-30 08:00:00')).toBeNull();
    expect(parseBeijingTime('2026-03-01T08:00:00')).toBeNull();
  });

  it('tracking number formats', () => {
    expect(sf.validTrackingNumber('SF1234567890123')).toBe(true);
    expect(sf.validTrackingNumber('JD1234567890123')).toBe(false);
    expect(jd.validTrackingNumber('JDVA01234567890')).toBe(true);
    expect(sim.validTrackingNumber('SIM0000000001')).toBe(true);
  });
});

describe('JD Logistics mapping', () => {
  it('REJECT is an exception with reason refused, readings kept', () => {
    const result = jd.verify(jdBody, new Headers(jd.sign(jdBody, now)), now);
    if (!result.ok) throw new Error(result.error.code);
    expect(result.events).toEqual([expect.objectContaining({ carrierEventId: 'J1', type: 'exception', exceptionReason: 'refused', trackingField: 'waybillCode', temperatures: [{ at: now, celsius: 4.5 }] })]);
  });
});

describe('configuration', () => {
  it('derives distinct secrets per carrier unless set; refuses short secrets naming the variable', () => {
    const config = resolveCarriersConfig({}, 'seed-seed-seed-seed-seed-seed-seed');
    expect(new Set(Object.values(config.secrets)).size).toBe(3);
    expect(config).toMatchObject({ toleranceSeconds: 300, simMinuteMs: 1000, simulatedAvailable: false });
    expect(resolveCarriersConfig({ BENCAO_DEMO: '1' }, 'seed').simulatedAvailable).toBe(true);
    expect(resolveCarriersConfig({ CARRIER_SF_SECRET: 'x'.repeat(20) }, 'seed').secrets.sf).toBe('x'.repeat(20));
    expect(() => resolveCarriersConfig({ CARRIER_JD_SECRET: 'short' }, 'seed')).toThrow(/CARRIER_JD_SECRET/);
    expect(() => resolveCarriersConfig({ CARRIER_WEBHOOK_TOLERANCE_SECONDS: '5' }, 'seed')).toThrow(/CARRIER_WEBHOOK_TOLERANCE_SECONDS/);
  });

  it('unknown carriers are not served', () => {
    const carriers = createCarriers(resolveCarriersConfig({}, 'seed'));
    expect(carriers.get('sf')?.name).toBe('顺丰速运');
    expect(carriers.get('ems')).toBeNull();
    expect(carriers.get('__proto__')).toBeNull();
  });
});
