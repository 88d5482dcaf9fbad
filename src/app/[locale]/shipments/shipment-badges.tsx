import { Badge } from '@/components/ui/badge.tsx';
import type { ShipmentState } from '@/server/domains/delivery/shipments.core.ts';

const TONE: Record<ShipmentState, 'neutral' | 'success' | 'warning' | 'danger' | 'info'> = {
  created: 'neutral',
  picked_up: 'info',
  in_transit: 'info',
  out_for_delivery: 'info',
  delivered: 'success',
  exception: 'danger',
  returned: 'warning',
};

export function ShipmentStateBadge({ state, label }: { state: ShipmentState; label: string }) {
  return (
    <Badge tone={TONE[state]} data-testid="shipment-state">
      {label}
    </Badge>
  );
}

export interface ShipmentFlagLabels {
  late: string;
  coldChain: string;
  excursion: string;
  return: string;
}

/** Late, cold chain, temperature excursion, on its way back: what logistics staff scan a list for. */
export function ShipmentFlags({ shipment, labels }: { shipment: { late: boolean; coldChain: boolean; hasExcursion: boolean; direction: 'forward' | 'return' }; labels: ShipmentFlagLabels }) {
  return (
    <span className="flex flex-wrap gap-1">
      {shipment.late ? <Badge tone="warning">{labels.late}</Badge> : null}
      {shipment.coldChain ? <Badge tone="info">{labels.coldChain}</Badge> : null}
      {shipment.hasExcursion ? (
        <Badge tone="danger" data-testid="shipment-excursion-badge">
          {labels.excursion}
        </Badge>
      ) : null}
      {shipment.direction === 'return' ? <Badge tone="warning">{labels.return}</Badge> : null}
    </span>
  );
}
