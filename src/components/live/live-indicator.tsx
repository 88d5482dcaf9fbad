'use client';

import { useTranslations } from 'next-intl';
import { useRouter } from '@/i18n/navigation.ts';

export type LiveState = 'connecting' | 'connected' | 'offline';

/** What a page does on a live message: re-render its server components (they re-read through the access-checked services). */
export function useRefreshOnLive(): { onStarted: () => void; onData: () => void } {
  const router = useRouter();
  // Once more on (re)connect, so a change missed while offline does not stay missing.
  return { onStarted: () => router.refresh(), onData: () => router.refresh() };
}

export function liveStateOf(status: 'idle' | 'connecting' | 'pending' | 'error'): LiveState {
  return status === 'pending' ? 'connected' : status === 'error' ? 'offline' : 'connecting';
}

/** A small dot and word saying whether the page is live. */
export function LiveIndicator({ state }: { state: LiveState }) {
  const t = useTranslations('common.live');
  const dot = state === 'connected' ? 'bg-brand-600' : state === 'offline' ? 'bg-cinnabar-500' : 'bg-amber-500';
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-stone-600" data-testid="live-indicator" data-state={state} role="status">
      <span className={`inline-block h-2 w-2 rounded-full ${dot}`} aria-hidden="true" />
      {t(state)}
    </span>
  );
}
