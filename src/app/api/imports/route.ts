import { handleCreateImport } from '@/server/api/routers/imports/imports-http.ts';
import { withRequestId } from '@/server/observability/request-scope.ts';

export const POST = withRequestId((req: Request) => handleCreateImport(req));
