import { createTRPCRouter } from '../../trpc.ts';
import { amend } from './amend.ts';
import { book } from './book.ts';
import { cancel } from './cancel.ts';
import { counterparties } from './counterparties.ts';
import { createInstrument } from './create-instrument.ts';
import { instrument } from './instrument.ts';
import { instruments } from './instruments.ts';
import { live } from './live.ts';
import { myLive } from './my-live.ts';
import { myOrders } from './my-orders.ts';
import { myTrades } from './my-trades.ts';
import { ohlc } from './ohlc.ts';
import { place } from './place.ts';
import { quotes } from './quotes.ts';
import { sellableLots } from './sellable-lots.ts';
import { setInstrumentStatus } from './set-instrument-status.ts';
import { trades } from './trades.ts';

export const marketRouter = createTRPCRouter({
  instruments,
  book,
  place,
  cancel,
  amend,
  myOrders,
  myTrades,
  quotes,
  instrument,
  trades,
  ohlc,
  sellableLots,
  counterparties,
  live,
  myLive,
  createInstrument,
  setInstrumentStatus,
});
