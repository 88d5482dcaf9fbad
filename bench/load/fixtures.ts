import { and, eq } from 'drizzle-orm';
import { createRequestContext } from '../../src/server/api/context.ts';
import { createCaller } from '../../src/server/api/root.ts';
import { createAuth, type Auth } from '../../src/server/auth/auth.ts';
import { member, orgProfile, user } from '../../src/server/db/schema/index.ts';
import type { Db } from '../../src/server/db/client.ts';
import { DEMO_PASSWORD } from '../../src/server/db/seed/demo-world.data.ts';
import { searchListings, type ListingSearch } from '../../src/server/domains/catalog/listing-search.service.ts';
import { decideKyb } from '../../src/server/domains/orgs/orgs.service.ts';
import { env } from '../../src/server/env.ts';
import { appJobs } from '../../src/server/jobs/registry.ts';
import { createJobRunner } from '../../src/server/jobs/runner.ts';
import { listingInput, lotInput, productInput } from '../../src/server/testing/catalog-inputs.ts';
import { randomUscc } from '../../src/server/testing/test-orgs.ts';
import type { OpenDatabase } from './database.ts';
import { cookieHeaderAfter } from './load.core.ts';

/** Who the load comes from and what it buys, prepared in the seeded database before the server starts. */
export interface LoadFixtures {
  /** Session cookies of buyers, one approved pharmacy each (a cart is per organisation). */
  buyers: string[];
  /** Session cookies of the demo hospitals' physicians. */
  physicians: string[];
  /** Listings with deep lots (50 t each) that every order buys its minimum quantity of. */
  listings: { id: string; grams: number }[];
}

const LOT_G = 50_000_000;
const ORDER_LISTINGS = 8;
const BUYER_PASSWORD = 'load-bench-2026';
const DEMO_PHYSICIANS = ['doctor@bencao.demo', 'doctor02@bencao.demo', 'doctor03@bencao.demo', 'doctor04@bencao.demo'];

/** The cookies a sign-in answer sets, as the Cookie header a browser would send next. */
const cookieOf = (headers: Headers): string => cookieHeaderAfter('', headers.getSetCookie());

async function signIn(auth: Auth, email: string, password: string): Promise<string> {
  const { headers } = await auth.api.signInEmail({ body: { email, password }, returnHeaders: true });
  return cookieOf(headers);
}

async function callerFor(db: Db, auth: Auth, cookie: string) {
  return createCaller(await createRequestContext({ db, auth, headers: new Headers({ cookie }) }));
}

/** The demo platform operator (who approves the buyers' KYB). */
async function demoOperator(db: Db): Promise<{ userId: string; orgId: string }> {
  const [row] = await db
    .select({ userId: member.userId, orgId: member.organizationId })
    .from(member)
    .innerJoin(orgProfile, eq(orgProfile.orgId, member.organizationId))
    .innerJoin(user, eq(user.id, member.userId))
    .where(and(eq(orgProfile.kind, 'operator'), eq(user.email, 'ops@bencao.demo')))
    .limit(1);
  if (!row) throw new Error('the demo operator is missing: was the database seeded?');
  return row;
}

/** A new pharmacy through the real procedures (sign-up, create, KYB approval, licence); answers its owner's session cookie. */
async function createBuyer(db: Db, auth: Auth, operator: { userId: string; orgId: string }, n: number): Promise<string> {
  const email = `load-buyer-${n}-${Date.now().toString(36)}@example.cn`;
  const { headers } = await auth.api.signUpEmail({ body: { email, password: BUYER_PASSWORD, name: `压测采购${n}` }, returnHeaders: true });
  const cookie = cookieOf(headers);
  const { id } = await (await callerFor(db, auth, cookie)).orgs.create({
    name: `压测药房${n}`,
    kind: 'pharmacy',
    uscc: randomUscc(),
    regionCode: '330106',
    address: '西湖区文三路 259 号',
    lat: 30.2775,
    lng: 120.1303,
  });
  await decideKyb(db, operator, { orgId: id, decision: 'approved' });
  await (await callerFor(db, auth, cookie)).orgs.addLicence({ type: 'drug_distribution', number: `LOAD-${n}`, scope: '中药饮片', validFrom: '2024-01-01', expiresOn: '2035-01-01' });
  return cookie;
}

/** Listings of the demo supplier on deep lots, so a run never sells out. */
async function createDeepListings(db: Db, auth: Auth): Promise<LoadFixtures['listings']> {
  const api = await callerFor(db, auth, await signIn(auth, 'supplier@bencao.demo', DEMO_PASSWORD));
  const product = await api.catalog.createProduct(productInput);
  const out: LoadFixtures['listings'] = [];
  for (let i = 0; i < ORDER_LISTINGS; i += 1) {
    const created = await api.catalog.createLot({ ...lotInput(`LOAD-${Date.now().toString(36)}-${i}`, LOT_G), productId: product.id });
    const input = listingInput(created.id);
    const l = await api.catalog.createListing(input);
    await api.catalog.setListingStatus({ id: l.id, status: 'active' });
    out.push({ id: l.id, grams: input.minOrderG });
  }
  return out;
}

export async function prepareFixtures(open: OpenDatabase, buyers: number): Promise<LoadFixtures> {
  const { db } = open;
  const auth = createAuth(db);
  const operator = await demoOperator(db);
  const fixtures: LoadFixtures = { buyers: [], physicians: [], listings: await createDeepListings(db, auth) };
  for (let n = 0; n < buyers; n += 1) fixtures.buyers.push(await createBuyer(db, auth, operator, n));
  for (const email of DEMO_PHYSICIANS) fixtures.physicians.push(await signIn(auth, email, DEMO_PASSWORD));
  // Deliver what is due (search indexing of the new listings, the seed's jobs), so the server starts
  // with a quiet outbox and every path searches the same documents.
  await createJobRunner({ db, registry: appJobs }).drainOnce?.();
  return fixtures;
}

/** The statements one market search sends, in order, with their parameters. */
export type SearchStatements = { text: string; params: unknown[] }[];

/** Runs each search once through the service and records the SQL it sends (the raw-SQL path replays it). */
export async function recordSearchStatements(open: OpenDatabase, searches: readonly ListingSearch[]): Promise<SearchStatements[]> {
  const out: SearchStatements[] = [];
  for (const search of searches) {
    const record: SearchStatements = [];
    open.recording.record = record;
    try {
      await searchListings(open.db, env(), search);
    } finally {
      open.recording.record = null;
    }
    out.push(record);
  }
  return out;
}
