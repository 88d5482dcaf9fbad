import { createTRPCRouter } from '../../trpc.ts';
import { get } from './get.ts';
import { search } from './search.ts';

export const herbsRouter = createTRPCRouter({
  search,
  get,
});
