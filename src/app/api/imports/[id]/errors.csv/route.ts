import { handleImportErrors } from '@/server/api/routers/imports/imports-http.ts';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleImportErrors(req, id);
}
