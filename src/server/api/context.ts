import { and, asc, eq } from 'drizzle-orm';
import type { Auth } from '../auth/auth.ts';
import type { Db } from '../db/client.ts';
import { member, orgProfile, organization } from '../db/schema/index.ts';
import { permissionsFor, PERMISSIONS, type OrgKind, type Permission } from '../../lib/permissions.ts';

/** The organisation a request acts for, with the caller's permissions in it. */
export interface ActiveOrg {
  id: string;
  name: string;
  kind: OrgKind;
  kybStatus: string;
  role: string | null;
}

export interface RequestContext {
  db: Db;
  auth: Auth;
  headers: Headers;
  requestId: string;
  user: { id: string; email: string; name: string } | null;
  /** Set when the request authenticated with an organisation API key instead of a session. */
  apiKeyId: string | null;
  activeOrg: ActiveOrg | null;
  permissions: ReadonlySet<Permission>;
  /** A bearer key was sent but is unknown, revoked or expired: every procedure answers 401. */
  apiKeyInvalid: boolean;
}

/** API keys act for their organisation with everything but member, key and organisation admin. */
const API_KEY_EXCLUDED: readonly Permission[] = ['member:invite', 'apikey:manage', 'org:manage', 'kyb:review', 'audit:read', 'jobs:manage', 'market:operate'];

function bearerToken(headers: Headers): string | null {
  const header = headers.get('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim() || null;
  return headers.get('x-api-key');
}

async function loadOrg(db: Db, orgId: string): Promise<{ id: string; name: string; kind: OrgKind; kybStatus: string } | null> {
  const [row] = await db
    .select({ id: organization.id, name: organization.name, kind: orgProfile.kind, kybStatus: orgProfile.kybStatus })
    .from(organization)
    .innerJoin(orgProfile, eq(orgProfile.orgId, organization.id))
    .where(eq(organization.id, orgId))
    .limit(1);
  return row ? { ...row, kind: row.kind as OrgKind } : null;
}

/**
 * The caller's membership with its organisation, read in one statement: in `orgId`, else (none chosen)
 * the user's first membership (oldest). `org` is null when the membership's organisation or its
 * profile is gone; the answer is null when there is no such membership.
 */
async function findMembership(db: Db, userId: string, orgId: string | null): Promise<{ role: string; org: Omit<ActiveOrg, 'role'> | null } | null> {
  const [row] = await db
    .select({ role: member.role, id: organization.id, name: organization.name, kind: orgProfile.kind, kybStatus: orgProfile.kybStatus })
    .from(member)
    .leftJoin(organization, eq(organization.id, member.organizationId))
    .leftJoin(orgProfile, eq(orgProfile.orgId, organization.id))
    .where(orgId === null ? eq(member.userId, userId) : and(eq(member.organizationId, orgId), eq(member.userId, userId)))
    .orderBy(asc(member.createdAt), asc(member.id))
    .limit(1);
  if (!row) return null;
  const { role, id, name, kind, kybStatus } = row;
  return { role, org: id !== null && name !== null && kind !== null && kybStatus !== null ? { id, name, kind: kind as OrgKind, kybStatus } : null };
}

export async function createRequestContext(opts: { db: Db; auth: Auth; headers: Headers; requestId?: string }): Promise<RequestContext> {
  const { db, auth, headers } = opts;
  const base = { db, auth, headers, requestId: opts.requestId ?? crypto.randomUUID(), apiKeyInvalid: false };
  const anonymous = { ...base, user: null, apiKeyId: null, activeOrg: null, permissions: new Set<Permission>() };
  const token = bearerToken(headers);
  if (token) {
    const result = await auth.api.verifyApiKey({ body: { key: token } });
    const org = result.valid && result.key ? await loadOrg(db, result.key.referenceId) : null;
    if (!org || !result.key) return { ...anonymous, apiKeyInvalid: true };
    const perms = new Set(PERMISSIONS.filter((p) => permissionsFor('owner', org.kind).has(p) && !API_KEY_EXCLUDED.includes(p)));
    return { ...base, user: null, apiKeyId: result.key.id, activeOrg: { ...org, role: null }, permissions: perms };
  }

  const session = await auth.api.getSession({ headers });
  if (!session) return anonymous;
  const user = { id: session.user.id, email: session.user.email, name: session.user.name };
  // The organisation chosen in the switcher; right after sign-in none is chosen yet, so the user's
  // first membership (oldest) is active until they switch.
  const chosen = (session.session as { activeOrganizationId?: string | null }).activeOrganizationId ?? null;
  const membership = await findMembership(db, user.id, chosen);
  const org = membership?.org;
  if (!membership || !org) return { ...base, user, apiKeyId: null, activeOrg: null, permissions: new Set() };
  return {
    ...base,
    user,
    apiKeyId: null,
    activeOrg: { ...org, role: membership.role },
    permissions: permissionsFor(membership.role, org.kind),
  };
}
