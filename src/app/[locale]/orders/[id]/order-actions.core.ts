import { buyerMayCancel, canTransition, isOrderStatus, REFUNDABLE_STATUSES } from '@/server/domains/orders/orders.core.ts';

export type OrderAction = 'accept' | 'reject' | 'ship' | 'confirmDelivery' | 'cancel' | 'refund' | 'dispute' | 'withdrawDispute';

/** What the viewer is to the order and may do in their organisation. */
export interface OrderActionContext {
  side: 'buyer' | 'seller';
  /** What the order carries out (cart, call_off, market). */
  source: string;
  status: string;
  capturedFen: number;
  refundedFen: number;
  canSell: boolean;
  canBuy: boolean;
}

/** The actions the state table allows this side of the order now (none: the page shows no actions card). */
export function allowedOrderActions(o: OrderActionContext): OrderAction[] {
  if (!isOrderStatus(o.status)) return [];
  const status = o.status;
  const role = o.side;
  const allowed: OrderAction[] = [];
  if (role === 'seller' && o.canSell && canTransition(status, 'accepted', 'seller')) allowed.push('accept');
  if (role === 'seller' && o.canSell && canTransition(status, 'rejected', 'seller')) allowed.push('reject');
  if (role === 'seller' && o.canSell && canTransition(status, 'shipped', 'seller')) allowed.push('ship');
  if (role === 'buyer' && o.canBuy && status !== 'disputed' && canTransition(status, 'delivered', 'buyer')) allowed.push('confirmDelivery');
  if (role === 'buyer' && o.canBuy && canTransition(status, 'disputed', 'buyer')) allowed.push('dispute');
  if (role === 'buyer' && o.canBuy && status === 'disputed') allowed.push('withdrawDispute');
  if (canTransition(status, 'cancelled', role) && (role !== 'buyer' || buyerMayCancel(o.source))) allowed.push('cancel');
  if (role === 'seller' && o.canSell && REFUNDABLE_STATUSES.includes(status) && o.capturedFen > o.refundedFen) allowed.push('refund');
  return allowed;
}
