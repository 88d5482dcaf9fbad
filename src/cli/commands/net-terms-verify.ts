import { openConfiguredDatabase } from '../database.ts';
import { CliInputError, type CliCommand } from '../io.ts';
import { checkNetTermsExposure, rebuildNetTermsExposure } from '../../server/domains/orders/net-terms-owed.service.ts';

/**
 * `bencao net-terms-verify [--repair]`: compares the net-terms exposure the platform keeps (running
 * totals of what each buyer owes each seller, and the sellers of resting net-terms market buys) with the
 * same summed afresh from orders, trades and place commands, in the configured database. Prints
 * `{"ok":true,"pairs":N}` (exit 0), or `{"ok":false,"pairs":N,"differing":D,"differ":[…]}` (exit 1),
 * listing the first 100 pairs that differ as `{"buyerOrgId","sellerOrgId","keptFen","recountedFen"}`.
 * With `--repair` it rebuilds what is kept from the rows (orders, trades and fundings wait meanwhile),
 * checks again and prints `{"ok":true,"pairs":N,"repaired":D}`.
 */
export const summary =
  'check the running net-terms totals against the orders and trades they sum; --repair rebuilds them (embedded PGlite: stop the web server first)';

export const readsStdin = false;

/** Thrown after the report was printed, so the CLI writes one error line to stderr and exits 1. */
export class NetTermsDiffer extends Error {
  constructor(readonly pairs: number) {
    super(`net-terms exposure differs from its rows for ${pairs} buyer and seller pair(s)`);
    this.name = 'NetTermsDiffer';
  }
}

export const run: CliCommand = async (_stdin, args) => {
  const unknown = args.find((a) => a !== '--repair');
  if (unknown !== undefined) throw new CliInputError('options', `unknown option ${JSON.stringify(unknown.slice(0, 40))}; the only option is --repair`);
  const handle = await openConfiguredDatabase(1);
  try {
    let check = await checkNetTermsExposure(handle.db);
    if (args.includes('--repair')) {
      const repaired = check.differing;
      if (repaired > 0) {
        await rebuildNetTermsExposure(handle.db);
        check = await checkNetTermsExposure(handle.db);
      }
      if (check.differing === 0) return JSON.stringify({ ok: true, pairs: check.pairs, repaired });
    } else if (check.differing === 0) {
      return JSON.stringify({ ok: true, pairs: check.pairs });
    }
    // main() prints a returned string and exits 0; a difference must exit 1, so print here and throw.
    process.stdout.write(`${JSON.stringify({ ok: false, pairs: check.pairs, differing: check.differing, differ: check.differ })}\n`);
    throw new NetTermsDiffer(check.differing);
  } finally {
    await handle.close();
  }
};
