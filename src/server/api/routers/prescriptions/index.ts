import { createTRPCRouter } from '../../trpc.ts';
import { acceptOffer } from './accept-offer.ts';
import { cancel } from './cancel.ts';
import { capability } from './capability.ts';
import { checkItem } from './check-item.ts';
import { confirmDelivered } from './confirm-delivered.ts';
import { confirmPickup } from './confirm-pickup.ts';
import { create } from './create.ts';
import { createFhir } from './create-fhir.ts';
import { decoctionStep } from './decoction-step.ts';
import { detail } from './detail.ts';
import { dispenseItem } from './dispense-item.ts';
import { finishDecoction } from './finish-decoction.ts';
import { finishDispensing } from './finish-dispensing.ts';
import { get } from './get.ts';
import { list } from './list.ts';
import { offers } from './offers.ts';
import { override } from './override.ts';
import { rejectOffer } from './reject-offer.ts';
import { review } from './review.ts';
import { reviewQueue } from './review-queue.ts';
import { routeAgain } from './route-again.ts';
import { screen } from './screen.ts';
import { setCapability } from './set-capability.ts';
import { startDispensing } from './start-dispensing.ts';
import { status } from './status.ts';
import { statusLive } from './status-live.ts';
import { stores } from './stores.ts';
import { work } from './work.ts';

export const prescriptionsRouter = createTRPCRouter({
  screen,
  create,
  createFhir,
  get,
  detail,
  list,
  override,
  reviewQueue,
  review,
  cancel,
  routeAgain,
  offers,
  acceptOffer,
  rejectOffer,
  work,
  startDispensing,
  dispenseItem,
  checkItem,
  finishDispensing,
  decoctionStep,
  finishDecoction,
  confirmPickup,
  confirmDelivered,
  capability,
  setCapability,
  status,
  statusLive,
  stores,
});
