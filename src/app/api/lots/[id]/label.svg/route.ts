import { handleLotLabel } from '@/server/api/routers/trace/label-http.ts';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleLotLabel(req, id, 'svg');
}
