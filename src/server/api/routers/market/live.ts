import { instrumentIdInput } from '../../../domains/market/market-data.schemas.ts';
import { requireInstrument } from '../../../domains/market/market.queries.ts';
import { liveStream } from '../../../integrations/live/live.ts';
import { liveTopics } from '../../../integrations/live/live.port.ts';
import { orgProcedure } from '../../trpc.ts';

/**
 * An instrument's page, live (server-sent events): a message each time its book changes or it trades.
 * Anyone who may read the book may listen; an unknown instrument is NOT_FOUND before the stream opens.
 * Messages say what changed, never the data: the page re-reads the book and trades.
 */
export const live = orgProcedure('catalog:read')
  .input(instrumentIdInput)
  .subscription(async ({ ctx, input, signal }) => {
    await requireInstrument(ctx.db, input.instrumentId);
    return liveStream(liveTopics.marketInstrument(input.instrumentId), signal);
  });
