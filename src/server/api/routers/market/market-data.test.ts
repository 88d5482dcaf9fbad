import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../../lib/ids.ts';
import { member, marketTrade } from '../../../db/schema/index.ts';
import { herbIdFor, upsertHerbMasterData } from '../../../domains/catalog/herbs.seed.ts';
import type { LiveMessage } from '../../../integrations/live/live.port.ts';
import { liveTopics } from '../../../integrations/live/live.port.ts';
import { liveBus } from '../../../integrations/live/live.ts';
import { seedDemoApiKey } from '../../../testing/api-keys.ts';
import { createTestApp, errorOf, type TestApp } from '../../../testing/test-app.ts';
import { createTestOrg, type TestOrg } from '../../../testing/test-orgs.ts';
import { createRequestContext } from '../../context.ts';
import { handleOhlcExport } from './ohlc-http.ts';

// The market's read procedures, the operator's instrument procedures, the live streams and the OHLC
// export over real sessions: who may read, who may trade, who may manage, and how bad input is answered.
let app: TestApp;
let grower: TestOrg;
let hospital: TestOrg;
let stranger: TestOrg;
let physician: Awaited<ReturnType<TestApp['caller']>>;
let physicianHeaders: Headers;
let operator: Awaited<ReturnType<TestApp['caller']>>;
let instrumentId: string;
const spec = { form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' } as const;
const ctxFor = (req: Request) => createRequestContext({ db: app.handle.db, auth: app.auth, headers: req.headers });

async function exportOf(query: string, headers: Headers) {
  const res = await handleOhlcExport(new Request(`http://localhost/api/market/ohlc${query}`, { headers }), ctxFor);
  return res;
}

async function errorBody(res: Response) {
  return ((await res.json()) as { error: { code: string; message: string; field: string | null } }).error;
}

/** Reads `stream` until aborted; answers the messages seen so far and the abort. */
function collect(stream: AsyncIterable<LiveMessage>) {
  const received: LiveMessage[] = [];
  const done = (async () => {
    for await (const m of stream) received.push(m);
  })();
  return { received, done };
}

beforeAll(async () => {
  app = await createTestApp();
  await upsertHerbMasterData(app.handle.db);
  grower = await createTestOrg(app, 'grower', { tag: 'mkd-grower' });
  hospital = await createTestOrg(app, 'hospital', { tag: 'mkd-hosp' });
  stranger = await createTestOrg(app, 'pharmacy', { tag: 'mkd-pharm' });
  const op = await app.signUp(`mkd-op-${randomBytes(3).toString('hex')}@example.cn`);
  await app.makeOperator(op.userId);
  operator = await app.caller(op.headers);
  instrumentId = (await operator.market.createInstrument({ herbId: herbIdFor('黄芪'), ...spec })).id;
  const doc = await app.signUp(`mkd-doc-${randomBytes(3).toString('hex')}@example.cn`);
  await app.handle.db.insert(member).values({ id: newId('member'), organizationId: hospital.id, userId: doc.userId, role: 'physician' });
  physicianHeaders = doc.headers;
  physician = await app.caller(doc.headers);
  await app.handle.db.insert(marketTrade).values(
    [
      ['2026-03-01T02:00:00Z', 5900, 1000],
      ['2026-03-02T02:00:00Z', 6100, 3000],
    ].map(([at, fenPerKg, grams], i) => ({
      id: newId('mtr'),
      instrumentId,
      seq: i + 1,
      ordinal: 0,
      buyerOrgId: hospital.id,
      sellerOrgId: grower.id,
      buyOrderId: newId('mor'),
      sellOrderId: newId('mor'),
      fenPerKg: fenPerKg as number,
      grams: grams as number,
      at: new Date(at as string),
      onNetTerms: false,
    })),
  );
});
afterAll(async () => app.close());

describe('market data procedures', () => {
  it('any signed-in member reads quotes, trades and candles; only traders see their lots and counterparties', async () => {
    expect(await physician.market.quotes()).toContainEqual(expect.objectContaining({ id: instrumentId, name: '黄芪 药材 生 统货', lastFenPerKg: 6100, status: 'active' }));
    expect(await physician.market.instrument({ instrumentId })).toMatchObject({ id: instrumentId, lastFenPerKg: 6100 });
    expect(await stranger.api.market.trades({ instrumentId })).toEqual([
      expect.objectContaining({ fenPerKg: 6100, grams: 3000, mySide: null, counterpartyName: null }),
      expect.objectContaining({ fenPerKg: 5900, grams: 1000, mySide: null, counterpartyName: null }),
    ]);
    const ohlc = await physician.market.ohlc({ instrumentId, from: '2026-03-01', to: '2026-03-02' });
    expect(ohlc.days.map((d) => [d.day, d.closeFenPerKg, d.volumeG])).toEqual([
      ['2026-03-01', 5900, 1000],
      ['2026-03-02', 6100, 3000],
    ]);
    expect(await errorOf(() => physician.market.sellableLots({ instrumentId }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await errorOf(() => physician.market.counterparties())).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect((await grower.api.market.sellableLots({ instrumentId })).length).toBe(0);
    expect(await hospital.api.market.counterparties()).toEqual([{ orgId: grower.id, name: expect.stringContaining('测试grower') }]);
    expect(await stranger.api.market.counterparties()).toEqual([]);
    // The physician acts for the buying hospital: its side is told, and who sold.
    expect((await physician.market.trades({ instrumentId, limit: 1 }))[0]).toMatchObject({ mySide: 'buy', counterpartyName: expect.stringContaining('测试grower') });
    const anonymous = await app.caller(new Headers());
    expect(await errorOf(() => anonymous.market.quotes())).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('bad input names the field in the caller’s language', async () => {
    const bad = await errorOf(() => physician.market.ohlc({ instrumentId, from: '2026-02-30' }), new Headers({ 'accept-language': 'en' }));
    expect(bad).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'from' } });
    expect(bad.message).toContain('YYYY-MM-DD');
    expect(await errorOf(() => physician.market.ohlc({ instrumentId, from: '2026-03-02', to: '2026-03-01' }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'to' }, message: '结束日期不能早于开始日期。' });
    expect(await errorOf(() => physician.market.trades({ instrumentId: 'ins_missing' }))).toMatchObject({ data: { code: 'NOT_FOUND', field: 'instrumentId' } });
  });
});

describe('instrument management', () => {
  it('operators create, halt and resume instruments; members cannot', async () => {
    const input = { herbId: herbIdFor('当归'), form: 'raw', cut: 'none', processing: 'raw', grade: 'selected' } as const;
    expect(await errorOf(() => hospital.api.market.createInstrument(input))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    const created = await operator.market.createInstrument(input);
    expect(created).toMatchObject({ name: '当归 药材 生 选货', status: 'active' });
    expect(await errorOf(() => operator.market.createInstrument(input))).toMatchObject({ data: { code: 'CONFLICT', field: 'grade' } });
    expect(await errorOf(() => operator.market.createInstrument({ ...input, form: 'powder' as never }))).toMatchObject({ data: { code: 'BAD_REQUEST', field: 'form' } });
    expect(await errorOf(() => grower.api.market.setInstrumentStatus({ instrumentId: created.id, status: 'halted' }))).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(await operator.market.setInstrumentStatus({ instrumentId: created.id, status: 'halted' })).toEqual({ instrumentId: created.id, status: 'halted' });
    expect(await physician.market.instrument({ instrumentId: created.id })).toMatchObject({ status: 'halted' });
    await operator.market.setInstrumentStatus({ instrumentId: created.id, status: 'active' });
    expect(await physician.market.instrument({ instrumentId: created.id })).toMatchObject({ status: 'active' });
    expect(await errorOf(() => operator.market.setInstrumentStatus({ instrumentId: 'ins_missing', status: 'halted' }))).toMatchObject({ data: { code: 'NOT_FOUND' } });
  });
});

describe('live streams', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('an instrument’s stream hears its book and trades; an organisation’s stream only its own orders', async () => {
    const controller = new AbortController();
    const reader = await app.caller(physicianHeaders, { signal: controller.signal });
    const instrumentStream = collect(await reader.market.live({ instrumentId }));
    const growerCaller = await app.caller(grower.headers, { signal: controller.signal });
    const orgStream = collect(await growerCaller.market.myLive());
    await sleep(100);
    const at = new Date().toISOString();
    await liveBus().publish(liveTopics.marketInstrument(instrumentId), { kind: 'market.trade', at });
    await liveBus().publish(liveTopics.marketOrg(hospital.id), { kind: 'market.trade', at });
    await liveBus().publish(liveTopics.marketOrg(grower.id), { kind: 'market.order', at });
    await expect.poll(() => instrumentStream.received.length + orgStream.received.length, { timeout: 5000 }).toBe(2);
    expect(instrumentStream.received).toEqual([{ kind: 'market.trade', at }]);
    expect(orgStream.received).toEqual([{ kind: 'market.order', at }]);
    controller.abort();
    await Promise.all([instrumentStream.done, orgStream.done]);
  });

  it('refuses an unknown instrument before any stream opens, and a reader without market:trade its org stream', async () => {
    expect(await errorOf(async () => {
      for await (const _ of await physician.market.live({ instrumentId: 'ins_missing' })) break;
    })).toMatchObject({ data: { code: 'NOT_FOUND', field: 'instrumentId' } });
    expect(await errorOf(async () => {
      for await (const _ of await physician.market.myLive()) break;
    })).toMatchObject({ data: { code: 'FORBIDDEN' } });
  });
});

describe('GET /api/market/ohlc', () => {
  it('CSV and JSON of the daily candles for a signed-in member', async () => {
    const csv = await exportOf(`?instrument=${instrumentId}&from=2026-03-01&to=2026-03-02&format=csv`, physicianHeaders);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain(`ohlc-${instrumentId}-2026-03-01-2026-03-02.csv`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(
      '\uFEFFdate,open_fen_per_kg,high_fen_per_kg,low_fen_per_kg,close_fen_per_kg,volume_g,turnover_fen,trades,open_yuan_per_kg,high_yuan_per_kg,low_yuan_per_kg,close_yuan_per_kg,volume_kg,turnover_yuan\r\n' +
        '2026-03-01,5900,5900,5900,5900,1000,5900,1,59.00,59.00,59.00,59.00,1.000,59.00\r\n' +
        '2026-03-02,6100,6100,6100,6100,3000,18300,1,61.00,61.00,61.00,61.00,3.000,183.00\r\n',
    );
    const json = await exportOf(`?instrument=${instrumentId}&from=2026-03-02&to=2026-03-02`, physicianHeaders);
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual({
      instrument: { id: instrumentId, name: '黄芪 药材 生 统货' },
      from: '2026-03-02',
      to: '2026-03-02',
      timeZone: 'Asia/Shanghai',
      days: [{ day: '2026-03-02', openFenPerKg: 6100, highFenPerKg: 6100, lowFenPerKg: 6100, closeFenPerKg: 6100, volumeG: 3000, turnoverFen: 18_300, trades: 1 }],
    });
  });

  it('signed-in only (a session or an organisation API key)', async () => {
    const res = await exportOf(`?instrument=${instrumentId}`, new Headers());
    expect(res.status).toBe(401);
    expect(await errorBody(res)).toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录。' });
    const key = await seedDemoApiKey(app, 'hospital');
    const byKey = await exportOf(`?instrument=${instrumentId}&from=2026-03-01&to=2026-03-02`, new Headers({ authorization: `Bearer ${key}` }));
    expect(byKey.status).toBe(200);
    expect(((await byKey.json()) as { days: unknown[] }).days).toHaveLength(2);
    const badKey = await exportOf(`?instrument=${instrumentId}`, new Headers({ authorization: 'Bearer not-a-key' }));
    expect(badKey.status).toBe(401);
    expect(await errorBody(badKey)).toMatchObject({ code: 'UNAUTHENTICATED', message: 'API 密钥无效或已被撤销。' });
  });

  it('bad parameters: 400 naming the parameter, in the caller’s language', async () => {
    const cases: [string, string, string][] = [
      ['?from=2026-03-01', 'instrument', '请指定交易品种'],
      [`?instrument=${instrumentId}&from=2026-3-1`, 'from', 'YYYY-MM-DD'],
      [`?instrument=${instrumentId}&from=2026-03-01&to=2026-02-30`, 'to', 'YYYY-MM-DD'],
      [`?instrument=${instrumentId}&from=2026-03-02&to=2026-03-01`, 'to', '结束日期不能早于开始日期'],
      [`?instrument=${instrumentId}&from=2024-01-01&to=2026-03-01`, 'to', '366'],
      [`?instrument=${instrumentId}&format=xlsx`, 'format', 'csv 或 json'],
      [`?instrument=${instrumentId}&from=2026-03-01&from=2026-03-02`, 'from', '出现了多次'],
    ];
    for (const [query, field, text] of cases) {
      const res = await exportOf(query, physicianHeaders);
      expect(res.status, query).toBe(400);
      const error = await errorBody(res);
      expect(error, query).toMatchObject({ code: 'VALIDATION', field });
      expect(error.message, query).toContain(text);
    }
    const english = new Headers(physicianHeaders);
    english.set('accept-language', 'en-GB,en;q=0.9');
    const res = await exportOf(`?instrument=${instrumentId}&format=xml`, english);
    expect(await errorBody(res)).toEqual({ code: 'VALIDATION', field: 'format', message: 'The export format must be csv or json.' });
    const missing = await exportOf('?instrument=ins_missing', physicianHeaders);
    expect(missing.status).toBe(404);
    expect(await errorBody(missing)).toMatchObject({ code: 'NOT_FOUND', field: 'instrument' });
  });
});
