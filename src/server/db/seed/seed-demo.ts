import { defaultKeyHasher } from '@better-auth/api-key';
import { count, eq } from 'drizzle-orm';
import { newId } from '../../../lib/ids.ts';
import type { Auth } from '../../auth/auth.ts';
import type { Db } from '../client.ts';
import { apikey, member, orgProfile, organization, user } from '../schema/index.ts';
import { appendAudit } from '../../domains/audit/audit.service.ts';
import { usccCheckChar } from '../../domains/orgs/identity.core.ts';
import { createOrgInput } from '../../domains/orgs/orgs.schemas.ts';
import { addLicence, createOrganisation, decideKyb } from '../../domains/orgs/orgs.service.ts';
import { DEMO_API_KEYS, DEMO_ORGS, DEMO_PASSWORD, type DemoOrg } from './demo-world.data.ts';
import { seedDemoTenders } from './seed-tenders.ts';
import { seedDemoPrescriptions } from './seed-prescriptions.ts';

export interface SeedReport {
  skipped: boolean;
  orgs: number;
  users: number;
  logins: { email: string; role: string; org: string }[];
}

async function ensureUser(db: Db, auth: Auth, email: string, name: string): Promise<string> {
  const existing = await db.query.user.findFirst({ where: eq(user.email, email) });
  if (existing) return existing.id;
  const res = await auth.api.signUpEmail({ body: { email, password: DEMO_PASSWORD, name } });
  return res.user.id;
}

/** The operator organisation is created directly: nobody can approve the first approver. */
async function createOperatorOrg(db: Db, org: DemoOrg, userId: string, uscc: string): Promise<string> {
  const id = newId('organization');
  await db.transaction(async (tx) => {
    await tx.insert(organization).values({ id, name: org.name, slug: id });
    await tx.insert(orgProfile).values({ orgId: id, kind: 'operator', uscc, regionCode: org.regionCode, address: org.address, lat: org.lat, lng: org.lng, kybStatus: 'approved' });
    await tx.insert(member).values({ id: newId('member'), organizationId: id, userId, role: org.people[0]!.role });
    await appendAudit(tx, { actorUserId: userId, actorOrgId: id, orgId: id, action: 'org.created', entityType: 'organization', entityId: id, data: { kind: 'operator', seeded: true } });
  });
  return id;
}

/**
 * Seeds the demo world into an empty database through the same services the app uses (so every
 * organisation, approval and licence is audited). Does nothing when organisations already exist.
 */
export async function seedDemoWorld(db: Db, auth: Auth): Promise<SeedReport> {
  const [existing] = await db.select({ n: count() }).from(organization);
  if ((existing?.n ?? 0) > 0) return { skipped: true, orgs: 0, users: 0, logins: [] };

  const logins: SeedReport['logins'] = [];
  const orgIds = new Map<string, string>();
  let users = 0;
  const operatorDef = DEMO_ORGS.find((o) => o.kind === 'operator')!;
  const opUserId = await ensureUser(db, auth, operatorDef.people[0]!.email, operatorDef.people[0]!.name);
  users += 1;
  const operatorId = await createOperatorOrg(db, operatorDef, opUserId, operatorDef.usccStem + usccCheckChar(operatorDef.usccStem));
  orgIds.set(operatorDef.key, operatorId);
  logins.push({ email: operatorDef.people[0]!.email, role: 'operator_admin', org: operatorDef.name });

  for (const def of DEMO_ORGS) {
    if (def.kind === 'operator') continue;
    const [first, ...rest] = def.people;
    const ownerId = await ensureUser(db, auth, first!.email, first!.name);
    users += 1;
    const input = createOrgInput.parse({
      name: def.name,
      kind: def.kind,
      uscc: def.usccStem + usccCheckChar(def.usccStem),
      regionCode: def.regionCode,
      address: def.address,
      lat: def.lat,
      lng: def.lng,
    });
    const { id } = await createOrganisation(db, { userId: ownerId }, input);
    orgIds.set(def.key, id);
    if (def.licence) {
      await addLicence(db, { userId: ownerId, orgId: id }, { ...def.licence, validFrom: '2024-01-01' });
    }
    if (def.kyb === 'approved') await decideKyb(db, { userId: opUserId, orgId: operatorId }, { orgId: id, decision: 'approved', note: '演示数据：资料齐全' });
    for (const person of rest) {
      const uid = await ensureUser(db, auth, person.email, person.name);
      users += 1;
      await db.insert(member).values({ id: newId('member'), organizationId: id, userId: uid, role: person.role });
    }
    for (const person of def.people) if (!/\d@/.test(person.email)) logins.push({ email: person.email, role: person.role, org: def.name });
  }

  for (const demoKey of DEMO_API_KEYS) {
    const orgId = orgIds.get(demoKey.orgKey)!;
    const id = newId('apikey');
    await db.insert(apikey).values({
      id,
      configId: 'default',
      name: demoKey.name,
      start: demoKey.key.slice(0, 6),
      prefix: null,
      key: await defaultKeyHasher(demoKey.key),
      referenceId: orgId,
      enabled: true,
      rateLimitEnabled: true,
      rateLimitTimeWindow: 60_000,
      rateLimitMax: 600,
      requestCount: 0,
      metadata: JSON.stringify({ demo: true }),
    });
    await db.transaction((tx) => appendAudit(tx, { actorOrgId: orgId, orgId, action: 'apikey.created', entityType: 'apikey', entityId: id, data: { name: demoKey.name, demo: true } }));
  }
  await seedDemoTenders(db, orgIds);
  await seedDemoPrescriptions(db, auth, orgIds);
  return { skipped: false, orgs: orgIds.size, users, logins };
}
