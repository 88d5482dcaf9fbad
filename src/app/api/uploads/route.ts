import { handleUpload } from '@/server/api/upload-http.ts';

export const POST = handleUpload;
