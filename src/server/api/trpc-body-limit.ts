import { TRPCError } from '@trpc/server';
import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import { AppError } from '../../lib/errors.ts';
import { bufferedWithin, MAX_JSON_BODY_BYTES } from './body-limit.ts';
import { createTRPCRouter } from './trpc.ts';

/** The tRPC endpoint's body, within MAX_JSON_BODY_BYTES; a larger one is answered 413 in tRPC's error shape. */
export async function limitTrpcBody(req: Request): Promise<Request | Response> {
  try {
    return await bufferedWithin(req, MAX_JSON_BODY_BYTES);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const shape = getErrorShape({
      config: createTRPCRouter({})._def._config,
      error: new TRPCError({ code: 'PAYLOAD_TOO_LARGE', message: error.message, cause: error }),
      type: 'unknown',
      path: undefined,
      input: undefined,
      ctx: { headers: req.headers } as never,
    });
    return Response.json({ error: shape }, { status: 413 });
  }
}
