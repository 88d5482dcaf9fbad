import { services } from '@/server/services.ts';

async function handle(request: Request): Promise<Response> {
  const { auth } = await services();
  return auth.handler(request);
}

export const GET = handle;
export const POST = handle;
