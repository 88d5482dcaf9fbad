import type { DbOrTx } from '../../db/client.ts';
import type { Env } from '../../env.ts';
import { MeilisearchIndex } from './meilisearch.adapter.ts';
import { PostgresSearchIndex } from './postgres.adapter.ts';
import type { SearchIndex } from './search.port.ts';

/** Meilisearch when `MEILI_URL` is set, else the embedded Postgres adapter on `db`. */
export function createSearchIndex(env: Pick<Env, 'MEILI_URL' | 'MEILI_KEY'>, db: DbOrTx): SearchIndex {
  if (env.MEILI_URL) return new MeilisearchIndex({ host: env.MEILI_URL, apiKey: env.MEILI_KEY });
  return new PostgresSearchIndex(db);
}

export type { SearchIndex } from './search.port.ts';
