import { createTRPCRouter } from '../../trpc.ts';
import { amend } from './amend.ts';
import { book } from './book.ts';
import { cancel } from './cancel.ts';
import { instruments } from './instruments.ts';
import { myOrders } from './my-orders.ts';
import { myTrades } from './my-trades.ts';
import { place } from './place.ts';

export const marketRouter = createTRPCRouter({
  instruments,
  book,
  place,
  cancel,
  amend,
  myOrders,
  myTrades,
});
