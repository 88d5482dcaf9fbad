import type { CarrierStatusType, ExceptionReason } from '../../domains/delivery/shipments.core.ts';

/**
 * What the simulated carrier plays, pure: per scenario and phase, the steps (minutes after the
 * previous one, the status reported, where, what the scan says) and, for cold-chain parcels, the
 * temperature readings taken since the previous step. The jobs in `domains/delivery/shipments.jobs.ts`
 * turn each step into a signed webhook delivery.
 */
export const SIM_SCENARIOS = ['normal', 'excursion', 'refused', 'address_problem', 'damaged'] as const;
export type SimScenario = (typeof SIM_SCENARIOS)[number];

/** outbound (first trip), redelivery (after a re-delivery decision), return (after a return decision). */
export type SimPhase = 'outbound' | 'redelivery' | 'return';

export interface SimStep {
  /** Minutes after the previous step (the first: after the shipment is created or the decision taken). */
  afterMinutes: number;
  type: CarrierStatusType;
  location: string;
  description: string;
  exceptionReason?: ExceptionReason;
  /** Cold chain: readings since the previous step, °C, oldest first. */
  readings: number[];
}

const step = (afterMinutes: number, type: CarrierStatusType, location: string, description: string, extra: Partial<SimStep> = {}): Omit<SimStep, 'readings'> & { readings?: number[] } => ({ afterMinutes, type, location, description, ...extra });

/** In-range readings that vary a little (3.5–6.4 °C), deterministic per step. */
function normalReadings(stepIndex: number, minutes: number): number[] {
  const count = Math.max(1, Math.min(6, Math.round(minutes / 10)));
  return Array.from({ length: count }, (_, j) => Math.round((3.5 + ((stepIndex * 7 + j * 3) % 30) / 10) * 10) / 10);
}

export function simulationSteps(scenario: SimScenario, phase: SimPhase, coldChain: boolean): SimStep[] {
  let steps: ReturnType<typeof step>[];
  if (phase === 'redelivery') {
    steps = [step(20, 'out_for_delivery', '收件地址所属派送站', '快递员正在重新派送'), step(20, 'delivered', '收件地址', '快件已签收')];
  } else if (phase === 'return') {
    steps = [step(10, 'in_transit', '派送站', '快件退回中'), step(30, 'in_transit', '始发地转运中心', '快件已到达始发地转运中心'), step(30, 'returned', '寄件地址', '快件已退回寄件人')];
  } else {
    const pickup = step(2, 'picked_up', '寄件地址', '快件已揽收');
    const hub = step(8, 'in_transit', '杭州转运中心', '快件已到达杭州转运中心');
    const lineHaul = step(30, 'in_transit', '目的地转运中心', '快件已到达目的地转运中心', scenario === 'excursion' ? { readings: [6.2, 9.4, 11.3, 7.1] } : {});
    const out = step(30, 'out_for_delivery', '收件地址所属派送站', '快递员正在派送');
    steps =
      scenario === 'refused'
        ? [pickup, hub, lineHaul, out, step(15, 'exception', '收件地址', '收件人拒收', { exceptionReason: 'refused' })]
        : scenario === 'address_problem'
          ? [pickup, hub, lineHaul, step(20, 'exception', '目的地转运中心', '收件地址有误，无法派送', { exceptionReason: 'address_problem' })]
          : scenario === 'damaged'
            ? [pickup, hub, step(10, 'exception', '杭州转运中心', '外包装破损，待处理', { exceptionReason: 'damaged' })]
            : [pickup, hub, lineHaul, out, step(20, 'delivered', '收件地址', '快件已签收')];
  }
  return steps.map((s, i) => ({ ...s, readings: coldChain ? (s.readings ?? normalReadings(i, s.afterMinutes)) : [] }));
}

/** The carrier event id of a step: stable across retries, so a re-sent step is a duplicate. */
export function simEventId(shipmentId: string, phase: SimPhase, round: number, index: number): string {
  return `${shipmentId}:${phase}:${round}:${index}`;
}

/** `SIM` + 10 digits from random bytes. */
export function simTrackingNumber(random: Uint8Array): string {
  let digits = '';
  for (let i = 0; digits.length < 10; i += 1) digits += String(random[i % random.length]! % 10);
  return `SIM${digits}`;
}

/** Total simulated minutes of a phase (the demo's ETA). */
export function phaseMinutes(steps: readonly SimStep[]): number {
  return steps.reduce((sum, s) => sum + s.afterMinutes, 0);
}
