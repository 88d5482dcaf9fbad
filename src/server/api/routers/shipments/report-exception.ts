import { reportExceptionInput } from '../../../domains/delivery/shipments.schemas.ts';
import { reportException as reportExceptionService } from '../../../domains/delivery/shipments.service.ts';
import { appCarriers } from '../../../integrations/carriers/carriers.ts';
import { orgProcedure } from '../../trpc.ts';

/** Sender or receiver reports damage, a refusal (receiver) or an address problem while the parcel is on its way. */
export const reportException = orgProcedure('shipment:read')
  .input(reportExceptionInput)
  .mutation(({ ctx, input }) => reportExceptionService(ctx.db, appCarriers(), { userId: ctx.user?.id ?? null, orgId: ctx.activeOrg.id }, input));
