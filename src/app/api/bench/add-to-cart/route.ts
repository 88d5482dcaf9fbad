import { benchOrgRoute } from '@/server/api/bench-routes.ts';
import { addToCartInput } from '@/server/domains/orders/orders.schemas.ts';
import { addToCart } from '@/server/domains/orders/orders.service.ts';

export const dynamic = 'force-dynamic';

/** `orders.addToCart` without tRPC, for the load benchmark only (404 unless BENCAO_BENCH_ROUTES=1). */
export const POST = benchOrgRoute({ permission: 'order:create', input: addToCartInput, from: 'body' }, (ctx, input) =>
  addToCart(ctx.db, { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input),
);
