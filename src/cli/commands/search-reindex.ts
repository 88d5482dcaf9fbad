import { openConfiguredDatabase } from '../database.ts';
import type { CliCommand } from '../io.ts';
import { env } from '../../server/env.ts';
import { createSearchIndex } from '../../server/integrations/search/search.ts';
import { reindex } from '../../server/integrations/search/search.jobs.ts';

/**
 * `bencao search-reindex`: rebuilds the search index (Meilisearch when MEILI_URL is set, else the
 * Postgres `search_document` table) from the configured database (DATABASE_URL, else the PGlite data
 * in BENCAO_DATA_DIR). Progress lines on stderr (`indexed 500/4830 herb`), one JSON summary on stdout:
 * `{"ok":true,"adapter":"postgres","indexed":483,"byKind":{"herb":483},"documents":483,"ms":…}`.
 * Upserts by id, so it can run while the app serves searches; documents whose rows are gone stay
 * until their outbox job (or a `--clear` run) removes them.
 */
export const summary =
  'rebuild the search index from the database with progress on stderr (--clear empties it first; embedded PGlite: stop the web server first)';

export const readsStdin = false;

export const run: CliCommand = async (_stdin, args) => {
  const clear = args.includes('--clear');
  const handle = await openConfiguredDatabase(2);
  const index = createSearchIndex(env(), handle.db);
  const started = performance.now();
  try {
    if (clear) await index.clear();
    const result = await reindex(handle.db, index, 'all', (done, total, kind) => {
      process.stderr.write(`indexed ${done}/${total} ${kind}\n`);
    });
    const stats = await index.stats();
    return JSON.stringify({
      ok: true,
      adapter: index.kind,
      cleared: clear,
      indexed: result.indexed,
      byKind: result.byKind,
      documents: stats.documents,
      ms: Math.round(performance.now() - started),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    if ((cause as { code?: unknown } | null)?.code === '42P01') throw new Error('search tables missing; run `npm run db:migrate` first');
    throw error;
  } finally {
    await index.close?.();
    await handle.close();
  }
};
