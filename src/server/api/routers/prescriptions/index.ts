import { createTRPCRouter } from '../../trpc.ts';
import { screen } from './screen.ts';

export const prescriptionsRouter = createTRPCRouter({ screen });
