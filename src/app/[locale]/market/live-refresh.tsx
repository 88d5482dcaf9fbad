'use client';

import { useSubscription } from '@trpc/tanstack-react-query';
import { LiveIndicator, liveStateOf, useRefreshOnLive } from '@/components/live/live-indicator.tsx';
import { useTRPC } from '@/lib/trpc-client.ts';

/** Keeps an instrument's page live: book, trades, candles and the caller's orders on it are re-read on each message. */
export function InstrumentLive({ instrumentId }: { instrumentId: string }) {
  const trpc = useTRPC();
  const subscription = useSubscription(trpc.market.live.subscriptionOptions({ instrumentId }, useRefreshOnLive()));
  return <LiveIndicator state={liveStateOf(subscription.status)} />;
}

/** Keeps "my orders & trades" live over the organisation's market stream. */
export function MyMarketLive() {
  const trpc = useTRPC();
  const subscription = useSubscription(trpc.market.myLive.subscriptionOptions(undefined, useRefreshOnLive()));
  return <LiveIndicator state={liveStateOf(subscription.status)} />;
}
