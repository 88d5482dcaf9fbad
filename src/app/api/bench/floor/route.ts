import { benchRoutesEnabled } from '@/server/env.ts';

export const dynamic = 'force-dynamic';

/**
 * The floor of the load benchmark: a Next route handler that answers a fixed small JSON body with no
 * session, database or validation — what serving any request through `next start` costs on this
 * machine, the ceiling for every other path. 404 unless BENCAO_BENCH_ROUTES=1.
 */
export function GET(): Response {
  if (!benchRoutesEnabled()) return new Response(null, { status: 404 });
  return Response.json({ ok: true });
}
