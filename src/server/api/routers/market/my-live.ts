import { liveStream } from '../../../integrations/live/live.ts';
import { liveTopics } from '../../../integrations/live/live.port.ts';
import { orgProcedure } from '../../trpc.ts';

/**
 * The caller's organisation's market orders and trades, live (server-sent events): a message each time
 * one of its orders changes or trades. Only its traders listen, and only to their own organisation.
 */
export const myLive = orgProcedure('market:trade').subscription(({ ctx, signal }) => liveStream(liveTopics.marketOrg(ctx.activeOrg.id), signal));
