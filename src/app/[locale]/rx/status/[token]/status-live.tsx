'use client';

import { useSubscription } from '@trpc/tanstack-react-query';
import { LiveIndicator, liveStateOf, useRefreshOnLive } from '@/components/live/live-indicator.tsx';
import { useTRPC } from '@/lib/trpc-client.ts';

/** Keeps the patient's status page live (each step of the prescription and its delivery). */
export function PrescriptionStatusLive({ token }: { token: string }) {
  const trpc = useTRPC();
  const subscription = useSubscription(trpc.prescriptions.statusLive.subscriptionOptions({ token }, useRefreshOnLive()));
  return <LiveIndicator state={liveStateOf(subscription.status)} />;
}
