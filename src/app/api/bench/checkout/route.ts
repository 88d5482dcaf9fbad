import { benchOrgRoute } from '@/server/api/bench-routes.ts';
import { checkoutInput } from '@/server/domains/orders/orders.schemas.ts';
import { checkout } from '@/server/domains/orders/orders.service.ts';

export const dynamic = 'force-dynamic';

/** `orders.checkout` without tRPC, for the load benchmark only (404 unless BENCAO_BENCH_ROUTES=1). */
export const POST = benchOrgRoute({ permission: 'order:create', input: checkoutInput, from: 'body' }, (ctx, input) =>
  checkout(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input),
);
