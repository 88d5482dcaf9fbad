import { eq, sql } from 'drizzle-orm';
import type { Auth } from '../auth/auth.ts';
import { lookUpSession } from '../auth/session-lookup.ts';
import { sqlRows, type Db } from '../db/client.ts';
import { addResponseCookies } from '../observability/request-scope.ts';
import { member, orgProfile, organization, session } from '../db/schema/index.ts';
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
 * The session's row and the caller's membership, read in one statement: the membership in the
 * organisation chosen in the switcher (the session's `active_organization_id`), else — none chosen —
 * the user's first membership (oldest). Null when the session is gone or expired (signed out, revoked);
 * `membership` is null when there is no such membership, its `org` null when the membership's
 * organisation or its profile is gone.
 */
async function findSessionMembership(db: Db, sessionId: string, userId: string): Promise<{ membership: { role: string; org: Omit<ActiveOrg, 'role'> | null } | null } | null> {
  const rows = await sqlRows<{ role: string | null; id: string | null; name: string | null; kind: string | null; kyb_status: string | null }>(
    db,
    sql`select m.role, o.id, o.name, p.kind, p.kyb_status
        from ${session} s
        left join lateral (
          select mm.role, mm.organization_id from ${member} mm
          where mm.user_id = s.user_id and (s.active_organization_id is null or mm.organization_id = s.active_organization_id)
          order by mm.created_at, mm.id limit 1
        ) m on true
        left join ${organization} o on o.id = m.organization_id
        left join ${orgProfile} p on p.org_id = o.id
        where s.id = ${sessionId} and s.user_id = ${userId} and s.expires_at > now()`,
  );
  const row = rows[0];
  if (!row) return null;
  const { role, id, name, kind, kyb_status: kybStatus } = row;
  if (role === null) return { membership: null };
  return { membership: { role, org: id !== null && name !== null && kind !== null && kybStatus !== null ? { id, name, kind: kind as OrgKind, kybStatus } : null } };
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

  const { caller, responseCookies } = await lookUpSession(auth, headers);
  // A refreshed session cookie cache goes back with the request's answer (`withRequestId`).
  addResponseCookies(responseCookies);
  if (!caller) return anonymous;
  const { user } = caller;
  // Right after sign-in no organisation is chosen yet: the user's first membership is active until they switch.
  const live = await findSessionMembership(db, caller.sessionId, user.id);
  if (!live) return anonymous;
  const { membership } = live;
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
