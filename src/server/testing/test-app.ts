import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import { eq } from 'drizzle-orm';
import { createAuth, type Auth } from '../auth/auth.ts';
import { createRequestContext } from '../api/context.ts';
import { appRouter, createCaller } from '../api/root.ts';
import type { DbHandle } from '../db/client.ts';
import { member, orgProfile, organization } from '../db/schema/index.ts';
import { newId } from '../../lib/ids.ts';
import { usccCheckChar } from '../domains/orgs/identity.core.ts';
import { createTestDb, openTestDataDir } from './test-db.ts';

let operatorCount = 0;
function operatorUscc(): string {
  operatorCount += 1;
  const stem = `91330100MB${String(operatorCount).padStart(7, '0')}`;
  return stem + usccCheckChar(stem);
}

/** A test harness over a fresh database: real better-auth, real tRPC procedures, no HTTP server. */
export interface TestApp {
  handle: DbHandle;
  auth: Auth;
  /** Signs a new user up; answers request headers carrying the session cookie. */
  signUp(email: string, name?: string): Promise<{ headers: Headers; userId: string }>;
  /** A tRPC caller with these request headers; `signal` ends its subscriptions (as a closed connection would). */
  caller(headers: Headers, options?: { signal?: AbortSignal }): Promise<ReturnType<typeof createCaller>>;
  /** Creates the platform operator organisation with `userId` as its operator admin. */
  makeOperator(userId: string): Promise<string>;
  close(): Promise<void>;
}

/** Over a fresh database, or with `dataDir` the embedded database there (opened, migrated, kept). */
export async function createTestApp(options: { dataDir?: string } = {}): Promise<TestApp> {
  const handle = options.dataDir ? await openTestDataDir(options.dataDir) : await createTestDb();
  const auth = createAuth(handle.db, { baseURL: 'http://localhost:3000' });
  let ip = 1;
  return {
    handle,
    auth,
    async signUp(email, name = email.split('@')[0]!) {
      const res = await auth.api.signUpEmail({ body: { email, password: 'correct-horse-42', name }, returnHeaders: true });
      const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      ip += 1;
      return { headers: new Headers({ cookie: cookies, 'x-forwarded-for': `10.0.0.${ip}` }), userId: res.response.user.id };
    },
    async caller(headers, options = {}) {
      return createCaller(await createRequestContext({ db: handle.db, auth, headers }), options);
    },
    async makeOperator(userId) {
      const id = newId('organization');
      await handle.db.insert(organization).values({ id, name: '本草平台运营', slug: id });
      await handle.db.insert(orgProfile).values({ orgId: id, kind: 'operator', uscc: operatorUscc(), regionCode: '330100', address: '杭州', lat: 30.27, lng: 120.15, kybStatus: 'approved' });
      await handle.db.insert(member).values({ id: newId('member'), organizationId: id, userId, role: 'operator_admin' });
      return id;
    },
    close: () => handle.close(),
  };
}

export async function orgKybStatus(app: TestApp, orgId: string): Promise<string | undefined> {
  const [row] = await app.handle.db.select({ s: orgProfile.kybStatus }).from(orgProfile).where(eq(orgProfile.orgId, orgId));
  return row?.s;
}

/**
 * Calls `fn` and answers the error shape a client would receive (translated message, field), as the
 * HTTP transports format it. Fails when `fn` does not throw.
 */
export async function errorOf(fn: () => Promise<unknown>, headers: Headers = new Headers()) {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const shape = getErrorShape({ config: appRouter._def._config, error, type: 'unknown', path: undefined, input: undefined, ctx: { headers } as never });
    return shape as { message: string; code: number; data: { code: string; field: string | null; appCode: string | null; httpStatus: number } };
  }
  throw new Error('expected an error');
}
