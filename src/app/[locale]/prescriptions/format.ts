import { isRxStatus, type RxStatus } from '@/server/domains/prescriptions/prescriptions.core.ts';

export { shanghai } from '@/lib/display-format.ts';

/** Badge tone per status (display only). */
export function statusTone(status: string): 'neutral' | 'success' | 'warning' | 'danger' | 'info' {
  if (!isRxStatus(status)) return 'neutral';
  const tones: Record<RxStatus, 'neutral' | 'success' | 'warning' | 'danger' | 'info'> = {
    draft: 'neutral',
    screened: 'warning',
    approved: 'info',
    rejected: 'danger',
    routed: 'info',
    accepted: 'info',
    dispensing: 'info',
    decocting: 'info',
    ready: 'success',
    shipped: 'success',
    delivered: 'success',
    picked_up: 'success',
    completed: 'success',
    cancelled: 'neutral',
    expired: 'neutral',
  };
  return tones[status];
}

export const severityTone = (severity: string) => (severity === 'block' ? 'danger' : severity === 'warn' ? 'warning' : 'info');

/** Timeline notes the pages know how to name. */
export const TIMELINE_NOTES = ['override', 'routing_failed', 'rerouted', 'offer_rejected', 'offer_expired', 'item_dispensed', 'item_checked', 'decoction_step', 'shipment_exception', 'shipment_returned'] as const;
export type TimelineNote = (typeof TIMELINE_NOTES)[number];
export const isTimelineNote = (n: unknown): n is TimelineNote => (TIMELINE_NOTES as readonly unknown[]).includes(n);

export const INELIGIBLE_KEYS = ['inactive', 'licence', 'closed', 'capacity', 'decoction', 'distance', 'stock', 'already_offered'] as const;
export type IneligibleKey = (typeof INELIGIBLE_KEYS)[number];
export const isIneligibleKey = (k: string): k is IneligibleKey => (INELIGIBLE_KEYS as readonly string[]).includes(k);
