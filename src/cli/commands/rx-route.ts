import { parseJsonDocument, parseWith, type CliCommand } from '../io.ts';
import { rankPharmacies } from '../../server/domains/routing/routing.core.ts';
import { rxRouteInputSchema } from '../../server/domains/routing/routing.types.ts';

/**
 * `bencao rx-route < input.json` (CONTRACTS.md): ranks the eligible pharmacies for one prescription,
 * nearest first, and prints `{"candidates":[{"id":"p1","km":3.412}]}`. One query over the given list,
 * so it scans (`rankPharmacies`); the server keeps a `PharmacyIndex` for repeated queries.
 */
export const summary = 'rank eligible pharmacies for one prescription, nearest first';

export const run: CliCommand = (stdin) => {
  const input = parseWith(rxRouteInputSchema, parseJsonDocument(stdin));
  const candidates = rankPharmacies(input.rx, input.pharmacies, { maxKm: input.maxKm, limit: input.limit });
  return JSON.stringify({ candidates });
};
