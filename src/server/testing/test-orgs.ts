import { randomBytes } from 'node:crypto';
import { usccCheckChar } from '../domains/orgs/identity.core.ts';
import { decideKyb } from '../domains/orgs/orgs.service.ts';
import type { TestApp } from './test-app.ts';

let counter = 0;

/** A fresh, valid USCC in 西湖区 (random body, computed check character). */
export function randomUscc(): string {
  const stem = `91330106MA${randomBytes(4).toString('hex').toUpperCase().replace(/[IOSVZ]/g, 'A').slice(0, 7)}`;
  return stem + usccCheckChar(stem);
}

export type TestOrgKind = 'supplier' | 'pharmacy' | 'grower' | 'hospital' | 'alliance';

/**
 * Creates an organisation of `kind` owned by a new user, through the real procedures: approved by a
 * new operator unless `approve: false`, with its required licence unless `licence: false` (growers
 * and alliances need none). Answers the org id, the owner's caller and headers.
 */
export async function createTestOrg(app: TestApp, kind: TestOrgKind, options: { approve?: boolean; licence?: boolean; tag?: string } = {}) {
  counter += 1;
  const tag = `${options.tag ?? 'org'}-${counter}-${randomBytes(3).toString('hex')}`;
  const owner = await app.signUp(`${tag}@example.cn`);
  const { id } = await (await app.caller(owner.headers)).orgs.create({
    name: `测试${kind} ${tag}`,
    kind,
    uscc: randomUscc(),
    regionCode: '330106',
    address: '杭州',
    lat: 30.27,
    lng: 120.15,
  });
  if (options.approve !== false) {
    const op = await app.signUp(`${tag}-op@example.cn`);
    const opOrg = await app.makeOperator(op.userId);
    await decideKyb(app.handle.db, { userId: op.userId, orgId: opOrg }, { orgId: id, decision: 'approved' });
  }
  const api = await app.caller(owner.headers);
  const licenceType = kind === 'supplier' ? 'drug_manufacturing' : kind === 'pharmacy' ? 'drug_distribution' : kind === 'hospital' ? 'medical_institution' : null;
  if (options.licence !== false && licenceType) {
    await api.orgs.addLicence({ type: licenceType, number: `LIC-${tag}`, scope: '中药饮片', validFrom: '2024-01-01', expiresOn: '2035-01-01' });
  }
  return { id, api, headers: owner.headers, ownerUserId: owner.userId };
}

export type TestOrg = Awaited<ReturnType<typeof createTestOrg>>;
