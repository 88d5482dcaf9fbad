import { AddToCart } from './add-to-cart.tsx';
import { kg, yuan } from './format.ts';

/** The columns every listing table ends with: price (tiers in the tooltip), available, minimum order, and add to cart. */
export interface Offer {
  id: string;
  priceFenPerKg: number;
  tiers: { minG: number; priceFenPerKg: number }[];
  availableG: number;
  minOrderG: number;
}

export function OfferHeaders({ labels, canBuy }: { labels: { price: string; available: string; minOrder: string; quantityKg: string }; canBuy: boolean }) {
  return (
    <>
      <th className="whitespace-nowrap py-2 pl-3 text-right font-medium">{labels.price}</th>
      <th className="whitespace-nowrap py-2 pl-3 text-right font-medium">{labels.available}</th>
      <th className="whitespace-nowrap py-2 pl-3 text-right font-medium">{labels.minOrder}</th>
      {canBuy ? <th className="whitespace-nowrap py-2 pl-3 text-right font-medium">{labels.quantityKg}</th> : null}
    </>
  );
}

export function OfferCells({ offer, canBuy }: { offer: Offer; canBuy: boolean }) {
  return (
    <>
      <td className="whitespace-nowrap py-2 pl-3 text-right tabular-nums" title={offer.tiers.map((tier) => `≥${kg(tier.minG)} kg: ${yuan(tier.priceFenPerKg)}`).join('\n')}>
        {yuan(offer.priceFenPerKg)}
      </td>
      <td className="whitespace-nowrap py-2 pl-3 text-right tabular-nums">{kg(offer.availableG)}</td>
      <td className="whitespace-nowrap py-2 pl-3 text-right tabular-nums">{kg(offer.minOrderG)}</td>
      {canBuy ? (
        <td className="py-2 pl-3">
          <AddToCart listingId={offer.id} minOrderG={offer.minOrderG} availableG={offer.availableG} />
        </td>
      ) : null}
    </>
  );
}
