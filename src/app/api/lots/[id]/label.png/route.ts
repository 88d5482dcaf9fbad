import { handleLotLabel } from '@/server/api/routers/trace/label-http.ts';
import { withRequestId } from '@/server/observability/request-scope.ts';

export const GET = withRequestId(async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return handleLotLabel(req, id, 'png');
});
