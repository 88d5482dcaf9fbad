import { handleDownload } from '@/server/api/upload-http.ts';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return handleDownload(req, id);
}
