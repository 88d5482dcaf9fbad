import { statusTokenInput } from '../../../domains/prescriptions/prescriptions.schemas.ts';
import { statusTopicByToken } from '../../../domains/prescriptions/prescriptions.service.ts';
import { liveStream } from '../../../integrations/live/live.ts';
import { publicProcedure } from '../../trpc.ts';

/**
 * The patient's status page, live (server-sent events, no login): a message whenever the prescription
 * or its delivery moves. The token is checked first (unknown or expired → NOT_FOUND); messages carry no
 * data, the page re-reads it through `status`.
 */
export const statusLive = publicProcedure.input(statusTokenInput).subscription(async ({ ctx, input, signal }) => {
  // Checked here, before the stream exists, so a bad token is an ordinary NOT_FOUND answer.
  const topic = await statusTopicByToken(ctx.db, input.token);
  return liveStream(topic, signal);
});
