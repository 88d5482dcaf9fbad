import { localeFromHeaders } from '@/lib/locale.ts';
import { benchOrgRoute } from '@/server/api/bench-routes.ts';
import { idempotencyHeader } from '@/server/api/routers/prescriptions/create.ts';
import { createPrescriptionInput } from '@/server/domains/prescriptions/prescriptions.schemas.ts';
import { createPrescription } from '@/server/domains/prescriptions/prescriptions.service.ts';

export const dynamic = 'force-dynamic';

/** `prescriptions.create` without tRPC, for the load benchmark only (404 unless BENCAO_BENCH_ROUTES=1). */
export const POST = benchOrgRoute({ permission: 'rx:sign', input: createPrescriptionInput, from: 'body' }, async (ctx, input) => {
  const result = await createPrescription(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input, {
    idempotencyKey: idempotencyHeader(ctx.headers),
    locale: localeFromHeaders(ctx.headers),
    source: ctx.user ? 'ui' : 'api',
    requireDeliveryAddress: Boolean(ctx.user),
  });
  return { id: result.id, status: result.status, flags: result.flags };
});
