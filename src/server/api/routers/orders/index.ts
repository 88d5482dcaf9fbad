import { createTRPCRouter } from '../../trpc.ts';
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
});
