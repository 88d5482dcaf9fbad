import { createTRPCRouter } from '../../trpc.ts';
import { get } from './get.ts';
import { list } from './list.ts';
import { live } from './live.ts';
import { redeliver } from './redeliver.ts';
import { reportException } from './report-exception.ts';
import { returnToSender } from './return.ts';

export const shipmentsRouter = createTRPCRouter({
  get,
  list,
  live,
  reportException,
  redeliver,
  return: returnToSender,
});
