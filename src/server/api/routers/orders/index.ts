import { createTRPCRouter } from '../../trpc.ts';
import { pay } from './pay.ts';
import { checkoutPayment } from './checkout-payment.ts';
import { confirmTransfer } from './confirm-transfer.ts';
import { markInvoicePaid } from './mark-invoice-paid.ts';
import { setCreditLine } from './set-credit-line.ts';
import { sellerCredit } from './seller-credit.ts';
import { myCredit } from './my-credit.ts';
import { dispute } from './dispute.ts';
import { withdrawDispute } from './withdraw-dispute.ts';
import { accept } from './accept.ts';
import { addToCart } from './add-to-cart.ts';
import { cancel } from './cancel.ts';
import { cart } from './cart.ts';
import { checkout } from './checkout.ts';
import { confirmDelivery } from './confirm-delivery.ts';
import { myOrders } from './my-orders.ts';
import { order } from './order.ts';
import { refund } from './refund.ts';
import { reject } from './reject.ts';
import { removeCartItem } from './remove-cart-item.ts';
import { ship } from './ship.ts';
import { updateCartItem } from './update-cart-item.ts';

export const ordersRouter = createTRPCRouter({
  cart,
  addToCart,
  updateCartItem,
  removeCartItem,
  checkout,
  myOrders,
  order,
  accept,
  reject,
  ship,
  confirmDelivery,
  cancel,
  refund,
  pay,
  checkoutPayment,
  confirmTransfer,
  markInvoicePaid,
  setCreditLine,
  sellerCredit,
  myCredit,
  dispute,
  withdrawDispute,
});
