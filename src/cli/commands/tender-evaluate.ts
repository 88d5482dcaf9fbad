import { evaluateTender } from '../../server/domains/tenders/evaluation.core.ts';
import { tenderInputSchema } from '../../server/domains/tenders/evaluation.types.ts';
import { parseJsonDocument, parseWith, type CliCommand } from '../io.ts';

/**
 * `bencao tender-evaluate` (CONTRACTS.md): reads one tender (method, lots, bids) as JSON on stdin and
 * writes the award — one result per lot and the SHA-256 of the canonical JSON of `lots` — as one line of
 * JSON. Keys are written in the order CONTRACTS.md lists them; the hash is over the canonical form
 * (keys sorted), so an auditor recomputes it with `canonicalJson(output.lots)`.
 */
export const summary = 'award one alliance tender (vbp_price | weighted_score) from JSON on stdin';

export const run: CliCommand = (stdin) => {
  const document = parseJsonDocument(stdin);
  const input = parseWith(tenderInputSchema, document);
  return `${JSON.stringify(evaluateTender(input))}\n`;
};
