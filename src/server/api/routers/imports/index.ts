import { createTRPCRouter } from '../../trpc.ts';
import { get } from './get.ts';
import { list } from './list.ts';

export const importsRouter = createTRPCRouter({ list, get });
