import { handleRestV1 } from '@/server/api/rest.ts';
import { withRequestId } from '@/server/observability/request-scope.ts';

const handle = withRequestId(handleRestV1);

export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
