import { handleImportErrors } from '@/server/api/routers/imports/imports-http.ts';
import { withRequestId } from '@/server/observability/request-scope.ts';

export const GET = withRequestId(async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return handleImportErrors(req, id);
});
