import { openApiDocument } from '@/server/api/rest.ts';

export function GET() {
  return Response.json(openApiDocument());
}
