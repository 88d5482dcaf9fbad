/**
 * The net-terms buyers' credit lines as the market writer checks them: what each buyer owes or may come
 * to owe on each line, put together from what `market_batch_start` reads (migration 0028).
 */

/** A credit line granted to a net-terms buyer, with what the buyer owes or may come to owe on it (as `net_terms_exposure` counts it). */
export interface CreditRoomLine {
  sellerOrgId: string;
  buyerOrgId: string;
  limitFen: number;
  outstandingFen: number;
  overdueInvoices: number;
}

/** A buyer's credit lines: sellers, limits, what is owed on each (`net_terms_owed`) and overdue invoices, as parallel arrays. */
export type BuyerCreditRow = [buyerOrgId: string, sellers: string[], limitsFen: (number | string)[], owedFen: (number | string)[], overdueInvoices: (number | string)[]];

/** A buyer's resting net-terms buys that may match exactly `sellers`, summed: their notional less what has traded. */
export type RestingTermsRow = [buyerOrgId: string, sellers: string[] | null, fen: number | string];

/**
 * Each buyer's credit lines with their outstanding: what is owed on the line plus each resting
 * net-terms buy of the buyer that may match the line's seller — a resting buy counts in full against
 * every line it may match, since it may fill against any one of them.
 */
export function creditRoomByBuyer(credit: readonly BuyerCreditRow[], resting: readonly RestingTermsRow[]): Map<string, CreditRoomLine[]> {
  const byBuyer = new Map<string, { lines: CreditRoomLine[]; bySeller: Map<string, CreditRoomLine> }>();
  for (const [buyerOrgId, sellers, limits, owed, overdue] of credit) {
    const lines = sellers.map((sellerOrgId, i) => ({ sellerOrgId, buyerOrgId, limitFen: Number(limits[i]), outstandingFen: Number(owed[i]), overdueInvoices: Number(overdue[i]) }));
    byBuyer.set(buyerOrgId, { lines, bySeller: new Map(lines.map((l) => [l.sellerOrgId, l])) });
  }
  for (const [buyerOrgId, sellers, fen] of resting) {
    const buyer = byBuyer.get(buyerOrgId);
    if (!buyer) continue;
    for (const seller of sellers ?? []) {
      const line = buyer.bySeller.get(seller);
      if (line) line.outstandingFen += Number(fen);
    }
  }
  return new Map([...byBuyer].map(([buyerOrgId, b]) => [buyerOrgId, b.lines]));
}
