import 'server-only';
import { headers } from 'next/headers';
import { createRequestContext } from './context.ts';
import { createCaller } from './root.ts';
import { services } from '../services.ts';
import { listMembershipsOfUser } from '../domains/orgs/orgs.repo.ts';

/** The tRPC API called in-process from server components, as the signed-in user of this request. */
export async function serverContext() {
  const { handle, auth } = await services();
  return createRequestContext({ db: handle.db, auth, headers: new Headers(await headers()) });
}

export async function serverApi() {
  return createCaller(await serverContext());
}

/** Who is looking: user, active organisation, permissions and memberships (for the shell). */
export async function viewer() {
  const ctx = await serverContext();
  const memberships = ctx.user ? await listMembershipsOfUser(ctx.db, ctx.user.id) : [];
  return { user: ctx.user, activeOrg: ctx.activeOrg, permissions: [...ctx.permissions], memberships };
}
export type Viewer = Awaited<ReturnType<typeof viewer>>;
