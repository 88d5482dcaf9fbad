/**
 * A market writer process for the crash test (market.crash.test.ts): it connects to the test's
 * PostgreSQL database and submits seeded order flows through `submitCommand`, one concurrent submitter
 * per member organisation (buys funded by card or on net terms, see order-flow.ts), printing one JSON line per event on stdout:
 *
 *   {"t":"snapshot","instrumentId","book"}      at start, what this (restarted) writer serves: bookSnapshot
 *   {"t":"retry","instrumentId","input","answer"|"code"}  a resent command of the previous (killed) writer
 *   {"t":"ready"}                               the flows start
 *   {"t":"send","w","n","instrumentId","input"}  before a command is submitted
 *   {"t":"ack","w","n","instrumentId","answer"}  after it was accepted (its transaction committed)
 *   {"t":"refused","w","n","code"}              it was refused (AppError), nothing written
 *   {"t":"done"}                                every submitter sent `perSubmitter` commands
 *
 * The test kills it with SIGKILL mid-stream. Run: `node --import tsx market-writer.child.ts` with
 * MARKET_WRITER_CONFIG set to the JSON of `WriterConfig`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../../../lib/errors.ts';
import { createDb } from '../../../db/client.ts';
import type { MarketCommandInput } from '../market.core.ts';
import { bookSnapshot, submitCommand } from '../market.service.ts';
import { seededRandom } from '../../../../lib/prng.ts';
import { OrderFlow, submitOptions } from './order-flow.ts';

export interface WriterSubmitter {
  orgId: string;
  userId: string;
  /** instrument id → the organisation's lot backing its sells there. */
  lots: Record<string, string>;
}

export interface WriterConfig {
  databaseUrl: string;
  seed: number;
  /** Distinguishes the idempotency keys of each writer run. */
  runTag: string;
  instruments: string[];
  submitters: WriterSubmitter[];
  /** Commands each submitter sends before the writer exits on its own. */
  perSubmitter: number;
  /**
   * Up to this many ms (seeded) between a commit and printing its answer, like a reply still on the
   * wire: a kill then often lands after a commit and before its answer (the committed-unanswered tail).
   */
  answerDelayMs: number;
  /** Commands of a previous writer that were sent but never answered: resent first, with their keys. */
  retry: { w: number; instrumentId: string; input: MarketCommandInput }[];
}

function emit(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const raw = process.env.MARKET_WRITER_CONFIG;
  if (!raw) throw new Error('MARKET_WRITER_CONFIG is not set');
  const config = JSON.parse(raw) as WriterConfig;
  const handle = await createDb({ databaseUrl: config.databaseUrl, maxConnections: config.submitters.length + 1 });
  const db = handle.db;

  for (const instrumentId of config.instruments) emit({ t: 'snapshot', instrumentId, book: await bookSnapshot(db, instrumentId) });

  for (const r of config.retry) {
    const s = config.submitters[r.w]!;
    try {
      const answer = await submitCommand(db, { orgId: s.orgId, userId: s.userId }, r.instrumentId, r.input, submitOptions(r.input));
      emit({ t: 'retry', w: r.w, instrumentId: r.instrumentId, input: r.input, answer });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      emit({ t: 'retry', w: r.w, instrumentId: r.instrumentId, input: r.input, code: error.code });
    }
  }
  emit({ t: 'ready' });

  await Promise.all(
    config.submitters.map(async (s, w) => {
      const flow = new OrderFlow(config.seed * 1009 + w, new Map(Object.entries(s.lots)), `${config.runTag}-w${w}`);
      const actor = { orgId: s.orgId, userId: s.userId };
      const wire = seededRandom(config.seed * 7 + w);
      for (let n = 0; n < config.perSubmitter; n += 1) {
        const sent = flow.next();
        emit({ t: 'send', w, n, instrumentId: sent.instrumentId, input: sent.input });
        try {
          const answer = await submitCommand(db, actor, sent.instrumentId, sent.input, submitOptions(sent.input));
          if (config.answerDelayMs > 0) await sleep(Math.floor(wire() * (config.answerDelayMs + 1)));
          emit({ t: 'ack', w, n, instrumentId: sent.instrumentId, answer });
          flow.answered(sent, answer);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          emit({ t: 'refused', w, n, code: error.code, message: error.message });
          flow.refused(sent);
        }
      }
    }),
  );
  emit({ t: 'done' });
  await handle.close();
}

main().catch((error: unknown) => {
  emit({ t: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
});
