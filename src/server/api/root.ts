import { createCallerFactory, createTRPCRouter } from './trpc.ts';
import { operatorRouter } from './routers/operator/index.ts';
import { orgsRouter } from './routers/orgs/index.ts';
import { prescriptionsRouter } from './routers/prescriptions/index.ts';
import { herbsRouter } from './routers/herbs/index.ts';
import { catalogRouter } from './routers/catalog/index.ts';
import { ordersRouter } from './routers/orders/index.ts';
import { traceRouter } from './routers/trace/index.ts';
import { importsRouter } from './routers/imports/index.ts';
import { tendersRouter } from './routers/tenders/index.ts';
import { shipmentsRouter } from './routers/shipments/index.ts';
import { marketRouter } from './routers/market/index.ts';
import { dashboardRouter } from './routers/dashboard/index.ts';

export const appRouter = createTRPCRouter({
  orgs: orgsRouter,
  operator: operatorRouter,
  prescriptions: prescriptionsRouter,
  herbs: herbsRouter,
  catalog: catalogRouter,
  orders: ordersRouter,
  trace: traceRouter,
  imports: importsRouter,
  tenders: tendersRouter,
  shipments: shipmentsRouter,
  market: marketRouter,
  dashboard: dashboardRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
