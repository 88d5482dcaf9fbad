import { handleRestV1 } from '@/server/api/rest.ts';

export { handleRestV1 as GET, handleRestV1 as POST, handleRestV1 as PUT, handleRestV1 as PATCH, handleRestV1 as DELETE };
