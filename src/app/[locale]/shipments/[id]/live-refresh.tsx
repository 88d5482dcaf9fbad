'use client';

import { useSubscription } from '@trpc/tanstack-react-query';
import { LiveIndicator, liveStateOf, useRefreshOnLive } from '@/components/live/live-indicator.tsx';
import { useTRPC } from '@/lib/trpc-client.ts';

/** Keeps the shipment page live over its server-sent-events stream. */
export function ShipmentLive({ id }: { id: string }) {
  const trpc = useTRPC();
  const subscription = useSubscription(trpc.shipments.live.subscriptionOptions({ id }, useRefreshOnLive()));
  return <LiveIndicator state={liveStateOf(subscription.status)} />;
}
