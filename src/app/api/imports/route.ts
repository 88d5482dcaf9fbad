import { handleCreateImport } from '@/server/api/routers/imports/imports-http.ts';

export async function POST(req: Request) {
  return handleCreateImport(req);
}
