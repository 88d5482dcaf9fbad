import type { OrgKind } from '../../lib/permissions.ts';
import type { TestApp } from './test-app.ts';
import { createTestOrg } from './test-orgs.ts';

/** Creates an approved organisation of `kind` with an owner and answers a fresh API key for it. */
export async function seedDemoApiKey(app: TestApp, kind: Exclude<OrgKind, 'operator'>): Promise<string> {
  const org = await createTestOrg(app, kind, { tag: 'key', licence: false });
  const created = await app.auth.api.createApiKey({ body: { name: 'test', organizationId: org.id, userId: org.ownerUserId } });
  return created.key;
}
