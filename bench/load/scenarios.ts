import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import autocannon from 'autocannon';
import type { ListingSearch } from '../../src/server/domains/catalog/listing-search.service.ts';
import type { LoadFixtures } from './fixtures.ts';
import { cookieHeaderAfter, setCookiesOf, type LoadKind, type LoadPath } from './load.core.ts';

/** One request of a connection's sequence; `next()` gives each send its path and body (the next query, a fresh idempotency key). */
export interface LoadRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  next(): { path: string; body?: string };
}

export interface LoadScenario {
  kind: LoadKind;
  path: LoadPath;
  /** Requests that make one operation (an order: add to cart, check out). */
  requestsPerOp: number;
  /** The request sequence connection `n` repeats. */
  sequence(n: number): LoadRequest[];
}

/**
 * What buyers type in the catalogue (names, pinyin, initials, one character, an empty browse), asked
 * as the catalogue page asks: relevance, the first 100.
 */
export const CATALOGUE_SEARCHES: ListingSearch[] = ['黄芪', 'hq', 'huangqi', '当归', 'danggui', '三七', 'sanqi', '参', 'gouqi', '白芍', 'chuanxiong', ''].map((q) => ({
  q: q || undefined,
  sort: 'relevance',
  limit: 100,
  offset: 0,
}));

/** A 四物汤 with 黄芪 for a week, decocted and delivered, as a physician signs it in the form. */
const PRESCRIPTION = {
  patient: { name: '张三', sex: 'F', ageYears: 34, pregnant: false },
  items: [
    { herb: '黄芪', grams: 30 },
    { herb: '当归', grams: 10 },
    { herb: '白芍', grams: 12 },
    { herb: '川芎', grams: 8 },
    { herb: '熟地黄', grams: 15 },
    { herb: '甘草', grams: 6 },
  ],
  doses: 7,
  usage: '水煎服，每日一剂，早晚分服',
  decoction: true,
  decoctionBags: 14,
  decoctionMl: 200,
  fulfilment: 'delivery',
  location: { lat: 30.2594, lng: 120.1697 },
  deliveryAddress: { address: '杭州市上城区邮电路 54 号', phone: '13800000000' },
};

const JSON_HEADERS = { 'content-type': 'application/json' };
const idempotencyKey = () => `load-${randomUUID()}`;

function searchQuery(search: ListingSearch): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) if (value !== undefined) params.set(key, String(value));
  return params.toString();
}

/** Connection n asks the searches in turn, starting at its own, so the connections do not move in step. */
function searchScenario(path: LoadPath, pathOf: (i: number) => string, cookie?: (n: number) => string): LoadScenario {
  return {
    kind: 'search',
    path,
    requestsPerOp: 1,
    sequence(n) {
      let turn = n;
      const headers: Record<string, string> = cookie ? { cookie: cookie(n) } : {};
      return [{ method: 'GET', headers, next: () => ({ path: pathOf(turn++ % CATALOGUE_SEARCHES.length) }) }];
    },
  };
}

export function loadScenarios(fixtures: LoadFixtures): { raw: LoadScenario; app: LoadScenario[] } {
  const buyer = (n: number) => fixtures.buyers[n % fixtures.buyers.length]!;
  const physician = (n: number) => fixtures.physicians[n % fixtures.physicians.length]!;
  const order = (path: LoadPath, addToCart: string, checkout: string): LoadScenario => ({
    kind: 'order placement',
    path,
    requestsPerOp: 2,
    sequence(n) {
      const headers = { ...JSON_HEADERS, cookie: buyer(n) };
      const { id, grams } = fixtures.listings[n % fixtures.listings.length]!;
      const item = JSON.stringify({ listingId: id, grams });
      return [
        { method: 'POST', headers, next: () => ({ path: addToCart, body: item }) },
        { method: 'POST', headers, next: () => ({ path: checkout, body: JSON.stringify({ idempotencyKey: idempotencyKey() }) }) },
      ];
    },
  });
  const prescription = (path: LoadPath, endpoint: string): LoadScenario => ({
    kind: 'prescription submission',
    path,
    requestsPerOp: 1,
    sequence(n) {
      const headers = { ...JSON_HEADERS, cookie: physician(n) };
      return [{ method: 'POST', headers, next: () => ({ path: endpoint, body: JSON.stringify({ ...PRESCRIPTION, idempotencyKey: idempotencyKey() }) }) }];
    },
  });
  return {
    raw: searchScenario('raw SQL', (i) => `/search?i=${i}`),
    app: [
      { kind: 'search', path: 'Next floor', requestsPerOp: 1, sequence: () => [{ method: 'GET', headers: {}, next: () => ({ path: '/api/bench/floor' }) }] },
      searchScenario('tRPC', (i) => `/api/trpc/catalog.search?input=${encodeURIComponent(JSON.stringify(CATALOGUE_SEARCHES[i]))}`, buyer),
      searchScenario('bare route', (i) => `/api/bench/catalog-search?${searchQuery(CATALOGUE_SEARCHES[i]!)}`, buyer),
      order('tRPC', '/api/trpc/orders.addToCart', '/api/trpc/orders.checkout'),
      order('bare route', '/api/bench/add-to-cart', '/api/bench/checkout'),
      prescription('tRPC', '/api/trpc/prescriptions.create'),
      prescription('bare route', '/api/bench/prescriptions'),
    ],
  };
}

/** Sends one operation with fetch and throws with the answer when a request is not 2xx (a broken setup, not load). */
export async function preflight(origin: string, scenario: LoadScenario): Promise<void> {
  for (const request of scenario.sequence(0)) {
    const { path, body } = request.next();
    const res = await fetch(`${origin}${path}`, { method: request.method, headers: request.headers, body });
    if (!res.ok) {
      const hint = res.status === 404 && path.startsWith('/api/bench/') ? ' (a build from before the bench routes? remove .next and run again)' : '';
      throw new Error(`${scenario.kind} over ${scenario.path}: ${request.method} ${path} answered ${res.status}${hint}: ${(await res.text()).slice(0, 500)}`);
    }
  }
}

/**
 * Runs the scenario for `seconds` on `connections` connections, each repeating its own sequence. Each
 * connection keeps its cookies as a browser would: a Set-Cookie in an answer (the session's cookie
 * cache refreshed when it runs out) goes with its next requests.
 */
export function cannon(origin: string, scenario: LoadScenario, connections: number, seconds: number): Promise<autocannon.Result> {
  let connection = 0;
  return autocannon({
    url: origin,
    connections,
    duration: seconds,
    setupClient(client) {
      const sequence = scenario.sequence(connection++);
      let cookie = sequence.find((r) => r.headers.cookie)?.headers.cookie;
      client.setRequests(
        sequence.map((r) => ({
          method: r.method,
          headers: r.headers,
          setupRequest: (req: autocannon.Request) => ({ ...req, ...(cookie === undefined ? {} : { headers: { ...req.headers, cookie } }), ...r.next() }),
          onResponse: (_status: number, _body: string, _context: object, headers: IncomingHttpHeaders | undefined) => {
            const set = setCookiesOf(headers ?? {});
            if (cookie !== undefined && set.length > 0) cookie = cookieHeaderAfter(cookie, set);
          },
        })),
      );
    },
  });
}
