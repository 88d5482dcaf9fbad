import { handleUpload } from '@/server/api/upload-http.ts';
import { withRequestId } from '@/server/observability/request-scope.ts';

export const POST = withRequestId(handleUpload);
