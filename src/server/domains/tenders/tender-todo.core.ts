import type { TenderStatus } from './tenders.core.ts';

/**
 * What an organisation still has to do on a tender, for the tender list's progress column, its "to do"
 * filters and the dashboard's counts. A supplier registers while bidding is open, waits for the
 * alliance to qualify it, then bids on each lot it registered for (it may replace a bid until the
 * deadline); the alliance qualifies the suppliers that registered while the tender is published.
 */

/** A supplier's step on a public tender. */
export const SUPPLIER_STEPS = ['register', 'awaiting_qualification', 'not_qualified', 'bid', 'bids_in', 'closed'] as const;
export type SupplierStep = (typeof SUPPLIER_STEPS)[number];

export interface SupplierStanding {
  status: TenderStatus;
  bidDeadline: Date;
  /** The supplier's registration, if any: its status (`pending`, `qualified`, `not_qualified`) and the lots it registered for. */
  registration: { status: string; lotIds: readonly string[] } | null;
  /** Lots the supplier has a bid on. */
  bidLotIds: ReadonlySet<string>;
}

export interface SupplierProgress {
  step: SupplierStep;
  /** Lots registered for and still without a bid (step `bid`). */
  lotsToBid: number;
}

/** Bids (and registrations) are taken while the tender is published, through its bid deadline. */
export function biddingOpen(status: TenderStatus, bidDeadline: Date, now: Date): boolean {
  return status === 'published' && now.getTime() <= bidDeadline.getTime();
}

/** The registered lots (`lotIds`, in their order, each once) that have no bid yet. */
export function lotsWithoutBid(lotIds: readonly string[], bidLotIds: ReadonlySet<string>): string[] {
  return [...new Set(lotIds)].filter((id) => !bidLotIds.has(id));
}

export function supplierProgress(s: SupplierStanding, now: Date): SupplierProgress {
  const open = biddingOpen(s.status, s.bidDeadline, now);
  const reg = s.registration;
  if (reg === null) return { step: open ? 'register' : 'closed', lotsToBid: 0 };
  if (reg.status === 'not_qualified') return { step: 'not_qualified', lotsToBid: 0 };
  if (reg.status !== 'qualified') return { step: open ? 'awaiting_qualification' : 'closed', lotsToBid: 0 };
  const lotsToBid = lotsWithoutBid(reg.lotIds, s.bidLotIds).length;
  if (open && lotsToBid > 0) return { step: 'bid', lotsToBid };
  return { step: reg.lotIds.some((id) => s.bidLotIds.has(id)) ? 'bids_in' : 'closed', lotsToBid: 0 };
}

/** The tender list's "to do" filters: a supplier's registrations and bids, an officer's qualifications. */
export const TENDER_TODOS = ['register', 'bid', 'qualify'] as const;
export type TenderTodo = (typeof TENDER_TODOS)[number];

export function isTenderTodo(value: unknown): value is TenderTodo {
  return (TENDER_TODOS as readonly unknown[]).includes(value);
}

/** A row of the tender list as the filters see it: the supplier's progress, or the officer's registrations waiting for a decision. */
export interface TodoRow {
  status: TenderStatus;
  mine?: SupplierProgress | null;
  pendingRegistrations?: number | null;
}

/**
 * Whether a row needs the caller for `todo`. An officer decides on registrations only while the
 * tender is published (qualification is refused after).
 */
export function needsCaller(todo: TenderTodo, row: TodoRow): boolean {
  switch (todo) {
    case 'register':
      return row.mine?.step === 'register';
    case 'bid':
      return row.mine?.step === 'bid';
    case 'qualify':
      return row.status === 'published' && (row.pendingRegistrations ?? 0) > 0;
  }
}
