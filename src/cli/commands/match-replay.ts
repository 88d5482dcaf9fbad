import { replay, ReplayInputError } from '../../server/domains/market/match-replay.core.ts';
import { CliInputError, type CliCommand } from '../io.ts';

/**
 * `bencao match-replay` (CONTRACTS.md): JSON Lines of limit/cancel orders on stdin; JSON Lines of trades
 * and rejections, then the final book of each instrument, on stdout. A structurally bad line exits 2 with
 * `line <n>: <field>: <problem>` on stderr.
 */
export const summary = 'replay JSON Lines of limit/cancel orders through the matching engine';

export const run: CliCommand = (stdin) => {
  try {
    return replay(stdin.replace(/^\uFEFF/, '').split('\n')).join('\n');
  } catch (error) {
    if (error instanceof ReplayInputError) {
      throw new CliInputError(error.field ? `line ${error.line}: ${error.field}` : `line ${error.line}`, error.problem);
    }
    throw error;
  }
};
