import { createCallerFactory, createTRPCRouter } from './trpc.ts';
import { operatorRouter } from './routers/operator/index.ts';
import { orgsRouter } from './routers/orgs/index.ts';
import { prescriptionsRouter } from './routers/prescriptions/index.ts';
import { herbsRouter } from './routers/herbs/index.ts';

export const appRouter = createTRPCRouter({
  orgs: orgsRouter,
  operator: operatorRouter,
  prescriptions: prescriptionsRouter,
  herbs: herbsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
