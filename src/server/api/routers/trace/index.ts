import { createTRPCRouter } from '../../trpc.ts';
import { attachDocument } from './attach-document.ts';
import { documents } from './documents.ts';
import { lot } from './lot.ts';

export const traceRouter = createTRPCRouter({
  lot,
  attachDocument,
  documents,
});
