import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { user } from '../db/schema/index.ts';
import { usccCheckChar } from '../domains/orgs/identity.core.ts';
import { createOrganisation, decideKyb } from '../domains/orgs/orgs.service.ts';
import type { OrgKind } from '../../lib/permissions.ts';
import type { TestApp } from './test-app.ts';

let counter = 0;

/** Creates an approved organisation of `kind` with an owner and answers a fresh API key for it. */
export async function seedDemoApiKey(app: TestApp, kind: Exclude<OrgKind, 'operator'>): Promise<string> {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}`;
  const owner = await app.signUp(`key-owner-${tag}@example.cn`);
  const stem = `91330106MA${randomBytes(4).toString('hex').toUpperCase().replace(/[IOSVZ]/g, 'A').slice(0, 7)}`;
  const { id } = await createOrganisation(app.handle.db, { userId: owner.userId }, { name: `测试机构 ${tag}`, kind, uscc: stem + usccCheckChar(stem), regionCode: '330106', address: '杭州', lat: 30.27, lng: 120.15 });
  const op = await app.signUp(`key-op-${tag}@example.cn`);
  const opOrg = await app.makeOperator(op.userId);
  await decideKyb(app.handle.db, { userId: op.userId, orgId: opOrg }, { orgId: id, decision: 'approved' });
  const ownerRow = await app.handle.db.query.user.findFirst({ where: eq(user.id, owner.userId) });
  const created = await app.auth.api.createApiKey({ body: { name: 'test', organizationId: id, userId: ownerRow!.id } });
  return created.key;
}
