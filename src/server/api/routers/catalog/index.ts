import { createTRPCRouter } from '../../trpc.ts';
import { createListing } from './create-listing.ts';
import { createLot } from './create-lot.ts';
import { createProduct } from './create-product.ts';
import { listing } from './listing.ts';
import { listings } from './listings.ts';
import { myListings } from './my-listings.ts';
import { myLots } from './my-lots.ts';
import { myProducts } from './my-products.ts';
import { priceHistory } from './price-history.ts';
import { search } from './search.ts';
import { setListingStatus } from './set-listing-status.ts';
import { updateListing } from './update-listing.ts';

export const catalogRouter = createTRPCRouter({
  myProducts,
  createProduct,
  myLots,
  createLot,
  myListings,
  createListing,
  updateListing,
  setListingStatus,
  listings,
  listing,
  priceHistory,
  search,
});
