import { and, eq } from 'drizzle-orm';
import { herbIdFor } from '../../domains/catalog/herbs.seed.ts';
import type { InstrumentSpec } from '../../domains/market/market.core.ts';
import { createInstrument } from '../../domains/market/market.service.ts';
import type { Db } from '../client.ts';
import { instrument, member, user } from '../schema/index.ts';
import { orgIdOf } from './seed-credit.ts';

/**
 * Demo spot market: the platform operator opens two instruments — 黄芪 药材 统货 (the demo grower
 * holds a lot of it) and 当归 药材 选货 — through the same service the operator page uses. No orders are
 * placed. Runs once per instrument (one that exists is left alone).
 */
const INSTRUMENTS: readonly { herb: string; spec: InstrumentSpec }[] = [
  { herb: '黄芪', spec: { form: 'raw', cut: 'none', processing: 'raw', grade: 'ungraded' } },
  { herb: '当归', spec: { form: 'raw', cut: 'none', processing: 'raw', grade: 'selected' } },
];

export async function seedDemoMarket(db: Db): Promise<{ instruments: number }> {
  const operatorOrgId = await orgIdOf(db, 'operator');
  if (!operatorOrgId) return { instruments: 0 };
  const [ops] = await db.select({ id: user.id }).from(member).innerJoin(user, eq(user.id, member.userId)).where(and(eq(member.organizationId, operatorOrgId), eq(user.email, 'ops@bencao.demo')));
  const actor = { userId: ops?.id ?? null, orgId: operatorOrgId };
  let made = 0;
  for (const { herb, spec } of INSTRUMENTS) {
    const herbId = herbIdFor(herb);
    const [existing] = await db
      .select({ id: instrument.id })
      .from(instrument)
      .where(and(eq(instrument.herbId, herbId), eq(instrument.form, spec.form), eq(instrument.cut, spec.cut), eq(instrument.processing, spec.processing), eq(instrument.grade, spec.grade)));
    if (existing) continue;
    await createInstrument(db, actor, { herbId, ...spec });
    made += 1;
  }
  return { instruments: made };
}
